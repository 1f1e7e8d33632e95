import { fileURLToPath } from 'node:url';
import { defaultClientConditions, type InlineConfig } from 'vite';
import { reportsPlugin } from './reports-plugin.js';

export interface DashboardConfigOptions {
  /** Folder of conformance reports to list, serve and copy into the build. */
  readonly reportsDirectory: URL | string;
  /** Where `vite build` writes; default `dist/` beside this app. */
  readonly outDir?: string;
  /** Default `info`, which prints the URL `vite preview` serves on; tests pass `warn`. */
  readonly logLevel?: 'info' | 'warn' | 'error' | 'silent';
}

const appRoot = fileURLToPath(new URL('..', import.meta.url));

/**
 * Cross-origin isolation lets the page use SharedArrayBuffer (gpu.js and WebAssembly threads
 * need it); harmless otherwise. Sent by `vite` and `vite preview`; a static host has to add them.
 */
const isolationHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

/** The dashboard's Vite configuration, shared by `vite.config.ts` and the end-to-end test. */
export function createDashboardConfig(options: DashboardConfigOptions): InlineConfig {
  // Workspace packages are bundled from their TypeScript sources, as the tests run them.
  const conditions = ['@recurrent/source', ...defaultClientConditions];
  return {
    root: appRoot,
    // Relative asset URLs: the static build works from any folder of any host.
    base: './',
    configFile: false,
    logLevel: options.logLevel ?? 'info',
    resolve: {
      conditions,
      alias: {
        // backend-gpujs imports Dawn's Node bindings only when `navigator.gpu` is missing and it
        // runs under Node; in a browser that branch is dead, so the native package is left out.
        webgpu: fileURLToPath(new URL('../src/live/node-webgpu-stub.ts', import.meta.url)),
      },
    },
    // Pre-bundled when the dev server starts: found later, they would make Vite reload the page
    // in the middle of a live run.
    optimizeDeps: { include: ['@recurrent/backend-gpujs > gpu.js', 'uplot'] },
    // Worker bundles get their own plugin list in builds (the top-level one applies in dev only).
    worker: { format: 'es' },
    build: {
      outDir: options.outDir ?? fileURLToPath(new URL('../dist', import.meta.url)),
      emptyOutDir: true,
      target: 'es2022',
      // The live-run worker carries core, both backends and gpu.js; it loads only on demand.
      chunkSizeWarningLimit: 1500,
    },
    server: { headers: isolationHeaders },
    preview: { headers: isolationHeaders, open: false },
    plugins: [reportsPlugin(options.reportsDirectory)],
  };
}
