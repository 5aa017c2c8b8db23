/**
 * The client side of LIST for Windows servers: one IIS / "MS-DOS style" line into a
 * `ListingEntry`.
 *
 * Owns: `parseDosListLine` and its non-throwing scanner `scanDosLine`. IIS prints
 *
 *   01-02-06  03:04PM       <DIR>          name
 *   01-02-2006  15:04                 1234 name with spaces
 *
 * (two- or four-digit years depending on its "four-digit years" setting, 12- or 24-hour clock
 * depending on the server's locale). `MM/DD/YY`, `YYYY-MM-DD`, seconds, a spaced ` PM`,
 * thousands separators in sizes and the `<JUNCTION>`/`<SYMLINKD>`/`<SYMLINK>` markers of
 * Windows `dir` are accepted too. The scan is one pass with no regular expression.
 *
 * Never imports from `node:`.
 */

import { CodecError, CodecErrorCodes } from '../errors.js';
import { daysInMonth, utcMillis } from './calendar.js';
import type { EntryType, ListingEntry } from './entry.js';
import { NO_ENTRY } from './parse-unix.js';

/**
 * Two-digit years below this are 20xx, others 19xx: IIS printed two-digit years from the 1990s
 * on, and Unix time starts in 1970, so 1970–2069 is the window every real listing falls in.
 */
export const DOS_YEAR_PIVOT = 70;

/**
 * Parses one DOS-style line. Returns `undefined` for a blank line; throws `CodecError` LISTING
 * for any other line that is not a DOS listing line. Times carry no zone and are read as UTC
 * (`modifiedPrecision` says `minute` or `second`). A name's leading blanks are not kept: IIS
 * pads the `<DIR>` column, so they cannot be told from padding. A trailing CR is ignored.
 */
export function parseDosListLine(line: string): ListingEntry | undefined {
  const result = scanDosLine(line);
  if (result === NO_ENTRY) return undefined;
  if (typeof result === 'string') {
    throw new CodecError(CodecErrorCodes.LISTING, `not a DOS listing line: ${result}`);
  }
  return result;
}

const isBlank = (c: number): boolean => c === 0x20 || c === 0x09;
const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;

