/**
 * Test helpers shared by the codec's tests: the "one chunk, byte by byte, split at every offset"
 * discipline (STYLE habit 3) and a guard that a parser threw only the codec's error type.
 */
import { expect } from 'vitest';
import { isCodecError } from '../src/index.ts';

export const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);

/** Every way of cutting `bytes` into chunks that a test must see give the same result. */
export function* chunkings(bytes: Uint8Array): Generator<Uint8Array[]> {
  yield [bytes];
  yield Array.from(bytes, (_, i) => bytes.subarray(i, i + 1));
  for (let cut = 1; cut < bytes.length; cut++) yield [bytes.subarray(0, cut), bytes.subarray(cut)];
}

/** Runs `fn`; passes when it returns or throws a CodecError, fails on any other throw. */
export function expectOnlyCodecErrors(fn: () => unknown): void {
  try {
    fn();
  } catch (error) {
    if (!isCodecError(error)) {
      expect.fail(`threw a non-codec error: ${String(error)}`);
    }
  }
}

/** The number of fast-check runs: short in CI, long when FUZZ_RUNS is set (the fuzz script). */
export const fuzzRuns = (defaultRuns = 300): number => {
  const env = (globalThis as { process?: { env: Record<string, string | undefined> } }).process?.env;
  const fromEnv = Number(env?.FUZZ_RUNS);
  return Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : defaultRuns;
};
