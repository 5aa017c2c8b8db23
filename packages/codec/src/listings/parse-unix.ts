/**
 * The client side of LIST for Unix-style servers: one `ls -l` line into a `ListingEntry`.
 *
 * Owns: `parseUnixListLine` and the non-throwing scanner `scanUnixLine` that the auto-detecting
 * `parseListing` uses. RFC 959 §4.1.3 leaves the LIST format unspecified; this follows what GNU
 * coreutils, BSD and busybox `ls -l` print and what vsftpd, ProFTPD and Pure-FTPd imitate:
 *
 *   drwxr-xr-x+  2 owner group     4096 Jan  2 15:04 name with spaces
 *   lrwxrwxrwx   1 owner group        7 Jan  2  2006 link -> target
 *   crw-rw----   1 root  tty      4,   0 2024-01-02 15:04 tty0
 *
 * How a line is split: the mode field is read first; then whitespace-separated tokens are
 * scanned from the left until a date (`Mon DD HH:MM|YYYY`, `DD Mon ...`, BSD `-T`, or ISO
 * `YYYY-MM-DD HH:MM[:SS[.frac] ±hhmm]`) is found right after a size. The name is everything
 * after the single separator that follows the date, so names keep their inner, leading and
 * trailing spaces. The scan is one pass with constant look-ahead and no regular expression:
 * linear in the line, whatever the line holds. The shape nearly every server prints
 * (`nlink owner group size Mon DD HH:MM|YYYY name`) is read first by a shortcut that gives the
 * same entry with less work (`scanCommon`); any other line goes to the general scan.
 *
 * `parseListing` hands over whole listings: `scanUnixRange` reads a line in place in the
 * listing's text, so no string is made per line but the entry's own fields.
 *
 * Never imports from `node:`.
 */

import { CodecError, CodecErrorCodes } from '../errors.js';
import { daysInMonth, monthAt, utcMillis, yearlessUtcMillis } from './calendar.js';
import type { EntryType, ListingEntry } from './entry.js';

export interface UnixListParseOptions {
  /**
   * The reference time for dates printed without a year (`Jan  2 15:04`): such a date is read
   * in the year that puts it at most one day after `now`. Default: the current time.
   */
  readonly now?: Date;
}

/**
 * Parses one `ls -l` line. Returns `undefined` for lines that carry no entry: blank lines and
 * the `total 123` block count. Throws `CodecError` LISTING for anything else that is not a Unix
 * listing line. A trailing CR (a CRLF line split on LF) is ignored. `.` and `..` are returned
 * like any directory (type `dir`): filtering them is the caller's choice.
 */
export function parseUnixListLine(
  line: string,
  options: UnixListParseOptions = {},
): ListingEntry | undefined {
  const result = scanUnixLine(line, referenceTime(options.now));
  if (result === NO_ENTRY) return undefined;
  if (typeof result === 'string') {
    throw new CodecError(CodecErrorCodes.LISTING, `not a Unix listing line: ${result}`);
  }
  return result;
}

/** Marks a line that is valid but carries no entry (blank, `total N`). */
export const NO_ENTRY: unique symbol = Symbol('no entry');

/** The milliseconds of `now`, validated: a bad `now` is a caller's mistake, not server input. */
export function referenceTime(now: Date | undefined): number {
  if (now === undefined) return Date.now();
  const ms = now instanceof Date ? now.getTime() : Number.NaN;
  if (Number.isNaN(ms)) {
    throw new CodecError(CodecErrorCodes.INVALID_ARGUMENT, 'options.now must be a valid Date');
  }
  return ms;
}

// Token positions, reused across calls (the scan never re-enters). A date must start within the
// first MAX_TOKENS tokens: nlink, owner, group and a device's "major, minor" need at most six,
// and the cap keeps a hostile line of a million short words from being tokenised in full.
// Tokens are read on demand (`hasToken`), so a name is never split into words it does not need.
const MAX_TOKENS = 16;
const starts = new Int32Array(MAX_TOKENS);
const ends = new Int32Array(MAX_TOKENS);
/** `scanCommon`'s decimal value of each field, or -1. */
const values = new Float64Array(7);
/** How many tokens of the current line are in `starts`/`ends`, and where the next one is sought. */
let count = 0;
let cursor = 0;
let lineEnd = 0;

