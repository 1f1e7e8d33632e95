import type { LoadedReport } from './history-series.js';
import { parseReport } from './report-validation.js';

/** A report file that could not be used, and why. */
export interface ReportProblem {
  readonly file: string;
  readonly problem: string;
}

export interface LoadedReports {
  readonly reports: LoadedReport[];
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
 * Loads `<base>index.json` and every report it lists. A file that fails to fetch or parse is
 * recorded as a problem naming the file; the others still load.
 */
export async function loadReports(fetcher: Fetch, base = 'reports/'): Promise<LoadedReports> {
  const problems: ReportProblem[] = [];
  const index = await fetchText(fetcher, `${base}index.json`);
  if ('problem' in index)
    return { reports: [], problems: [{ file: `${base}index.json`, problem: index.problem }] };
  let names: unknown;
  try {
    names = (JSON.parse(index.text) as { reports?: unknown }).reports;
  } catch (cause) {
    names = undefined;
    problems.push({ file: `${base}index.json`, problem: `not valid JSON: ${(cause as Error).message}` });
  }
  if (!Array.isArray(names)) {
    if (problems.length === 0)
      problems.push({ file: `${base}index.json`, problem: 'expected { "reports": [file names] }' });
    return { reports: [], problems };
  }
  const loaded = await Promise.all(
    names.map(async (name: unknown) => {
      const file = String(name);
      const body = await fetchText(fetcher, `${base}${encodeURIComponent(file)}`);
      if ('problem' in body) return { ok: false as const, file, problem: body.problem };
      return parseReport(file, body.text);
    }),
  );
  const reports: LoadedReport[] = [];
  for (const entry of loaded) {
    if (entry.ok) reports.push({ file: entry.file, report: entry.report });
    else problems.push({ file: entry.file, problem: entry.problem });
  }
  return { reports, problems };
}
