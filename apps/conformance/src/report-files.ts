/**
 * Where reports go: `reports/` at the repository root (found by walking up from the working
 * directory to `pnpm-workspace.yaml`), as a timestamped file plus `latest.json`, which the
 * dashboard reads.
 */
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { ConformanceReport } from '@recurrent/conformance';

export function findReportsFolder(start = process.cwd()): string {
  let folder = resolve(start);
  while (!existsSync(join(folder, 'pnpm-workspace.yaml'))) {
    const parent = dirname(folder);
    if (parent === folder) {
      return join(resolve(start), 'reports');
    }
    folder = parent;
  }
  return join(folder, 'reports');
}

/** Writes the report; returns the paths written. */
export async function writeReport(report: ConformanceReport, extra?: string): Promise<string[]> {
  const folder = findReportsFolder();
  await mkdir(folder, { recursive: true });
  const text = `${JSON.stringify(report, null, 2)}\n`;
  const stamped = join(folder, `conformance-${report.createdAt.replace(/[:.]/g, '-')}.json`);
  const written = [stamped, join(folder, 'latest.json')];
  if (extra) {
    written.push(resolve(extra));
  }
  for (const path of written) {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, text);
  }
  return written;
}
