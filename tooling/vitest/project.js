// Plain JavaScript so that Vite can load it from a package config without a transpile step.
import { defineProject } from 'vitest/config';

const conditions = ['@recurrent/source', 'module', 'node', 'import', 'default'];

/**
 * Workspace packages resolve each other through the `@recurrent/source` export condition,
 * so tests run against TypeScript sources without a build, while published consumers
 * get `dist/` through the ordinary `types`/`default` conditions.
 *
 * @param {string} name project name shown by vitest
 * @param {import('vitest/config').UserWorkspaceConfig['test']} [overrides]
 */
export function recurrentProject(name, overrides = {}) {
  return defineProject({
    resolve: { conditions },
    ssr: { resolve: { conditions } },
    test: {
      name,
      include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
      environment: 'node',
      testTimeout: 120_000,
      ...overrides,
    },
  });
}
