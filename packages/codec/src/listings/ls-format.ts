/**
 * The server side of LIST: `ls -l` lines from stat-like `FileRecord`s.
 *
 * Owns: `formatListLine` (one line) and `formatListLines` (a directory, columns aligned the way
 * `ls -l` aligns them). RFC 959 §4.1.3 leaves the LIST format to the server; in practice every
 * client (curl, lftp, FileZilla, basic-ftp, Apache Commons Net) parses GNU `ls -l` output, so
 * that is what is printed, in the C locale and in UTC:
 *
 *   -rw-r--r-- 1 owner group 1234 Jan  2 15:04 name        (modified within the last six months)
 *   -rw-r--r-- 1 owner group 1234 Jan  2  2006 name        (older, or in the future)
 *
 * Never imports from `node:` and never touches a filesystem: callers hand in records.
 */

import { CodecError, CodecErrorCodes } from '../errors.js';
import {
  MONTH_NAMES,
  msOfDay,
  newUtcDay,
  SIX_MONTHS_MS,
  TWO_DIGITS,
  type UtcDay,
  utcDayOf,
} from './calendar.js';
import { DEFAULT_MODES, type EntryType, type FileRecord, S_IFMT, SPECIAL_FILE_TYPES } from './entry.js';

export interface ListFormatOptions {
  /**
   * The reference time that decides "recent" (printed `HH:MM`) from "old" (printed with the
   * year). Default: the current time when the function is called.
   */
  readonly now?: Date;
}

/** The parts of one line before padding. */
interface Columns {
  readonly modeText: string;
  readonly nlink: string;
  readonly owner: string;
  readonly group: string;
  readonly size: string;
  readonly date: string;
  readonly name: string;
}

/**
 * One `ls -l` line for `record`, columns separated by single spaces (no padding), without a
 * line terminator. Throws `CodecError` INVALID_ARGUMENT for a malformed record and
 * CONTROL_CHARACTER for a name or target holding CR, LF or NUL (RFC 959 §4.1.3: they would
 * split the listing's lines).
 */
export function formatListLine(record: FileRecord, options: ListFormatOptions = {}): string {
  const c = columns(record, newContext(nowMillis(options)));
  return `${c.modeText} ${c.nlink} ${c.owner} ${c.group} ${c.size} ${c.date} ${c.name}`;
}

/**
 * The lines of a whole directory, with the nlink and size columns right-aligned and the owner
 * and group columns left-aligned to the widest value, as `ls -l` prints them. Columns stay
 * separated by at least one space, so every line parses like its unpadded form. Lines carry no
 * terminator: join them with CRLF for the data connection (RFC 959 §3.1.1.1, ASCII type).
 * No `total` line is printed: it counts disk blocks, which FTP clients ignore.
 */
export function formatListLines(records: readonly FileRecord[], options: ListFormatOptions = {}): string[] {
  // One implementation for both: the records are checked in order, so the first bad one throws.
  return records.map(createListFormatter(records, options));
}

/** Formats one record of the directory a `ListFormatter` was made for. */
export type ListFormatter = (record: FileRecord) => string;

/**
 * `formatListLines` a line at a time, for streaming a large directory: the column widths are
 * measured over all of `records` once, here, and each call formats one record padded to them.
 * Calling it on each record in order gives exactly `formatListLines(records, options)`. A record
 * that `formatListLine` would refuse throws when it is formatted (the same `CodecError`), not
 * here, so a server can leave that one entry out and still send the rest. A record with a bad
 * nlink, owner, group or size, or a name or target holding CR, LF or NUL (the refusals a real
 * filesystem can cause), does not widen the columns. Throws INVALID_ARGUMENT now for a bad
 * `options.now`.
 */
