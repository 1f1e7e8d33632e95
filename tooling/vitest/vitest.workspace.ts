import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// One `vitest run` from the repository root covers every package and app, plus the
// packaging test in tooling/packaging. Each project has its own vitest.config.ts built
// with `recurrentProject` from ./project.ts.
//
// The root scripts pass `--configLoader runner`: the project configs import this folder's
// TypeScript through a workspace link, which Vite's default (bundling) loader would hand to
// Node untransformed.
export default defineConfig({
  root: fileURLToPath(new URL('../..', import.meta.url)),
  test: {
    projects: ['packages/*', 'apps/*', 'tooling/packaging'],
    testTimeout: 60_000,
  },
});
