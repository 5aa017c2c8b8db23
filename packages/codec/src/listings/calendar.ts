/**
 * Calendar helpers shared by the `ls -l` formatter and the LIST parsers (internal, not exported
 * from the barrel).
 *
 * Owns: English month abbreviations, day-of-month validation and the year inference for
 * year-less `ls -l` dates. Everything is UTC: a listing line carries no zone, and servers that
 * list in local time are indistinguishable from ones that list in UTC, so the codec picks one.
 * Never imports from `node:`.
 */

/**
 * `ls -l` month abbreviations as the C/POSIX locale prints them. FTP servers answer in English
 * whatever their locale (vsftpd, ProFTPD and Pure-FTPd all hard-code these), and clients such as
 * curl and basic-ftp only parse these.
 */
export const MONTH_NAMES = [
  'Jan',
  'Feb',
  'Mar',
  'Apr',
  'May',
  'Jun',
  'Jul',
  'Aug',
  'Sep',
  'Oct',
  'Nov',
  'Dec',
] as const;

const DAY_MS = 86_400_000;

/**
 * GNU coreutils `ls` calls a time "recent" when it lies within half a Gregorian year
 * (31556952 s / 2) before now; older or future times are printed with their year instead.
 */
export const SIX_MONTHS_MS = (31_556_952 / 2) * 1000;

/** How far in the future a year-less date may lie before it is read as last year's (clock skew, zones). */
export const FUTURE_TOLERANCE_MS = DAY_MS;

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** Days in `month` (1–12) of `year`. */
export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/**
 * The 1-based month of a three-letter English abbreviation, case-insensitive (some servers print
 * `JAN`), or 0. Reads char codes at `start` so callers need not slice the line.
 */
export function monthAt(line: string, start: number, end: number): number {
  if (end - start !== 3) return 0;
  // Lower-casing by OR 0x20 is safe here: only ASCII letters can match the table below.
  const a = line.charCodeAt(start) | 0x20;
  const b = line.charCodeAt(start + 1) | 0x20;
  const c = line.charCodeAt(start + 2) | 0x20;
  switch (a) {
    case 0x6a: // j
      if (b === 0x61 && c === 0x6e) return 1; // jan
      if (b === 0x75 && c === 0x6e) return 6; // jun
      if (b === 0x75 && c === 0x6c) return 7; // jul
      return 0;
    case 0x66: // f
      return b === 0x65 && c === 0x62 ? 2 : 0; // feb
    case 0x6d: // m
      if (b === 0x61 && c === 0x72) return 3; // mar
      if (b === 0x61 && c === 0x79) return 5; // may
      return 0;
    case 0x61: // a
      if (b === 0x70 && c === 0x72) return 4; // apr
      if (b === 0x75 && c === 0x67) return 8; // aug
      return 0;
    case 0x73: // s
      return b === 0x65 && c === 0x70 ? 9 : 0; // sep
    case 0x6f: // o
      return b === 0x63 && c === 0x74 ? 10 : 0; // oct
    case 0x6e: // n
      return b === 0x6f && c === 0x76 ? 11 : 0; // nov
    case 0x64: // d
      return b === 0x65 && c === 0x63 ? 12 : 0; // dec
    default:
      return 0;
  }
}

/** ECMAScript's TimeClip: a `Date` holds at most 100,000,000 days either side of 1970. */
const MAX_TIME_MS = 8.64e15;

/**
 * `Date.UTC` for any year, including 0–99 which `Date.UTC` would map to 1900–1999, and NaN
 * outside the range a `Date` holds, as `Date.UTC` gives. By integer arithmetic (H. Hinnant's
 * `days_from_civil`, exact for the proleptic Gregorian calendar that ECMAScript uses): a parser
 * asks once per listing line, and the arithmetic costs a fraction of a `Date.UTC` call. `month`
 * is 1–12; a day past the month's end rolls over into the next month, as with `Date.UTC`.
 */