/** Scans one line: the entry, `NO_ENTRY` for a blank line, or a short reason. Never throws. */
export function scanDosLine(line: string): ListingEntry | typeof NO_ENTRY | string {
  let end = line.length;
  if (end > 0 && line.charCodeAt(end - 1) === 0x0d) end--;
  let p = 0;
  while (p < end && isBlank(line.charCodeAt(p))) p++;
  if (p === end) return NO_ENTRY;
  if (p !== 0) return 'leading whitespace';

  // Date: three digit groups with the same separator.
  const aStart = p;
  while (p < end && isDigit(line.charCodeAt(p))) p++;
  const aLen = p - aStart;
  const sep = line.charCodeAt(p);
  if (aLen === 0 || aLen > 4 || (sep !== 0x2d && sep !== 0x2f)) return 'no date';
  const a = number(line, aStart, p);
  const bStart = ++p;
  while (p < end && isDigit(line.charCodeAt(p))) p++;
  const bLen = p - bStart;
  if (bLen === 0 || bLen > 2 || line.charCodeAt(p) !== sep) return 'no date';
  const b = number(line, bStart, p);
  const cStart = ++p;
  while (p < end && isDigit(line.charCodeAt(p))) p++;
  const cLen = p - cStart;
  const c = number(line, cStart, p);
  let year: number;
  let month: number;
  let day: number;
  if (aLen === 4) {
    if (cLen === 0 || cLen > 2) return 'no date';
    year = a;
    month = b;
    day = c;
  } else {
    if (aLen > 2 || (cLen !== 2 && cLen !== 4)) return 'no date';
    month = a;
    day = b;
    year = cLen === 4 ? c : c < DOS_YEAR_PIVOT ? 2000 + c : 1900 + c;
  }
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return 'invalid date';
  if (p >= end || !isBlank(line.charCodeAt(p))) return 'no blank after the date';
  while (p < end && isBlank(line.charCodeAt(p))) p++;

  // Time: `H:MM` or `HH:MM`, optional `:SS`, optional `AM`/`PM` attached or after one blank.
  const hStart = p;
  while (p < end && isDigit(line.charCodeAt(p))) p++;
  if (p === hStart || p - hStart > 2 || line.charCodeAt(p) !== 0x3a) return 'no time';
  let hour = number(line, hStart, p);
  const minute = twoDigits(line, p + 1);
  if (minute < 0 || minute > 59) return 'invalid time';
  p += 3;
  let second = -1;
  if (line.charCodeAt(p) === 0x3a) {
    second = twoDigits(line, p + 1);
    if (second < 0 || second > 59) return 'invalid time';
    p += 3;
  }
  let meridiem = meridiemAt(line, p, end);
  if (meridiem !== 0) {
    p += 2;
  } else if (p < end && line.charCodeAt(p) === 0x20) {
    meridiem = meridiemAt(line, p + 1, end);
    if (meridiem !== 0) p += 3;
  }
  if (meridiem !== 0) {
    if (hour < 1 || hour > 12) return 'invalid time';
    // 12:xxAM is just after midnight, 12:xxPM just after noon.
    hour = (hour % 12) + (meridiem === 2 ? 12 : 0);
  } else if (hour > 23) {
    return 'invalid time';
  }
  if (p >= end || !isBlank(line.charCodeAt(p))) return 'no blank after the time';
  while (p < end && isBlank(line.charCodeAt(p))) p++;

  // `<DIR>`, a link marker, or the size.
  let type: EntryType = 'file';
  let size = -1;
  if (line.charCodeAt(p) === 0x3c) {
    const close = markerEnd(line, p, end);
    if (close < 0) return 'unknown <marker>';
    const marker = line.slice(p + 1, close).toUpperCase();
    if (marker === 'DIR') type = 'dir';
    else if (marker === 'JUNCTION' || marker === 'SYMLINKD' || marker === 'SYMLINK') type = 'symlink';
    else return 'unknown <marker>';
    p = close + 1;
  } else {
    const sizeStart = p;
    size = 0;
    let groupDigits = 0;
    let sawComma = false;
    for (; p < end && !isBlank(line.charCodeAt(p)); p++) {
      const ch = line.charCodeAt(p);
      if (isDigit(ch)) {
        size = size * 10 + (ch - 0x30);
        groupDigits++;
        if (size > Number.MAX_SAFE_INTEGER) return 'size is not a safe integer';
      } else if (ch === 0x2c && groupDigits > 0 && (!sawComma ? groupDigits <= 3 : groupDigits === 3)) {
        // Thousands separators, as Windows `dir` prints them: 1,234,567.
        sawComma = true;
        groupDigits = 0;
      } else {
        return 'no size';
      }
    }
    if (p === sizeStart || groupDigits === 0 || (sawComma && groupDigits !== 3)) return 'no size';
  }
  if (p >= end || !isBlank(line.charCodeAt(p))) return 'no name';
  while (p < end && isBlank(line.charCodeAt(p))) p++;
  if (p >= end) return 'no name';

  let name = line.slice(p, end);
  let target: string | undefined;
  // Windows `dir` shows a link's target in brackets after its name: `link [C:\target]`.
  if (type === 'symlink' && name.charCodeAt(name.length - 1) === 0x5d) {
    const open = name.lastIndexOf(' [');
    if (open > 0) {
      target = name.slice(open + 2, -1);
      name = name.slice(0, open);
    }
  }
  const modified = new Date(utcMillis(year, month, day, hour, minute, Math.max(second, 0)));
  const entry: { -readonly [K in keyof ListingEntry]: ListingEntry[K] } = {
    name,
    type,
    modified,
    modifiedPrecision: second < 0 ? 'minute' : 'second',
    raw: line,
  };
  if (size >= 0) entry.size = size;
  if (target !== undefined) entry.target = target;
  return Object.freeze(entry);
}

function number(line: string, start: number, end: number): number {
  let value = 0;
  for (let i = start; i < end; i++) value = value * 10 + (line.charCodeAt(i) - 0x30);
  return value;
}

function twoDigits(line: string, at: number): number {
  const a = line.charCodeAt(at);
  const b = line.charCodeAt(at + 1);
  return isDigit(a) && isDigit(b) ? (a - 0x30) * 10 + (b - 0x30) : -1;
}

/** 1 for `AM`, 2 for `PM` (any case) at `at`, else 0. */
function meridiemAt(line: string, at: number, end: number): number {
  if (at + 2 > end) return 0;
  const a = line.charCodeAt(at) | 0x20;
  if ((line.charCodeAt(at + 1) | 0x20) !== 0x6d) return 0;
  return a === 0x61 ? 1 : a === 0x70 ? 2 : 0;
}

/** The index of the `>` closing a short `<WORD>` marker at `start`, or -1. */
function markerEnd(line: string, start: number, end: number): number {
  const limit = Math.min(end, start + 12);
  for (let i = start + 1; i < limit; i++) if (line.charCodeAt(i) === 0x3e) return i;
  return -1;
}
