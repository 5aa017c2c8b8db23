import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CodecErrorCodes } from '../src/errors.ts';
import {
  formatReply,
  isPermanentNegative,
  isPositiveCompletion,
  isPositiveIntermediate,
  isPositivePreliminary,
  isProtectedReply,
  isReplyCode,
  isTransientNegative,
  parseReply,
  REPLY_TEXTS,
  ReplyCode,
  replyClass,
  replyFunctionGroup,
} from '../src/replies/index.ts';
import { expectOnlyCodecErrors, fuzzRuns } from './helpers.ts';

// RFC 959 §4.2.2, in the RFC's numeric order.
const RFC959 = [
  110, 120, 125, 150, 200, 202, 211, 212, 213, 214, 215, 220, 221, 225, 226, 227, 230, 250, 257, 331, 332,
  350, 421, 425, 426, 450, 451, 452, 500, 501, 502, 503, 504, 530, 532, 550, 551, 552, 553,
];
// RFC 2228 §4; RFC 2428 §2-3; RFC 1639; RFC 3659 §5.5.
const EXTENSIONS = [
  232, 234, 235, 334, 335, 336, 431, 533, 534, 535, 536, 537, 631, 632, 633, 229, 522, 228, 554, 555,
];

describe('reply codes', () => {
  it('RFC 959 §4.2.1: replyClass is the first digit', () => {
    expect([150, 226, 331, 425, 550, 632].map(replyClass)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('RFC 959 §4.2.1: the five first-digit predicates', () => {
    const table = [110, 200, 350, 421, 553].map((code) => [
      isPositivePreliminary(code),
      isPositiveCompletion(code),
      isPositiveIntermediate(code),
      isTransientNegative(code),
      isPermanentNegative(code),
      isProtectedReply(code),
    ]);
    expect(table).toEqual([
      [true, false, false, false, false, false],
      [false, true, false, false, false, false],
      [false, false, true, false, false, false],
      [false, false, false, true, false, false],
      [false, false, false, false, true, false],
    ]);
    expect(isProtectedReply(631)).toBe(true);
  });

  it('the predicates answer false, without throwing, for numbers that are not reply codes', () => {
    for (const code of [99, 600, 700, 150.5, Number.NaN]) {
      expect(
        [
          isPositivePreliminary,
          isPositiveCompletion,
          isPositiveIntermediate,
          isTransientNegative,
          isPermanentNegative,
          isProtectedReply,
        ].some((predicate) => predicate(code)),
      ).toBe(false);
    }
  });

  it('RFC 959 §4.2.1: the second digit names the function group; RFC 2228 63z is authentication', () => {
    expect([500, 211, 425, 530, 542, 550, 631, 570].map(replyFunctionGroup)).toEqual([
      'syntax',
      'information',
      'connections',
      'authentication',
      'unspecified',
      'file-system',
      'authentication',
      'unspecified',
    ]);
  });

  it('isReplyCode: integers 100..599 and RFC 2228 §4 631..633 only', () => {
    expect([100, 599, 631, 633].every(isReplyCode)).toBe(true);
    expect([99, 600, 630, 634, 200.5, -200, Number.NaN].some(isReplyCode)).toBe(false);
  });

  it('replyClass and replyFunctionGroup reject non-codes with INVALID_ARGUMENT', () => {
    for (const fn of [replyClass, replyFunctionGroup]) {
      expect(() => fn(600)).toThrow(expect.objectContaining({ code: CodecErrorCodes.INVALID_ARGUMENT }));
    }
  });

  it('REPLY_TEXTS covers every code of RFC 959 §4.2.2 and of the extension RFCs', () => {
    for (const code of [...RFC959, ...EXTENSIONS])
      expect(REPLY_TEXTS[code], String(code)).toBeTypeOf('string');
    expect(REPLY_TEXTS[200]).toBe('Command okay.');
    expect(REPLY_TEXTS[999]).toBeUndefined();
    expect(Object.isFrozen(REPLY_TEXTS)).toBe(true);
  });

  it('every named code has a standard text that formats and parses back', () => {
    for (const code of Object.values(ReplyCode)) {
      const text = REPLY_TEXTS[code]!;
      expect(text, String(code)).toBeTypeOf('string');
      expect(parseReply(formatReply(code, text))).toMatchObject({ code, text });
    }
    expect(Object.keys(REPLY_TEXTS).map(Number).sort()).toEqual(Object.values(ReplyCode).sort());
  });

  it('names codes after the RFC wording', () => {
    expect([ReplyCode.FileStatusOk, ReplyCode.ClosingDataConnection, ReplyCode.PathnameCreated]).toEqual([
      150, 226, 257,
    ]);
    expect([ReplyCode.EnteringExtendedPassiveMode, ReplyCode.SecurityDataExchangeComplete]).toEqual([
      229, 234,
    ]);
  });

  it('throws only CodecError on arbitrary numbers', () => {
    fc.assert(
      fc.property(fc.oneof(fc.integer(), fc.double()), (n) => {
        expectOnlyCodecErrors(() => replyClass(n));
        expectOnlyCodecErrors(() => replyFunctionGroup(n));
        expect(isReplyCode(n)).toBe(Number.isInteger(n) && ((n >= 100 && n < 600) || (n >= 631 && n <= 633)));
      }),
      { numRuns: fuzzRuns() },
    );
  });
});
