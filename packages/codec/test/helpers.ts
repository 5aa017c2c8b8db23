/**
 * Test helpers shared by the codec's tests: the "one chunk, byte by byte, split at every offset"
 * discipline (STYLE habit 3) and a guard that a parser threw only the codec's error type.
 */
import fc from 'fast-check';
import { expect } from 'vitest';
import { CodecError, isCodecError } from '../src/errors.ts';

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

/** Runs `fn` and returns the CodecError it threw; fails when it returns or throws anything else. */
export function codecErrorOf(fn: () => unknown): CodecError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(CodecError);
    return error as CodecError;
  }
  return expect.fail('expected a CodecError, but the call returned');
}

/** Any code point, lone surrogates included (fc's `unit: 'binary'` costs ~1 s to build under vitest). */
export const anyCodePoint = fc.nat({ max: 0x10ffff }).map((cp) => String.fromCodePoint(cp));

/** Any Unicode scalar, weighted towards ASCII so that FTP-looking text comes up often. */
export const anyChar = fc
  .oneof(
    { arbitrary: fc.integer({ min: 0, max: 0x7f }), weight: 4 },
    { arbitrary: fc.integer({ min: 0x80, max: 0xd7ff }), weight: 2 },
    { arbitrary: fc.integer({ min: 0xe000, max: 0x10ffff }), weight: 1 },
  )
  .map((c) => String.fromCodePoint(c));

/** Unicode strings of `anyChar`. */
export const unicode = (maxLength: number) => fc.string({ unit: anyChar, maxLength });
