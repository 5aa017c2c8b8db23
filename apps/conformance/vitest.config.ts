import { ftpkitProject } from '../../vitest.shared.ts';

export default ftpkitProject('conformance', { testTimeout: 120_000, hookTimeout: 60_000 });
