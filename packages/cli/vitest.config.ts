import { ftpkitProject } from '../../vitest.shared.ts';

// Every test spawns the real `ftpkit` process (and often a peer server): give them room.
export default ftpkitProject('cli', { testTimeout: 60_000, hookTimeout: 60_000 });