// The date found by `matchDate`, in one reused object to avoid an allocation per candidate.
const d = {
  year: 0,
  month: 0,
  day: 0,
  hour: 0,
  minute: 0,
  second: 0,
  millis: 0,
  offsetMinutes: 0,
  precision: 'day' as 'day' | 'minute' | 'second' | 'millisecond',
  hasYear: false,
};

const SP = 0x20;
const TAB = 0x09;
const CR = 0x0d;
const isBlank = (c: number): boolean => c === SP || c === TAB;

/**
 * Scans one line. Returns the entry, `NO_ENTRY` for blank and `total` lines, or a short reason
 * when the line is not a Unix listing line. Never throws.
 */
export function scanUnixLine(line: string, now: number): ListingEntry | typeof NO_ENTRY | string {
  return scanUnixRange(line, 0, line.length, now);
}

/**
 * `scanUnixLine` for the line `text[start, rawEnd)` of a whole listing, so that `parseListing`
 * makes no string per line: only an entry's `raw`, name, owner and group are cut out of `text`.
 * `raw` is exactly that range; a CR before `rawEnd` is not part of the line's fields.
 * `text[rawEnd]` must be a CR or LF, or past the end of `text`: the shortcut relies on it to
 * stop at the line's end.
 */
export function scanUnixRange(
  text: string,
  start: number,
  rawEnd: number,
  now: number,
  common = true,
): ListingEntry | typeof NO_ENTRY | string {
  let end = rawEnd;
  // A CRLF listing split on LF leaves the CR; it is never part of a name (RFC 959 §4.1.3).
  if (end > start && text.charCodeAt(end - 1) === CR) end--;
  const first = text.charCodeAt(start);
  if (start === end || first === SP || first === TAB) {
    let p = start;
    while (p < end) {
      const c = text.charCodeAt(p);
      if (c !== SP && c !== TAB) return 'leading whitespace';
      p++;
    }
    return NO_ENTRY;
  }
  if (first === 0x74 && isTotalLine(text, start, end)) return NO_ENTRY; // t
  if (end - start < 11) return 'too short';

  const type = typeOf(first);
  if (type === undefined) return 'unknown file type letter';
  const mode = parseModeBits(text, start);
  if (mode < 0) return 'malformed permission string';
  let p = start + 10;
  // ACL (`+`, GNU and BSD), extended attributes (`@`, macOS) and SELinux context (`.`, GNU)
  // markers follow the permissions directly; the mode bits are the same without them.
  const marker = text.charCodeAt(p);
  if (marker === 0x2b || marker === 0x40 || marker === 0x2e) p++;
  if (p >= end) return 'no blank after the permissions';
  const blank = text.charCodeAt(p);
  if (blank !== SP && blank !== TAB) return 'no blank after the permissions';
  if (common && type !== 'symlink') {
    const entry = scanCommon(text, start, rawEnd, end, type, mode, p, now);
    if (entry !== undefined) return entry;
  }

  count = 0;
  cursor = p;
  lineEnd = end;
  // The date starts at token m >= 3: at least two fields (nlink and owner, or owner and group)
  // and a size come first. Starting at 3 also keeps an owner or group that looks like a month
  // (`jan`) or a day from being taken for the date.
  for (let m = 3; hasToken(text, m); m++) {
    const sizeEnd = ends[m - 1]!;
    const sizeStart = starts[m - 1]!;
    if (!isDigits(text, sizeStart, sizeEnd) && !isMajorMinor(text, sizeStart, sizeEnd)) continue;
    const last = matchDate(text, m);
    if (last < 0) continue;
    const nameStart = ends[last]! + 1;
    if (nameStart >= end) return 'no name after the date';
    return buildEntry(text, start, rawEnd, end, type, mode, m, nameStart, now);
  }
  return 'no size and date columns';
}

/** `scanUnixLine` without the `scanCommon` shortcut, for the tests that hold the two equal. */
export function scanUnixLineGeneral(line: string, now: number): ListingEntry | typeof NO_ENTRY | string {
  return scanUnixRange(line, 0, line.length, now, false);
}

// The owner and group of the previous common line: a listing repeats a few of them, so an equal
// field reuses the string instead of copying a new one (less to allocate and collect).
let lastOwner = '';
let lastGroup = '';

