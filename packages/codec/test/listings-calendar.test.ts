/**
 * The calendar arithmetic the listing parsers use instead of `Date.UTC`, against `Date` itself.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseUnixListLine } from '../src/index.ts';
import { daysInMonth, isLeapYear, utcMillis, yearlessUtcMillis } from '../src/listings/calendar.ts';
import { fuzzRuns } from './helpers.ts';

const DAY_MS = 86_400_000;

/** `Date`'s own reading of a UTC date, without `Date.UTC`'s mapping of years 0–99 to 19xx. */
function dateMillis(year: number, month: number, day: number, hour = 0, minute = 0, second = 0, ms = 0) {
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, ms);
  return date.getTime();
}

const validDate = (years: fc.Arbitrary<number>) =>
  fc
    .tuple(years, fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 31 }))
    .map(([year, month, day]) => [year, month, Math.min(day, daysInMonth(year, month))] as const);
const clock = fc.tuple(
  fc.integer({ min: 0, max: 23 }),
  fc.integer({ min: 0, max: 59 }),
  fc.integer({ min: 0, max: 59 }),
  fc.integer({ min: 0, max: 999 }),
);

describe('utcMillis', () => {
  it('property: equals Date.UTC wherever Date.UTC reads the year as given (100 on, and negative)', () => {
    fc.assert(
      fc.property(
        validDate(fc.oneof(fc.integer({ min: 100, max: 300_000 }), fc.integer({ min: -300_000, max: -1 }))),
        clock,
        ([year, month, day], [hour, minute, second, ms]) => {
          expect(utcMillis(year, month, day, hour, minute, second, ms)).toBe(
            Date.UTC(year, month - 1, day, hour, minute, second, ms),
          );
        },
      ),
      { numRuns: fuzzRuns(2_000) },
    );
  });

  it('property: years 0–99 are those years, not 1900–1999', () => {
    fc.assert(
      fc.property(validDate(fc.integer({ min: 0, max: 99 })), clock, ([y, mo, d], [h, mi, s, ms]) => {
        expect(utcMillis(y, mo, d, h, mi, s, ms)).toBe(dateMillis(y, mo, d, h, mi, s, ms));
      }),
      { numRuns: fuzzRuns(500) },
    );
    // Year 0 is a leap year; 1900, where Date.UTC would put it, is not.
    expect(new Date(utcMillis(0, 2, 29)).toISOString()).toBe('0000-02-29T00:00:00.000Z');
    expect(parseUnixListLine('-rw-r--r-- 1 o g 1 Feb 29  0000 a')?.modified?.toISOString()).toBe(
      '0000-02-29T00:00:00.000Z',
    );
  });

  it('is NaN beyond the range a Date holds, as Date.UTC is', () => {
    expect(utcMillis(275_760, 9, 13)).toBe(8.64e15);
    expect(utcMillis(275_760, 9, 13, 0, 0, 0, 1)).toBeNaN();
    expect(utcMillis(-271_821, 4, 20)).toBe(-8.64e15);
    expect(utcMillis(-271_821, 4, 19, 23, 59, 59, 999)).toBeNaN();
  });
});

describe('yearlessUtcMillis', () => {
  /** The year inference as the parsers define it, spelled out with Date. */
  function reference(month: number, day: number, hour: number, minute: number, nowMs: number) {
    let year = new Date(nowMs).getUTCFullYear();
    if (dateMillis(year, month, day, hour, minute) > nowMs + DAY_MS) year--;
    if (month === 2 && day === 29) while (!isLeapYear(year)) year--;
    return dateMillis(year, month, day, hour, minute);
  }

  it('property: the year that puts the date at most a day after `now`; Feb 29 in a leap year', () => {
    fc.assert(
      fc.property(
        validDate(fc.constant(2000)),
        clock,
        fc.integer({ min: Date.UTC(1, 0, 1), max: Date.UTC(9999, 11, 31) }),
        ([, month, day], [hour, minute], nowMs) => {
          expect(yearlessUtcMillis(month, day, hour, minute, 0, nowMs)).toBe(
            reference(month, day, hour, minute, nowMs),
          );
        },
      ),
      { numRuns: fuzzRuns(2_000) },
    );
  });

  it('around the turn of a year and a leap day', () => {
    const at = (iso: string) => Date.parse(iso);
    const iso = (ms: number) => new Date(ms).toISOString();
    expect(iso(yearlessUtcMillis(12, 31, 23, 59, 0, at('2025-01-01T00:00:00Z')))).toBe(
      '2024-12-31T23:59:00.000Z',
    );
    // Never next year: `ls` prints the year for dates that are not in the past six months.
    expect(iso(yearlessUtcMillis(1, 1, 0, 0, 0, at('2024-12-31T00:00:00Z')))).toBe(
      '2024-01-01T00:00:00.000Z',
    );
    // Up to a day ahead of `now` is clock skew, still this year.
    expect(iso(yearlessUtcMillis(12, 31, 12, 0, 0, at('2024-12-31T00:00:00Z')))).toBe(
      '2024-12-31T12:00:00.000Z',
    );
    expect(iso(yearlessUtcMillis(2, 29, 10, 0, 0, at('2025-03-10T00:00:00Z')))).toBe(
      '2024-02-29T10:00:00.000Z',
    );
  });
});
