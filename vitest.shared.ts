import { defineProject, type UserWorkspaceConfig } from 'vitest/config';

/**
 * The settings every package's vitest project shares. Tests resolve workspace packages through
 * the `@ftpkit/source` export condition, so they always run against the current source and never
 * against a stale `dist/`.
 */
export function ftpkitProject(name: string, extra: UserWorkspaceConfig['test'] = {}): UserWorkspaceConfig {
  const conditions = ['@ftpkit/source', 'node', 'import', 'default'];
  return defineProject({
    resolve: { conditions },
    ssr: { resolve: { conditions, externalConditions: ['@ftpkit/source'] } },
    test: {
      name,
      environment: 'node',
      include: ['test/**/*.test.ts'],
      testTimeout: 20_000,
      hookTimeout: 20_000,
      ...extra,
    },
  });
}