export function createListFormatter(
  records: readonly FileRecord[],
  options: ListFormatOptions = {},
): ListFormatter {
  const context = newContext(nowMillis(options));
  let nlinkWidth = 0;
  let ownerWidth = 0;
  let groupWidth = 0;
  let sizeWidth = 0;
  for (const record of records) {
    // Widths only: a record whose fields are bad is refused when it is formatted.
    if (typeof record !== 'object' || record === null) continue;
    const nlink = record.nlink ?? 1;
    const owner = idWidth(record.owner);
    const group = idWidth(record.group);
    if (!isCount(nlink) || !isCount(record.size) || owner === 0 || group === 0) continue;
    if (!isLineSafe(record.name) || (record.type === 'symlink' && !isLineSafe(record.target))) continue;
    const nlinkDigits = digitCount(nlink);
    const sizeDigits = digitCount(record.size);
    if (nlinkDigits > nlinkWidth) nlinkWidth = nlinkDigits;
    if (owner > ownerWidth) ownerWidth = owner;
    if (group > groupWidth) groupWidth = group;
    if (sizeDigits > sizeWidth) sizeWidth = sizeDigits;
  }
  return (record) => {
    const c = columns(record, context);
    return (
      `${c.modeText} ${c.nlink.padStart(nlinkWidth)} ${c.owner.padEnd(ownerWidth)} ` +
      `${c.group.padEnd(groupWidth)} ${c.size.padStart(sizeWidth)} ${c.date} ${c.name}`
    );
  };
}

/** The printed width of an owner or group, or 0 when `idText` would refuse it. */
function idWidth(id: string | number | undefined): number {
  if (id === undefined) return 3; // 'ftp'
  if (typeof id === 'number') return isCount(id) ? digitCount(id) : 0;
  if (typeof id !== 'string' || id === '' || /[\s\x00-\x1f\x7f]/.test(id)) return 0;
  return id.length;
}

/** What `checkName` accepts (undefined: no target). */
function isLineSafe(value: string | undefined): boolean {
  return value === undefined || (typeof value === 'string' && !/[\r\n\0]/.test(value));
}

/** Decimal digits of a non-negative safe integer (`String(n).length` without the string). */
function digitCount(n: number): number {
  let digits = 1;
  for (let limit = 10; n >= limit && digits < 16; limit *= 10) digits++;
  return digits;
}

function nowMillis(options: ListFormatOptions): number {
  const now = options.now ?? new Date();
  const ms = now instanceof Date ? now.getTime() : Number.NaN;
  if (Number.isNaN(ms)) throw invalid('options.now must be a valid Date');
  return ms;
}

const TYPE_CHAR: Readonly<Record<EntryType, string>> = {
  file: '-',
  dir: 'd',
  cdir: 'd',
  pdir: 'd',
  symlink: 'l',
  other: '-',
};

/**
 * What one call remembers between lines: the reference time, the day of the last date written,
 * and the last owner and group checked (a directory is mostly one owner, so the whitespace check
 * runs once, not per line).
 */
interface Context {
  readonly now: number;
  readonly day: UtcDay;
  lastOwner: string | number | undefined;
  lastOwnerText: string;
  lastGroup: string | number | undefined;
  lastGroupText: string;
}

function newContext(now: number): Context {
  return {
    now,
    day: newUtcDay(),
    lastOwner: undefined,
    lastOwnerText: 'ftp',
    lastGroup: undefined,
    lastGroupText: 'ftp',
  };
}

function columns(record: FileRecord, context: Context): Columns {
  const type = record.type;
  // Own properties only: a type such as 'toString' must not find Object.prototype's.
  if (typeof type !== 'string' || !Object.hasOwn(TYPE_CHAR, type)) throw invalid('unknown entry type');
  const typeChar = TYPE_CHAR[type];
  const mode = record.mode ?? DEFAULT_MODES[type];
  if (!Number.isSafeInteger(mode) || mode < 0 || mode > 0o177777) {
    throw invalid('mode must be an integer from 0 to 0o177777');
  }
  // An `other` record has no type letter of its own; its st_mode bits may name one. Without them
  // it is listed as a plain file, as vsftpd and pyftpdlib do: curl rejects the whole listing on
  // an unknown letter such as GNU's `?`.
  const letter = type === 'other' ? (SPECIAL_FILE_TYPES.get(mode & S_IFMT)?.lsLetter ?? typeChar) : typeChar;
  const nlink = record.nlink ?? 1;
  if (!isCount(nlink)) throw invalid('nlink must be a non-negative safe integer');
  if (!isCount(record.size)) throw invalid('size must be a non-negative safe integer');
  checkName(record.name, 'name');
  if (record.name === '') throw invalid('name must not be empty');
  let name = record.name;
  if (type === 'symlink' && record.target !== undefined) {
    checkName(record.target, 'target');
    name = `${name} -> ${record.target}`;
  }
  const owner = record.owner;
  if (owner !== context.lastOwner) {
    context.lastOwnerText = idText(owner, 'owner');
    context.lastOwner = owner;
  }
  const group = record.group;
  if (group !== context.lastGroup) {
    context.lastGroupText = idText(group, 'group');
    context.lastGroup = group;
  }
  return {
    modeText: letter + permissionText(mode),
    nlink: String(nlink),
    owner: context.lastOwnerText,
    group: context.lastGroupText,
    size: String(record.size),
    date: dateText(record.modified, context),
    name,
  };
}

