import { ftpkitProject } from '../../vitest.shared.ts';

export default ftpkitProject('client');
