import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CodecErrorCodes } from '../src/errors.ts';
import { formatTimeVal, parseTimeVal, parseTimeValWithPrecision } from '../src/listings/time-val.ts';
import { codecErrorOf, expectOnlyCodecErrors, fuzzRuns } from './helpers.ts';

const utc = (y: number, mo: number, d: number, h = 0, mi = 0, s = 0, ms = 0) => {
  const date = new Date(Date.UTC(2000, mo - 1, d, h, mi, s, ms));
  date.setUTCFullYear(y);
  return date;
};

describe('parseTimeVal', () => {
  it('RFC 3659 §3.4: the MDTM example 19980615100045.014 is UTC with milliseconds', () => {
    expect(parseTimeVal('19980615100045.014')).toEqual(utc(1998, 6, 15, 10, 0, 45, 14));
    expect(parseTimeValWithPrecision('19980615100045.014').precision).toBe('millisecond');
  });

  it('RFC 3659 §2.3: fourteen digits alone are whole seconds', () => {
    expect(parseTimeVal('20200101120000')).toEqual(utc(2020, 1, 1, 12));
    expect(parseTimeValWithPrecision('20200101120000')).toEqual({
      date: utc(2020, 1, 1, 12),
      precision: 'second',
    });
  });

  it('RFC 3659 §2.3: a fraction of any length, kept to milliseconds and truncated (never rounded)', () => {
    expect(parseTimeVal('20200101120000.5').getTime()).toBe(utc(2020, 1, 1, 12, 0, 0, 500).getTime());
    expect(parseTimeVal('20200101120000.25').getTime()).toBe(utc(2020, 1, 1, 12, 0, 0, 250).getTime());
    expect(parseTimeVal('20200101120000.123456789').getTime()).toBe(utc(2020, 1, 1, 12, 0, 0, 123).getTime());
    expect(parseTimeVal(`20201231235959.${'9'.repeat(40)}`).getTime()).toBe(
      utc(2020, 12, 31, 23, 59, 59, 999).getTime(),
    );
  });

  it('RFC 3659 §2.3: leap years by the Gregorian rule', () => {
    expect(parseTimeVal('20000229000000')).toEqual(utc(2000, 2, 29));
    expect(parseTimeVal('20240229000000')).toEqual(utc(2024, 2, 29));
    expect(codecErrorOf(() => parseTimeVal('19000229000000')).code).toBe(CodecErrorCodes.LISTING);
    expect(codecErrorOf(() => parseTimeVal('20230229000000')).code).toBe(CodecErrorCodes.LISTING);
  });

  it('RFC 3659 §2.3: second 60 at 23:59 is a leap second, read as 00:00:00 of the next day (POSIX)', () => {
    expect(parseTimeVal('20161231235960')).toEqual(utc(2017, 1, 1));
    expect(parseTimeVal('20150630235960.5')).toEqual(utc(2015, 7, 1, 0, 0, 0, 500));
  });

  it('reads years before 1000 (four digits are unambiguous), including years 0-99', () => {
    expect(parseTimeVal('09990101000000').getUTCFullYear()).toBe(999);
    expect(parseTimeVal('00500101000000').getUTCFullYear()).toBe(50);
    expect(parseTimeVal('00000229000000')).toEqual(utc(0, 2, 29));
  });

  it.each([
    ['month 00', '20200001000000'],
    ['month 13', '20201301000000'],
    ['day 00', '20200100000000'],
    ['day 32', '20200132000000'],
    ['April 31', '20200431000000'],
    ['hour 24', '20200101240000'],
    ['minute 60', '20200101126000'],
    ['second 60 away from 23:59 (not a leap second)', '20200101120060'],
    ['second 61', '20201231235961'],
    ['thirteen digits', '2020010112000'],
    ['fifteen digits', '202001011200001'],
    ['a dot without digits (§2.3 MUST NOT)', '20200101120000.'],
    ['a non-digit in the fraction', '20200101120000.1a'],
    ['two dots', '20200101120000.1.2'],
    ['a time zone suffix', '20200101120000Z'],
    ['a leading space', ' 20200101120000'],
    ['a trailing space', '20200101120000 '],
    ['ISO 8601 punctuation', '2020-01-01T12:00:00'],
    ['a sign', '+2020010112000'],
    ['non-ASCII digits', '２０２００１０１１２００００'],
    ['an empty string', ''],
  ])('refuses %s with LISTING', (_why, text) => {
    expect(codecErrorOf(() => parseTimeVal(text)).code).toBe(CodecErrorCodes.LISTING);
  });
});

