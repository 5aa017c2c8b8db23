import { ftpkitProject } from '../../vitest.shared.ts';

// The CI-sized variants only (each test well under 30 s); the long runs are `pnpm fuzz|load|slowloris`.
export default ftpkitProject('reliability', { testTimeout: 30_000, hookTimeout: 20_000 });
