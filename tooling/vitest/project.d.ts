import type { UserWorkspaceConfig } from 'vitest/config';
export declare function recurrentProject(
  name: string,
  overrides?: UserWorkspaceConfig['test'],
): UserWorkspaceConfig;
