import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build, preview } from 'vite';
import { createDashboardConfig } from '../build/dashboard-config.js';

export interface DashboardServer {
  readonly url: string;
  close(): Promise<void>;
}

export interface DashboardBuild {
  /** Serves the build with Vite's preview server on a free localhost port, reading `reportsDirectory`. */
  serve(reportsDirectory: URL): Promise<DashboardServer>;
  /** Deletes the build. */
  remove(): Promise<void>;
}

/**
 * Builds the dashboard as `pnpm dashboard` does, into a temporary folder. The preview server
 * answers `reports/` from the folder it is given, ahead of the copy in the build, so one build
 * can be served with several report folders.
 */
export async function buildDashboard(reportsDirectory: URL): Promise<DashboardBuild> {
  const outDir = await mkdtemp(join(tmpdir(), 'recurrent-dashboard-'));
  try {
    await build(createDashboardConfig({ reportsDirectory, outDir, logLevel: 'warn' }));
  } catch (cause) {
    await rm(outDir, { recursive: true, force: true });
    throw cause;
  }
  return {
    async serve(folder) {
      const config = createDashboardConfig({ reportsDirectory: folder, outDir, logLevel: 'warn' });
      const server = await preview({ ...config, preview: { ...config.preview, host: '127.0.0.1', port: 0 } });
      const url = server.resolvedUrls?.local[0];
      if (!url) {
        await server.close();
        throw new Error('buildDashboard: the preview server reported no local URL');
      }
      return { url, close: () => server.close() };
    },
    remove: () => rm(outDir, { recursive: true, force: true }),
  };
}
