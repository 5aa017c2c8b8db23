import { ftpkitProject } from '../../vitest.shared.ts';

// Packing, installing and type-checking take a while; this is one slow, thorough test.
export default ftpkitProject('consumer-smoke', { testTimeout: 300_000, hookTimeout: 300_000 });