/**
 * Reads `scanCommon`'s seven fields from `p` into `starts`/`ends`, with their decimal value in
 * `values`; returns the position of the separator after the seventh, or -1 when the line ends
 * or holds a control character first. A function of its own so that V8 optimises this loop,
 * where a listing spends most of its time, without waiting for the rest of `scanCommon`.
 */
function readFields(text: string, p: number): number {
  // One loop with one read per character: V8 compiles it several times faster than a loop per
  // field. The line ends in a CR or LF, or at the end of the string (NaN), none of which is a
  // field character or a separator. A control character inside a field leaves the line to the
  // general scan, for which only SP and TAB separate fields.
  let k = 0;
  let fieldStart = -1;
  let value = 0;
  for (; ; p++) {
    const c = text.charCodeAt(p);
    if (c > SP) {
      if (fieldStart < 0) {
        fieldStart = p;
        value = 0;
      }
      value = value >= 0 && c >= 0x30 && c <= 0x39 ? value * 10 + (c - 0x30) : -1;
      continue;
    }
    if (c !== SP && c !== TAB) return -1; // the line's end, or a control character
    if (fieldStart >= 0) {
      starts[k] = fieldStart;
      ends[k] = p;
      // As `digitsValue`: at most 16 digits and a safe integer, else -1.
      values[k] = p - fieldStart <= 16 && value <= Number.MAX_SAFE_INTEGER ? value : -1;
      fieldStart = -1;
      if (++k === 7) return p;
    }
  }
}

/**
 * The line nearly every server prints, `-rw-r--r--  1 owner group  1234 Jan  2 15:04 name` (or
 * `Jan  2  2006`), read field by field from `p`, the blank after the permissions. Returns
 * `undefined` for any other shape, and the general scan decides. When it returns an entry, that
 * is the entry the general scan builds: on this shape the general scan's first date candidate
 * (starting at the size, with the group as the size) always fails, and its second is the one
 * read here. A listing of such lines never runs the general scan, which leaves V8 far less to
 * compile before the next listing runs at full speed.
 */
function scanCommon(
  text: string,
  start: number,
  rawEnd: number,
  end: number,
  type: EntryType,
  mode: number,
  p: number,
  now: number,
): ListingEntry | undefined {
  p = readFields(text, p);
  if (p < 0) return undefined;
  // `p` is the separator after the time, which `end` is not; the name is what follows it.
  const nameStart = p + 1;
  if (nameStart >= end) return undefined;
  const groupEnd = ends[2]!;
  const timeStart = starts[6]!;
  const timeEnd = p;

  const nlink = values[0]!;
  const size = values[3]!;
  // A group `4,` is a device's major number: the general scan reads `major, minor`.
  if (nlink < 0 || size < 0 || text.charCodeAt(groupEnd - 1) === 0x2c) return undefined;
  const month = monthAt(text, starts[4]!, ends[4]!);
  const day = ends[5]! - starts[5]! <= 2 ? values[5]! : -1;
  if (month === 0 || day < 1 || day > daysInMonth(2000, month)) return undefined;

  let modified: number;
  let precision: 'day' | 'minute';
  const year = timeEnd - timeStart === 4 ? values[6]! : -1;
  if (year >= 0) {
    if (day > daysInMonth(year, month)) return undefined;
    modified = utcMillis(year, month, day);
    precision = 'day';
  } else {
    // `H:MM` or `HH:MM`; seconds (BSD `-T`) are the general scan's.
    const colon = timeEnd - 3;
    if (colon <= timeStart || colon > timeStart + 2 || text.charCodeAt(colon) !== 0x3a) return undefined;
    const hour = digitsValue(text, timeStart, colon);
    const minute = digitsValue(text, colon + 1, timeEnd);
    if (hour < 0 || hour > 23 || minute < 0 || minute > 59) return undefined;
    modified = yearlessUtcMillis(month, day, hour, minute, 0, now);
    precision = 'minute';
  }

  const owner = sameOrSlice(text, starts[1]!, ends[1]!, lastOwner);
  const group = sameOrSlice(text, starts[2]!, groupEnd, lastGroup);
  lastOwner = owner;
  lastGroup = group;
  // The key order of the general scan's entries, so both kinds print and compare alike.
  return Object.freeze({
    name: text.slice(nameStart, end),
    type,
    modified: new Date(modified),
    modifiedPrecision: precision,
    mode,
    raw: text.slice(start, rawEnd),
    size,
    nlink,
    owner,
    group,
  });
}

