import { ftpkitProject } from '../../vitest.shared.ts';

// Only the smoke test runs here (tiny sizes, one peer); the benchmark itself is `pnpm bench`.
export default ftpkitProject('bench', { testTimeout: 60_000, hookTimeout: 30_000 });
