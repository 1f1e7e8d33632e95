import { defineProject, type UserWorkspaceConfig } from 'vitest/config';

/**
 * Workspace packages resolve each other through the `@recurrent/source` export condition,
 * so tests run against TypeScript sources without a build, while published consumers
 * get `dist/` through the ordinary `types`/`default` conditions.
 */
export function recurrentProject(name: string, overrides: UserWorkspaceConfig['test'] = {}) {
  return defineProject({
    resolve: { conditions: ['@recurrent/source', 'module', 'node', 'import', 'default'] },
    ssr: { resolve: { conditions: ['@recurrent/source', 'module', 'node', 'import', 'default'] } },
    test: {
      name,
      include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
      environment: 'node',
      ...overrides,
    },
  });
}