/** Whether the line has a token `k` (reading tokens up to it); never past MAX_TOKENS. */
function hasToken(text: string, k: number): boolean {
  while (count <= k) {
    if (count === MAX_TOKENS) return false;
    let p = cursor;
    let c = 0;
    while (p < lineEnd) {
      c = text.charCodeAt(p);
      if (c !== SP && c !== TAB) break;
      p++;
    }
    if (p >= lineEnd) {
      cursor = p;
      return false;
    }
    starts[count] = p;
    p++;
    while (p < lineEnd) {
      c = text.charCodeAt(p);
      if (c === SP || c === TAB) break;
      p++;
    }
    ends[count] = p;
    count++;
    cursor = p;
  }
  return true;
}

function buildEntry(
  text: string,
  start: number,
  rawEnd: number,
  end: number,
  type: EntryType,
  mode: number,
  m: number,
  nameStart: number,
  now: number,
): ListingEntry | string {
  // Size: `1234`, or a device's `major, minor` / `major,minor` (no size then).
  let sizeIndex = m - 1;
  let size = -1;
  const lastStart = starts[sizeIndex]!;
  const lastEnd = ends[sizeIndex]!;
  if (!isMajorMinor(text, lastStart, lastEnd)) {
    const prev = sizeIndex - 1;
    if (isMajorComma(text, starts[prev]!, ends[prev]!)) {
      sizeIndex = prev;
    } else {
      size = digitsValue(text, lastStart, lastEnd);
      if (size < 0) return 'size is not a safe integer';
    }
  }
  if (sizeIndex < 2) return 'no owner before the size';

  // Owner, group and nlink: `nlink owner group`, `nlink owner` (servers that drop the group),
  // or `owner group` (servers that drop nlink). More tokens: a group name with spaces.
  let first = 0;
  const nlink = digitsValue(text, starts[0]!, ends[0]!);
  if (nlink >= 0) first = 1;
  const owner = text.slice(starts[first]!, ends[first]!);
  const group = first + 1 < sizeIndex ? text.slice(starts[first + 1]!, ends[sizeIndex - 1]!) : undefined;

  let modified: number;
  if (d.hasYear) {
    modified =
      utcMillis(d.year, d.month, d.day, d.hour, d.minute, d.second, d.millis) - d.offsetMinutes * 60_000;
  } else {
    modified = yearlessUtcMillis(d.month, d.day, d.hour, d.minute, d.second, now);
  }

  let name = text.slice(nameStart, end);
  // A whole string sliced whole is the string itself: `scanUnixLine`'s raw is its line.
  const raw = text.slice(start, rawEnd);
  const date = new Date(modified);
  let target: string | undefined;
  if (type === 'symlink') {
    const arrow = name.indexOf(' -> ');
    if (arrow > 0) {
      target = name.slice(arrow + 4);
      name = name.slice(0, arrow);
    }
  }
  const entry: Mutable<ListingEntry> = {
    name,
    type,
    modified: date,
    modifiedPrecision: d.precision,
    mode,
    raw,
  };
  if (size >= 0) entry.size = size;
  if (first === 1) entry.nlink = nlink;
  entry.owner = owner;
  if (group !== undefined) entry.group = group;
  if (target !== undefined) entry.target = target;
  return Object.freeze(entry);
}

