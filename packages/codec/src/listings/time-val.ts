/**
 * RFC 3659 §2.3 time values: `YYYYMMDDHHMMSS[.sss]`, always UTC, Gregorian calendar.
 *
 * Owns: reading and writing the time-val of MDTM, MFMT/MFCT and the MLSx `modify`/`create` facts.
 * Never imports from `node:`; works on `Date` and plain digits only.
 *
 * Decisions, with the reason for each:
 * - Exactly fourteen ASCII digits, then optionally `.` and one or more digits (§2.3: the "." MUST
 *   NOT appear without a digit after it). No spaces, signs or time-zone suffixes: the value is UTC.
 * - Years 0000–9999 are read and written. §2.3 states a range of 1000–9999, but four digits are
 *   unambiguous and `Date` holds them, so refusing 0999 would only break round trips.
 * - Every field is range-checked, never wrapped: month 01–12, day valid for that month (leap years
 *   by the proleptic Gregorian rule §2.3 prescribes), hour 00–23, minute 00–59, second 00–59.
 * - Second 60 is accepted only at 23:59 UTC, where leap seconds are inserted (§2.3 allows 60 "only
 *   at a leap second"; ITU-R TF.460 puts them at the end of a UTC day). `Date` cannot hold a leap
 *   second, so 23:59:60 becomes 00:00:00 of the next day, as POSIX time does.
 * - A fraction of any length is kept to milliseconds and truncated beyond (never rounded, so a
 *   value never moves into the next second); §2.3 forbids adding precision that is not there, so
 *   `formatTimeVal` writes milliseconds only when asked.
 */

import { CodecError, CodecErrorCodes } from '../errors.js';
import { daysInMonth, msOfDay, newUtcDay, TWO_DIGITS, type UtcDay, utcDayOf } from './calendar.js';

/** How precise a parsed time-val was: whole seconds, or seconds with a fraction. */
export type TimeValPrecision = 'second' | 'millisecond';

export interface ParsedTimeVal {
  readonly date: Date;
  readonly precision: TimeValPrecision;
}

function listingError(message: string): CodecError {
  return new CodecError(CodecErrorCodes.LISTING, message);
}

function preview(text: string): string {
  return JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);
}

function digitsAt(text: string, start: number, count: number): number | undefined {
  let value = 0;
  for (let i = start; i < start + count; i++) {
    const digit = text.charCodeAt(i) - 0x30;
    if (!(digit >= 0 && digit <= 9)) return undefined;
    value = value * 10 + digit;
  }
  return value;
}

/**
 * A UTC `Date` for validated fields. The year is set apart because `Date.UTC` reads 0–99 as
 * 1900–1999; the seconds are added last so that a leap second rolls into the next day instead of
 * being undone by `setUTCFullYear`.
 */
function utcDate(
  year: number,
  month: number,
  day: number,
  h: number,
  m: number,
  s: number,
  ms: number,
): Date {
  const date = new Date(Date.UTC(2000, month - 1, day, h, m));
  date.setUTCFullYear(year, month - 1, day);
  return new Date(date.getTime() + s * 1000 + ms);
}

/** Reads a time-val and says how precise it was. Throws `CodecError` LISTING. */
export function parseTimeValWithPrecision(text: string): ParsedTimeVal {
  if (typeof text !== 'string') throw listingError('a time value must be a string');
  const fields = text.length >= 14 ? digitsAt(text, 0, 14) : undefined;
  if (fields === undefined) throw listingError(`time value is not YYYYMMDDHHMMSS: ${preview(text)}`);
  let milliseconds = 0;
  let precision: TimeValPrecision = 'second';
  if (text.length > 14) {
    if (text.charCodeAt(14) !== 0x2e || text.length === 15) {
      throw listingError(`time value has junk after the seconds: ${preview(text)}`);
    }
    // Every fraction digit is checked (linear in the length); only the first three count.
    for (let i = 15; i < text.length; i++) {
      const digit = text.charCodeAt(i) - 0x30;
      if (!(digit >= 0 && digit <= 9))
        throw listingError(`time value fraction is not digits: ${preview(text)}`);
      if (i < 18) milliseconds += digit * 10 ** (17 - i);
    }
    precision = 'millisecond';
  }
  const year = digitsAt(text, 0, 4)!;
  const month = digitsAt(text, 4, 2)!;
  const day = digitsAt(text, 6, 2)!;
  const hour = digitsAt(text, 8, 2)!;
  const minute = digitsAt(text, 10, 2)!;
  const second = digitsAt(text, 12, 2)!;
  if (month < 1 || month > 12) throw listingError(`time value month out of range: ${preview(text)}`);
  if (day < 1 || day > daysInMonth(year, month))
    throw listingError(`time value day out of range: ${preview(text)}`);
  if (hour > 23 || minute > 59)
    throw listingError(`time value hour or minute out of range: ${preview(text)}`);
  if (second > 60 || (second === 60 && (hour !== 23 || minute !== 59))) {
    throw listingError(`time value second out of range (60 only at 23:59, a leap second): ${preview(text)}`);
  }
  return Object.freeze({ date: utcDate(year, month, day, hour, minute, second, milliseconds), precision });
}

/** Reads an RFC 3659 §2.3 time-val (`YYYYMMDDHHMMSS[.sss]`, UTC). Throws `CodecError` LISTING. */
export function parseTimeVal(text: string): Date {
  return parseTimeValWithPrecision(text).date;
}

export interface FormatTimeValOptions {
  /** Append `.sss` milliseconds. Default false: whole seconds, what MDTM and most peers use. */
  readonly milliseconds?: boolean;
}

/**
 * Writes a `Date` as an RFC 3659 §2.3 time-val in UTC: `20200101120000` (or `…120000.250` with
 * `milliseconds`). Throws `CodecError` INVALID_ARGUMENT for an invalid date or a year outside 0–9999.
 */
export function formatTimeVal(date: Date, options: FormatTimeValOptions = {}): string {
  return timeValText(newUtcDay(), date, options.milliseconds === true);
}

/**
 * `formatTimeVal` with the caller's day cache (internal: the listings barrel does not re-export
 * it). The MLSx formatter keeps one `UtcDay` per formatter, so entries of one day share the
 * `YYYYMMDD` digits and only the time of day is computed per entry.
 */
export function timeValText(cache: UtcDay, date: Date, milliseconds: boolean): string {
  const time = date instanceof Date ? date.getTime() : Number.NaN;
  if (Number.isNaN(time))
    throw new CodecError(CodecErrorCodes.INVALID_ARGUMENT, 'formatTimeVal: not a valid Date');
  const day = utcDayOf(cache, time);
  if (day.digits === '') {
    throw new CodecError(
      CodecErrorCodes.INVALID_ARGUMENT,
      `formatTimeVal: year ${day.year} has no four-digit form`,
    );
  }
  const ms = msOfDay(time, day.day);
  const seconds = Math.floor(ms / 1000);
  const text =
    day.digits +
    TWO_DIGITS[Math.floor(seconds / 3600)] +
    TWO_DIGITS[Math.floor(seconds / 60) % 60] +
    TWO_DIGITS[seconds % 60];
  if (!milliseconds) return text;
  const frac = ms - seconds * 1000;
  return `${text}.${frac < 10 ? '00' : frac < 100 ? '0' : ''}${frac}`;
}
