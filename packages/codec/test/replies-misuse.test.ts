import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CodecErrorCodes } from '../src/errors.ts';
import {
  formatFeatReply,
  formatPathnameReplyText,
  formatReply,
  formatReplyBytes,
  parseFeatReply,
  parsePathnameReply,
  parseReply,
  quotePathname,
  ReplyParser,
  replyClass,
} from '../src/replies/index.ts';
import { expectOnlyCodecErrors, fuzzRuns } from './helpers.ts';

// The types keep TypeScript callers honest; JavaScript callers are not, and the codec must still
// throw nothing but CodecError (a TypeError escaping a parser would crash a session).
type Loose = (...args: unknown[]) => unknown;
const loose = (fn: unknown) => fn as Loose;

describe('replies API called with values of the wrong type', () => {
  it('throws only CodecError, whatever the arguments', () => {
    fc.assert(
      fc.property(fc.anything(), fc.anything(), (a, b) => {
        expectOnlyCodecErrors(() => loose(formatReply)(a, b));
        expectOnlyCodecErrors(() => loose(formatReply)(200, a));
        expectOnlyCodecErrors(() => loose(formatReplyBytes)(200, a, b));
        expectOnlyCodecErrors(() => loose(replyClass)(a));
        expectOnlyCodecErrors(() => loose(formatFeatReply)(a));
        expectOnlyCodecErrors(() => loose(formatFeatReply)([a]));
        expectOnlyCodecErrors(() => loose(parseFeatReply)(a));
        expectOnlyCodecErrors(() => loose(parsePathnameReply)(a));
        expectOnlyCodecErrors(() => loose(quotePathname)(a));
        expectOnlyCodecErrors(() => loose(formatPathnameReplyText)('/x', a));
        expectOnlyCodecErrors(() => loose(parseReply)(a));
        expectOnlyCodecErrors(() => loose(parseReply)('200 ok', a));
        expectOnlyCodecErrors(() => new ReplyParser().push(a as string));
        expectOnlyCodecErrors(() => new ReplyParser(a as object));
      }),
      { numRuns: fuzzRuns() },
    );
  });
});

describe('replies API called with objects that only look like a Reply', () => {
  it('rejects them with INVALID_ARGUMENT', () => {
    for (const fake of [{ code: 257 }, { code: 257, lines: [5] }, { code: '211', lines: [] }, null]) {
      for (const fn of [parseFeatReply, parsePathnameReply]) {
        expect(() => loose(fn)(fake)).toThrow(
          expect.objectContaining({ code: CodecErrorCodes.INVALID_ARGUMENT }),
        );
      }
    }
  });
});
