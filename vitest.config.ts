import { defineConfig } from 'vitest/config';

// One vitest project per package and app; `pnpm vitest` runs them all in one process so that
// the totals CI reads come from a single run.
export default defineConfig({
  test: {
    projects: ['packages/*', 'apps/*'],
  },
});
