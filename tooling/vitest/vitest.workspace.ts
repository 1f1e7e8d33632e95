import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// One `vitest run` from the repository root covers every package and app.
export default defineConfig({
  root: fileURLToPath(new URL('../..', import.meta.url)),
  test: {
    projects: ['packages/*', 'apps/*'],
    reporters: process.env.CI ? ['default'] : ['default'],
    testTimeout: 60_000,
  },
});