export function utcMillis(
  year: number,
  month: number,
  day: number,
  hour = 0,
  minute = 0,
  second = 0,
  ms = 0,
): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const days = era * 146_097 + yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy - 719_468;
  const t = days * DAY_MS + ((hour * 60 + minute) * 60 + second) * 1000 + ms;
  return t >= -MAX_TIME_MS && t <= MAX_TIME_MS ? t : Number.NaN;
}

/**
 * The time of a year-less `ls -l` date (`Jan  2 15:04`), in the year that puts it no more than
 * `FUTURE_TOLERANCE_MS` after `nowMs`. `ls` prints such dates only for the past six months, so
 * a date that would lie further in the future belongs to the previous year. February 29th walks
 * back to the nearest leap year, the only year it can come from.
 */
export function yearlessUtcMillis(
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
  nowMs: number,
): number {
  let year = yearOf(nowMs);
  const thisYear = utcMillis(year, month, day, hour, minute, second);
  // Nearly every line: this year's date, already computed.
  if (thisYear <= nowMs + FUTURE_TOLERANCE_MS && (month !== 2 || day !== 29)) return thisYear;
  if (thisYear > nowMs + FUTURE_TOLERANCE_MS) year--;
  if (month === 2 && day === 29) while (!isLeapYear(year)) year--;
  return utcMillis(year, month, day, hour, minute, second);
}

/**
 * The UTC year of `ms` (finite), by the same arithmetic as `utcDayOf`. Computed every time rather
 * than cached per `now`: a cache miss on each new listing would be a branch the optimised parser
 * has never seen, and throwing that code away mid-listing costs far more than the arithmetic.
 */
function yearOf(ms: number): number {
  return Math.floor(civilFromDays(Math.floor(ms / DAY_MS)) / 512);
}

/**
 * The proleptic Gregorian date of a day number (days since 1970-01-01), by H. Hinnant's
 * `civil_from_days`, exact for the whole range a `Date` holds: packed as
 * `year·512 + month·32 + date` (month 1–12, date 1–31), so that callers allocate nothing.
 */
function civilFromDays(day: number): number {
  const z = day + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  return year * 512 + month * 32 + (doy - Math.floor((153 * mp + 2) / 5) + 1);
}

/** `'00'` to `'99'`: two-digit fields without a `padStart` per field. */
export const TWO_DIGITS: readonly string[] = Object.freeze(
  Array.from({ length: 100 }, (_, i) => (i < 10 ? `0${i}` : String(i))),
);

/**
 * The UTC calendar day of a time, by integer arithmetic (H. Hinnant's `civil_from_days`, exact for
 * the whole proleptic Gregorian range a `Date` holds). The `Date` getters cost several times more,
 * and a formatter asks once per entry: it keeps one `UtcDay` and refills it only when an entry
 * falls on another day, which in a directory listing is the exception.
 */
export interface UtcDay {
  /** Days since 1970-01-01 (NaN before the first use). */
  day: number;
  year: number;
  /** 1–12. */
  month: number;
  /** 1–31. */
  date: number;
  /** `YYYYMMDD`, or '' for a year outside 0–9999. */
  digits: string;
}

export function newUtcDay(): UtcDay {
  return { day: Number.NaN, year: 0, month: 0, date: 0, digits: '' };
}

/** Fills `cache` for the day holding `time` (ms since the epoch, finite) and returns it. */
export function utcDayOf(cache: UtcDay, time: number): UtcDay {
  const day = Math.floor(time / DAY_MS);
  if (day === cache.day) return cache;
  const civil = civilFromDays(day);
  const year = Math.floor(civil / 512);
  const rest = civil - year * 512;
  const month = rest >> 5;
  cache.day = day;
  cache.year = year;
  cache.month = month;
  cache.date = rest & 31;
  const y = cache.year;
  cache.digits =
    y < 0 || y > 9999
      ? ''
      : (y < 10 ? '000' : y < 100 ? '00' : y < 1000 ? '0' : '') +
        String(y) +
        TWO_DIGITS[month] +
        TWO_DIGITS[cache.date];
  return cache;
}

/** Milliseconds since UTC midnight of `time`'s day (0 to 86,399,999), for `utcDayOf`'s `day`. */
export function msOfDay(time: number, day: number): number {
  return time - day * DAY_MS;
}