/** `permissionText` per low-12-bit mode, filled as modes are met (a listing uses a handful). */
const PERMISSION_TEXTS: (string | undefined)[] = [];

/** `rwxr-xr-x` for the low 12 bits, with setuid/setgid (`s`/`S`) and sticky (`t`/`T`) as `ls` shows them. */
function permissionText(mode: number): string {
  const bits = mode & 0o7777;
  let text = PERMISSION_TEXTS[bits];
  if (text === undefined) {
    text = spellPermissions(bits);
    PERMISSION_TEXTS[bits] = text;
  }
  return text;
}

function spellPermissions(mode: number): string {
  return (
    triplet(mode >> 6, (mode & 0o4000) !== 0, 's') +
    triplet(mode >> 3, (mode & 0o2000) !== 0, 's') +
    triplet(mode, (mode & 0o1000) !== 0, 't')
  );
}

function triplet(bits: number, special: boolean, letter: string): string {
  const x = (bits & 1) !== 0;
  const exec = special ? (x ? letter : letter.toUpperCase()) : x ? 'x' : '-';
  return ((bits & 4) !== 0 ? 'r' : '-') + ((bits & 2) !== 0 ? 'w' : '-') + exec;
}

function dateText(modified: Date, context: Context): string {
  const t = modified instanceof Date ? modified.getTime() : Number.NaN;
  if (Number.isNaN(t)) throw invalid('modified must be a valid Date');
  const d = utcDayOf(context.day, t);
  const year = d.year;
  // Four-digit years keep the time column five characters wide, which is what lets parsers tell
  // a year (`2006`) from a day or a size; `ls` itself never meets other years in practice.
  if (year < 1000 || year > 9999) throw invalid('modified must lie in the years 1000 to 9999');
  const head = `${MONTH_NAMES[d.month - 1]} ${d.date < 10 ? ' ' : ''}${d.date}`;
  // GNU ls: recent means within the last six months and not in the future.
  const now = context.now;
  if (t > now - SIX_MONTHS_MS && t <= now) {
    const minutes = Math.floor(msOfDay(t, d.day) / 60_000);
    return `${head} ${TWO_DIGITS[Math.floor(minutes / 60)]}:${TWO_DIGITS[minutes % 60]}`;
  }
  return `${head}  ${year}`;
}

function idText(id: string | number | undefined, field: string): string {
  if (id === undefined) return 'ftp';
  if (typeof id === 'number') {
    if (!isCount(id)) throw invalid(`${field} must be a name or a non-negative safe integer`);
    return String(id);
  }
  // Owner and group are whitespace-separated columns: a space inside one would shift every
  // column after it for every client parser.
  if (typeof id !== 'string' || id === '' || /[\s\x00-\x1f\x7f]/.test(id)) {
    throw invalid(`${field} must be a non-empty name without whitespace or control characters`);
  }
  return id;
}

function checkName(value: string, field: string): void {
  if (typeof value !== 'string') throw invalid(`${field} must be a string`);
  if (/[\r\n\0]/.test(value)) {
    throw new CodecError(
      CodecErrorCodes.CONTROL_CHARACTER,
      `${field} contains CR, LF or NUL, which would break the listing's lines (RFC 959 §4.1.3)`,
    );
  }
}

const isCount = (n: unknown): n is number => Number.isSafeInteger(n) && (n as number) >= 0;

const invalid = (message: string): CodecError => new CodecError(CodecErrorCodes.INVALID_ARGUMENT, message);