/** `text[start, end)`, or `previous` when it holds the same characters. */
function sameOrSlice(text: string, start: number, end: number, previous: string): string {
  if (end - start !== previous.length) return text.slice(start, end);
  for (let i = start; i < end; i++) {
    if (text.charCodeAt(i) !== previous.charCodeAt(i - start)) return text.slice(start, end);
  }
  return previous;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * Reads the date starting at token `m`; returns the index of its last token or -1, leaving the
 * fields in `d`.
 */
function matchDate(line: string, m: number): number {
  if (!hasToken(line, m + 1)) return -1;
  const s0 = starts[m]!;
  const e0 = ends[m]!;
  const s1 = starts[m + 1]!;
  const e1 = ends[m + 1]!;
  d.offsetMinutes = 0;
  d.millis = 0;

  // ISO: `2024-01-02 15:04` (long-iso) or `2024-01-02 15:04:05.123456789 +0000` (full-iso).
  if (e0 - s0 === 10 && line.charCodeAt(s0 + 4) === 0x2d && line.charCodeAt(s0 + 7) === 0x2d) {
    const year = digitsValue(line, s0, s0 + 4);
    const month = digitsValue(line, s0 + 5, s0 + 7);
    const day = digitsValue(line, s0 + 8, s0 + 10);
    if (year < 0 || !validDay(year, month, day) || !readClock(line, s1, e1, true)) return -1;
    d.year = year;
    d.month = month;
    d.day = day;
    d.hasYear = true;
    if (d.precision === 'minute' || !hasToken(line, m + 2)) return m + 1;
    const zone = readZone(line, starts[m + 2]!, ends[m + 2]!);
    if (zone === undefined) return m + 1;
    d.offsetMinutes = zone;
    return m + 2;
  }

  if (!hasToken(line, m + 2)) return -1;
  // `Jan  2 ...` (all `ls`) or `2 Jan ...` (some European-configured servers).
  let month = monthAt(line, s0, e0);
  let day: number;
  if (month > 0) {
    day = digitsValue(line, s1, e1);
  } else {
    month = monthAt(line, s1, e1);
    if (month === 0) return -1;
    day = digitsValue(line, s0, e0);
  }
  // Without a year, February 29th must stay possible: check against a leap year.
  if (day < 1 || day > daysInMonth(2000, month)) return -1;
  const s2 = starts[m + 2]!;
  const e2 = ends[m + 2]!;
  d.month = month;
  d.day = day;
  const year = e2 - s2 === 4 ? digitsValue(line, s2, e2) : -1;
  if (year >= 0) {
    if (day > daysInMonth(year, month)) return -1;
    d.year = year;
    d.hour = 0;
    d.minute = 0;
    d.second = 0;
    d.hasYear = true;
    d.precision = 'day';
    return m + 2;
  }
  if (!readClock(line, s2, e2, false)) return -1;
  d.hasYear = false;
  // BSD `ls -lT`: `Jan  2 15:04:05 2006`, seconds and the year both given.
  if (d.precision === 'second' && hasToken(line, m + 3) && ends[m + 3]! - starts[m + 3]! === 4) {
    const year = digitsValue(line, starts[m + 3]!, ends[m + 3]!);
    if (year >= 0 && day <= daysInMonth(year, month)) {
      d.year = year;
      d.hasYear = true;
      return m + 3;
    }
  }
  return m + 2;
}

/** `H:MM`, `HH:MM`, `HH:MM:SS`, and with `fraction` also `HH:MM:SS.fffffffff`. */
function readClock(line: string, start: number, end: number, fraction: boolean): boolean {
  const colon = line.charCodeAt(start + 1) === 0x3a ? start + 1 : start + 2;
  if (line.charCodeAt(colon) !== 0x3a || end - colon < 3) return false;
  const hour = digitsValue(line, start, colon);
  const minute = digitsValue(line, colon + 1, colon + 3);
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59) return false;
  d.hour = hour;
  d.minute = minute;
  d.second = 0;
  if (end === colon + 3) {
    d.precision = 'minute';
    return true;
  }
  if (line.charCodeAt(colon + 3) !== 0x3a || end < colon + 6) return false;
  const second = digitsValue(line, colon + 4, colon + 6);
  if (second < 0 || second > 59) return false;
  d.second = second;
  if (end === colon + 6) {
    d.precision = 'second';
    return true;
  }
  // GNU full-iso prints nanoseconds; a Date keeps milliseconds.
  const fracStart = colon + 7;
  if (!fraction || line.charCodeAt(colon + 6) !== 0x2e || end === fracStart || end - fracStart > 9) {
    return false;
  }
  if (!isDigits(line, fracStart, end)) return false;
  const digits = Math.min(3, end - fracStart);
  d.millis = digitsValue(line, fracStart, fracStart + digits) * (digits === 1 ? 100 : digits === 2 ? 10 : 1);
  d.precision = 'millisecond';
  return true;
}

/** `+0100` / `-0530` → minutes east of UTC. */
function readZone(line: string, start: number, end: number): number | undefined {
  if (end - start !== 5) return undefined;
  const sign = line.charCodeAt(start);
  if (sign !== 0x2b && sign !== 0x2d) return undefined;
  const hours = digitsValue(line, start + 1, start + 3);
  const minutes = digitsValue(line, start + 3, start + 5);
  if (hours < 0 || hours > 23 || minutes < 0 || minutes > 59) return undefined;
  const offset = hours * 60 + minutes;
  return sign === 0x2d ? -offset : offset;
}

