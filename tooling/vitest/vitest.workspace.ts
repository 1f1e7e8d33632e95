import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// One `vitest run` from the repository root covers every package and app, plus the
// packaging test in tooling/packaging. Each project has its own vitest.config.ts built
// with `recurrentProject` from ./project.js (plain JavaScript: Vite's config loader hands
// files reached through a workspace link to Node untransformed).
export default defineConfig({
  root: fileURLToPath(new URL('../..', import.meta.url)),
  test: {
    projects: ['packages/*', 'apps/*', 'tooling/packaging'],
    testTimeout: 60_000,
  },
});
