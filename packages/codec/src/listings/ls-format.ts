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
import { MONTH_NAMES, SIX_MONTHS_MS } from './calendar.js';
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
  const c = columns(record, nowMillis(options));
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
  const now = nowMillis(options);
  const rows = records.map((record) => columns(record, now));
  let nlinkWidth = 0;
  let ownerWidth = 0;
  let groupWidth = 0;
  let sizeWidth = 0;
  for (const c of rows) {
    if (c.nlink.length > nlinkWidth) nlinkWidth = c.nlink.length;
    if (c.owner.length > ownerWidth) ownerWidth = c.owner.length;
    if (c.group.length > groupWidth) groupWidth = c.group.length;
    if (c.size.length > sizeWidth) sizeWidth = c.size.length;
  }
  return rows.map(
    (c) =>
      `${c.modeText} ${c.nlink.padStart(nlinkWidth)} ${c.owner.padEnd(ownerWidth)} ` +
      `${c.group.padEnd(groupWidth)} ${c.size.padStart(sizeWidth)} ${c.date} ${c.name}`,
  );
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

function columns(record: FileRecord, now: number): Columns {
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
  return {
    modeText: letter + permissionText(mode),
    nlink: String(nlink),
    owner: idText(record.owner, 'owner'),
    group: idText(record.group, 'group'),
    size: String(record.size),
    date: dateText(record.modified, now),
    name,
  };
}

/** `rwxr-xr-x` for the low 12 bits, with setuid/setgid (`s`/`S`) and sticky (`t`/`T`) as `ls` shows them. */
function permissionText(mode: number): string {
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

function dateText(modified: Date, now: number): string {
  const t = modified instanceof Date ? modified.getTime() : Number.NaN;
  if (Number.isNaN(t)) throw invalid('modified must be a valid Date');
  const d = new Date(t);
  const year = d.getUTCFullYear();
  // Four-digit years keep the time column five characters wide, which is what lets parsers tell
  // a year (`2006`) from a day or a size; `ls` itself never meets other years in practice.
  if (year < 1000 || year > 9999) throw invalid('modified must lie in the years 1000 to 9999');
  const head = `${MONTH_NAMES[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2)}`;
  // GNU ls: recent means within the last six months and not in the future.
  if (t > now - SIX_MONTHS_MS && t <= now) {
    return `${head} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}`;
  }
  return `${head}  ${year}`;
}

const two = (n: number): string => (n < 10 ? `0${n}` : String(n));

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