function validDay(year: number, month: number, day: number): boolean {
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

/** `total 123` (GNU, BSD) or `total 12K` (`ls -h`): the block count that opens a listing. */
function isTotalLine(line: string, start: number, end: number): boolean {
  if (end - start < 7 || !line.startsWith('total', start) || !isBlank(line.charCodeAt(start + 5))) {
    return false;
  }
  let p = start + 6;
  while (p < end && isBlank(line.charCodeAt(p))) p++;
  const c = line.charCodeAt(p);
  if (!(c >= 0x30 && c <= 0x39)) return false;
  while (p < end && !isBlank(line.charCodeAt(p))) p++;
  while (p < end && isBlank(line.charCodeAt(p))) p++;
  return p === end;
}

/** The entry type of an `ls -l` type letter, or `undefined` for a letter no `ls` prints. */
function typeOf(letter: number): EntryType | undefined {
  switch (letter) {
    case 0x2d: // -
      return 'file';
    case 0x64: // d
      return 'dir';
    case 0x6c: // l
      return 'symlink';
    case 0x62: // b block device
    case 0x63: // c character device
    case 0x70: // p FIFO
    case 0x73: // s socket
    case 0x44: // D door (Solaris)
    case 0x50: // P event port (Solaris)
    case 0x77: // w whiteout (BSD union mounts)
    case 0x6e: // n network special (HP-UX)
    case 0x3f: // ? unknown (GNU)
      return 'other';
    default:
      return undefined;
  }
}

/** Characters 1–9 (`rwxr-xr-x`) → permission bits, or -1 when they are not a permission string. */
function parseModeBits(line: string, start: number): number {
  let mode = 0;
  for (let i = 0; i < 3; i++) {
    const at = start + 1 + i * 3;
    const r = line.charCodeAt(at);
    const w = line.charCodeAt(at + 1);
    const x = line.charCodeAt(at + 2);
    const shift = 6 - i * 3;
    if (r === 0x72) mode |= 4 << shift;
    else if (r !== 0x2d) return -1;
    if (w === 0x77) mode |= 2 << shift;
    else if (w !== 0x2d) return -1;
    const special = i === 0 ? 0o4000 : i === 1 ? 0o2000 : 0o1000;
    const lower = i === 2 ? 0x74 : 0x73; // t for others, s for owner and group
    if (x === 0x78) mode |= 1 << shift;
    else if (x === lower) mode |= (1 << shift) | special;
    else if (x === lower - 0x20) mode |= special;
    // Solaris and Apache Commons Net: `l`/`L` in the group slot means setgid without group
    // execute, i.e. mandatory locking.
    else if (i === 1 && (x === 0x6c || x === 0x4c)) mode |= special;
    else if (x !== 0x2d) return -1;
  }
  return mode;
}

function isDigits(line: string, start: number, end: number): boolean {
  if (start >= end) return false;
  for (let i = start; i < end; i++) {
    const c = line.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return false;
  }
  return true;
}

/**
 * The decimal value of `line[start, end)`, or -1 when it is empty, holds a non-digit or exceeds
 * `Number.MAX_SAFE_INTEGER` (a size that large would be silently rounded: refuse it instead).
 */
function digitsValue(line: string, start: number, end: number): number {
  if (start >= end || end - start > 16) return -1;
  let value = 0;
  for (let i = start; i < end; i++) {
    const c = line.charCodeAt(i) - 0x30;
    if (c < 0 || c > 9) return -1;
    value = value * 10 + c;
  }
  return value <= Number.MAX_SAFE_INTEGER ? value : -1;
}

/** A device's `major,minor` written as one token (`4,0`). */
function isMajorMinor(line: string, start: number, end: number): boolean {
  let comma = start;
  while (comma < end && line.charCodeAt(comma) !== 0x2c) comma++;
  return comma > start && comma < end - 1 && isDigits(line, start, comma) && isDigits(line, comma + 1, end);
}

/** A device's `major,` followed by the minor as the next token (`4, 0`, GNU and BSD). */
function isMajorComma(line: string, start: number, end: number): boolean {
  return end - start >= 2 && line.charCodeAt(end - 1) === 0x2c && isDigits(line, start, end - 1);
}
