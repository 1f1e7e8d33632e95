import { readdir, readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'vite';

/**
 * What `reports/index.json` holds: the files the dashboard should load, oldest name first —
 * conformance reports, and the experiments reports (`experiments-<timestamp>.json`), which have
 * their own schema and are validated separately.
 */
export interface ReportIndex {
  readonly reports: readonly string[];
  readonly experiments: readonly string[];
}

/**
 * A report file name the CLIs write (`<timestamp>.json`, `experiments-<timestamp>.json`).
 * `latest.json` and `experiments-latest.json` are copies of the newest report, so they are left
 * out of the listing: history would otherwise count that run twice.
 */
const reportFileName = /^[\w.-]+\.json$/;
const latestCopies = new Set(['latest.json', 'experiments-latest.json']);

function isExperimentsFile(name: string): boolean {
  return name.startsWith('experiments-');
}

function isListedReport(name: string): boolean {
  return reportFileName.test(name) && name !== 'index.json' && !latestCopies.has(name);
}

function toPath(directory: URL | string): string {
  return typeof directory === 'string' ? directory : fileURLToPath(directory);
}

/** Lists the reports in `directory`; a missing folder (a fresh clone) is an empty list. */
export async function listReports(directory: URL | string): Promise<ReportIndex> {
  try {
    const names = (await readdir(toPath(directory))).filter(isListedReport).sort();
    return {
      reports: names.filter((name) => !isExperimentsFile(name)),
      experiments: names.filter(isExperimentsFile),
    };
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'ENOENT') return { reports: [], experiments: [] };
    throw cause;
  }
}

type NextFunction = (error?: unknown) => void;

/** Connect middleware answering `/reports/index.json` and `/reports/<name>.json` from the folder. */
export function reportsMiddleware(directory: URL | string) {
  const folder = toPath(directory);
  return async (request: IncomingMessage, response: ServerResponse, next: NextFunction) => {
    const match = /^\/reports\/([^/?#]+)(?:[?#].*)?$/.exec(request.url ?? '');
    if (!match) return next();
    const name = decodeURIComponent(match[1] ?? '');
    try {
      let body: string;
      if (name === 'index.json') body = JSON.stringify(await listReports(folder));
      else if (isListedReport(name) || latestCopies.has(name))
        body = await readFile(`${folder}/${name}`, 'utf8');
      else return next();
      response.setHeader('Content-Type', 'application/json; charset=utf-8');
      response.setHeader('Cache-Control', 'no-store');
      response.end(body);
    } catch (cause) {
      if ((cause as NodeJS.ErrnoException).code === 'ENOENT') {
        response.statusCode = 404;
        response.end(`reports/${name} not found`);
        return;
      }
      next(cause);
    }
  };
}

/**
 * Serves the reports folder live in `vite` and `vite preview` (new CLI runs show up on reload),
 * and copies it into the static build with an `index.json`, so `dist/` can be published as is.
 */
export function reportsPlugin(directory: URL | string): Plugin {
  return {
    name: 'recurrent-reports',
    configureServer(server) {
      server.middlewares.use(reportsMiddleware(directory));
    },
    configurePreviewServer(server) {
      server.middlewares.use(reportsMiddleware(directory));
    },
    async generateBundle() {
      const index = await listReports(directory);
      for (const name of [...index.reports, ...index.experiments]) {
        const source = await readFile(`${toPath(directory)}/${name}`, 'utf8');
        this.emitFile({ type: 'asset', fileName: `reports/${name}`, source });
      }
      this.emitFile({ type: 'asset', fileName: 'reports/index.json', source: JSON.stringify(index) });
    },
  };
}
