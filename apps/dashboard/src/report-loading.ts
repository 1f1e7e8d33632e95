import type { ExperimentsReport } from '@recurrent/experiments';
import { parseExperimentsReport } from './experiments-validation.js';
import type { LoadedReport } from './history-series.js';
import { parseReport } from './report-validation.js';

/** A report file that could not be used, and why. */
export interface ReportProblem {
  readonly file: string;
  readonly problem: string;
}

/** An experiments report with the file it came from. */
export interface LoadedExperiments {
  readonly file: string;
  readonly report: ExperimentsReport;
}

export interface LoadedReports {
  readonly reports: LoadedReport[];
  readonly experiments: LoadedExperiments[];
  readonly problems: ReportProblem[];
}

type Fetch = (url: string) => Promise<Pick<Response, 'ok' | 'status' | 'statusText' | 'text'>>;

async function fetchText(fetcher: Fetch, url: string): Promise<{ text: string } | { problem: string }> {
  try {
    const response = await fetcher(url);
    if (!response.ok)
      return { problem: `could not be fetched: HTTP ${response.status} ${response.statusText}`.trim() };
    return { text: await response.text() };
  } catch (cause) {
    return { problem: `could not be fetched: ${(cause as Error).message}` };
  }
}

/**
 * Loads `<base>index.json` and every file it lists: conformance reports under `reports`,
 * experiments reports under `experiments` (each validated against its own schema). A file that
 * fails to fetch or parse is recorded as a problem naming the file; the others still load.
 */
export async function loadReports(fetcher: Fetch, base = 'reports/'): Promise<LoadedReports> {
  const problems: ReportProblem[] = [];
  const index = await fetchText(fetcher, `${base}index.json`);
  if ('problem' in index)
    return {
      reports: [],
      experiments: [],
      problems: [{ file: `${base}index.json`, problem: index.problem }],
    };
  let listing: { reports?: unknown; experiments?: unknown } | undefined;
  try {
    listing = JSON.parse(index.text) as { reports?: unknown; experiments?: unknown };
  } catch (cause) {
    problems.push({ file: `${base}index.json`, problem: `not valid JSON: ${(cause as Error).message}` });
  }
  const names = listing?.reports;
  // An index written before experiments were listed has no `experiments`: none to load.
  const experimentNames = listing?.experiments ?? [];
  if (!Array.isArray(names) || !Array.isArray(experimentNames)) {
    if (problems.length === 0) {
      problems.push({
        file: `${base}index.json`,
        problem: 'expected { "reports": [file names], "experiments": [file names] }',
      });
    }
    return { reports: [], experiments: [], problems };
  }
  const load = <T extends { ok: boolean; file: string }>(
    list: unknown[],
    parse: (file: string, text: string) => T,
  ) =>
    Promise.all(
      list.map(async (name: unknown) => {
        const file = String(name);
        const body = await fetchText(fetcher, `${base}${encodeURIComponent(file)}`);
        if ('problem' in body) return { ok: false as const, file, problem: body.problem };
        return parse(file, body.text);
      }),
    );
  const [loadedReports, loadedExperiments] = await Promise.all([
    load(names, parseReport),
    load(experimentNames, parseExperimentsReport),
  ]);
  const reports: LoadedReport[] = [];
  for (const entry of loadedReports) {
    if (entry.ok) reports.push({ file: entry.file, report: entry.report });
    else problems.push({ file: entry.file, problem: entry.problem });
  }
  const experiments: LoadedExperiments[] = [];
  for (const entry of loadedExperiments) {
    if (entry.ok) experiments.push({ file: entry.file, report: entry.report });
    else problems.push({ file: entry.file, problem: entry.problem });
  }
  return { reports, experiments, problems };
}