describe('formatTimeVal', () => {
  it('RFC 3659 §2.3: UTC, fourteen digits', () => {
    expect(formatTimeVal(utc(2020, 1, 1, 12))).toBe('20200101120000');
    expect(formatTimeVal(new Date('1998-06-15T12:00:45.014+02:00'))).toBe('19980615100045');
  });

  it('RFC 3659 §2.3: milliseconds only when asked (precision is never invented by default)', () => {
    expect(formatTimeVal(utc(1998, 6, 15, 10, 0, 45, 14), { milliseconds: true })).toBe('19980615100045.014');
    expect(formatTimeVal(utc(2020, 1, 1), { milliseconds: true })).toBe('20200101000000.000');
    expect(formatTimeVal(utc(2020, 1, 1, 0, 0, 0, 999), { milliseconds: false })).toBe('20200101000000');
  });

  it('pads years 0-999 to four digits', () => {
    expect(formatTimeVal(utc(999, 1, 1))).toBe('09990101000000');
    expect(formatTimeVal(utc(0, 1, 1))).toBe('00000101000000');
  });

  it.each([
    ['an invalid date', new Date(Number.NaN)],
    ['year 10000', utc(10_000, 1, 1)],
    ['year -1', utc(-1, 12, 31)],
    ['a number instead of a Date', 0 as unknown as Date],
  ])('refuses %s with INVALID_ARGUMENT', (_why, date) => {
    expect(codecErrorOf(() => formatTimeVal(date)).code).toBe(CodecErrorCodes.INVALID_ARGUMENT);
  });
});

describe('time-val round trips and fuzzing', () => {
  const dates = fc.date({
    min: new Date('0000-01-01T00:00:00.000Z'),
    max: new Date('9999-12-31T23:59:59.999Z'),
    noInvalidDate: true,
  });

  it('keeps millisecond precision through formatTimeVal({ milliseconds: true }) and parseTimeVal', () => {
    fc.assert(
      fc.property(dates, (date) => {
        expect(parseTimeVal(formatTimeVal(date, { milliseconds: true })).getTime()).toBe(date.getTime());
      }),
      { numRuns: fuzzRuns() },
    );
  });

  it('keeps whole seconds without the milliseconds option', () => {
    fc.assert(
      fc.property(dates, (date) => {
        const seconds = Math.floor(date.getTime() / 1000) * 1000;
        expect(parseTimeVal(formatTimeVal(date)).getTime()).toBe(seconds);
      }),
      { numRuns: fuzzRuns() },
    );
  });

  it('writes what the Date UTC getters say, for any date a Date holds (fields by arithmetic, not getters)', () => {
    const pad = (n: number, w: number) => String(n).padStart(w, '0');
    fc.assert(
      fc.property(fc.date({ noInvalidDate: true }), (date) => {
        const year = date.getUTCFullYear();
        if (year < 0 || year > 9999) {
          expect(codecErrorOf(() => formatTimeVal(date)).code).toBe(CodecErrorCodes.INVALID_ARGUMENT);
          return;
        }
        const expected =
          pad(year, 4) +
          pad(date.getUTCMonth() + 1, 2) +
          pad(date.getUTCDate(), 2) +
          pad(date.getUTCHours(), 2) +
          pad(date.getUTCMinutes(), 2) +
          pad(date.getUTCSeconds(), 2);
        expect(formatTimeVal(date)).toBe(expected);
        expect(formatTimeVal(date, { milliseconds: true })).toBe(
          `${expected}.${pad(date.getUTCMilliseconds(), 3)}`,
        );
      }),
      { numRuns: fuzzRuns() },
    );
  });

  it('parseTimeVal on arbitrary input throws only CodecError, and a valid result round-trips', () => {
    const digits = fc
      .array(fc.constantFrom(...'0123456789.'.split('')), { minLength: 12, maxLength: 22 })
      .map((chars) => chars.join(''));
    fc.assert(
      fc.property(fc.oneof(fc.string(), digits), (text) => {
        expectOnlyCodecErrors(() => {
          const date = parseTimeVal(text);
          expect(Number.isNaN(date.getTime())).toBe(false);
          if (/^\d{14}$/.test(text) && !text.endsWith('60')) expect(formatTimeVal(date)).toBe(text);
        });
      }),
      { numRuns: fuzzRuns() },
    );
  });
});
