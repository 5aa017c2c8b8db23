/** Runs external programs with a hard timeout: shared from @ftpkit/test-utils. */
export { type RunResult, run } from '@ftpkit/test-utils';
