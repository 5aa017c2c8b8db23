/**
 * MLSx fact lines (RFC 3659 §7): `fact=value;fact=value; pathname`, both directions, and the fact
 * lists of `OPTS MLST` and the FEAT `MLST` line.
 *
 * Owns: `formatMlsxFacts` / `formatMlstEntryLine` (server: one MLSD line, one MLST entry line),
 * `parseMlsxLine` (client: one line to a `ListingEntry`), `parseFactNames` / `formatMlstFeature`.
 * Never imports from `node:`; never touches a filesystem: servers hand in `FileRecord`s.
 *
 * Decisions, with the reason for each:
 * - §7.2 `entry = [ facts ] SP pathname`, `facts = 1*( fact ";" )`: the facts end at the first
 *   space, and the name is everything after that one space (names may hold spaces, `;` and `=`,
 *   and may even start with a space: §7.7.4's " leading space"). A line starting with a space has
 *   no facts. The parser is strict about the structure (every fact `name=value;`, a trailing `;`,
 *   no duplicate names) because a line that breaks it cannot be split safely.
 * - §7.1: fact names are case-insensitive: `facts` keys are lower-cased and every fact is kept,
 *   unknown ones included. The `type` value is matched case-insensitively too.
 * - Known facts are checked when read: `size` (digits only, at most 20, exact as a JS number),
 *   `modify`/`create` (§2.3 time-val), `UNIX.mode` (1–4 octal digits). A bad one is LISTING.
 * - Symlinks have no RFC type; servers write `OS.unix=slink:<target>` (the §7.7.4 sample) or
 *   `OS.unix=symlink`, and both are read as `symlink` under any `OS.<name>`. Any other type value
 *   (`OS.unix=chr-13/29`, an unknown word) is `other`, and so is a line without a `type` fact.
 * - Owner and group come from `UNIX.ownername`/`UNIX.groupname` (ProFTPD's names), else
 *   `UNIX.owner`/`UNIX.group`, else `UNIX.uid`/`UNIX.gid`.
 * - Writing: §7.2 `value = *SCHAR` has no space, no `;` and no escape mechanism, so a value that
 *   would break the line is never escaped (clients would read the escape literally). A value the
 *   caller computed (size, times, mode, perm, fact names) must be valid or INVALID_ARGUMENT is
 *   thrown. A value that came from the filesystem as free text (owner, group, unique, symlink
 *   target, `extraFacts` values) and holds a space, `;` or a control character is left out: §7.1
 *   lets a server omit any fact it cannot give, and one odd owner name must not break a whole
 *   directory listing. A symlink whose target cannot be written is typed `OS.unix=symlink`.
 * - The name is written as is; CR, LF or NUL in it is CONTROL_CHARACTER (RFC 959 §4.1.3: the
 *   line would end early and the rest would be read as another entry).
 * - `size` is written for non-directories only (§7.5.7: it "applies to non-directory file
 *   types"). Times are whole seconds unless `milliseconds` is asked for (§2.3: no precision may
 *   be added that the value does not have). `UNIX.mode` is four octal digits (`0644`), the
 *   permission bits only: the file type is the `type` fact's job.
 */

import { CodecError, CodecErrorCodes } from '../errors.js';
import { newUtcDay, type UtcDay } from './calendar.js';
import {
  DEFAULT_MODES,
  type EntryType,
  type FileRecord,
  type ListingEntry,
  S_IFMT,
  SPECIAL_FILE_TYPES,
} from './entry.js';
import { parseTimeVal, parseTimeValWithPrecision, timeValText } from './time-val.js';

/** The facts a server can offer, in canonical spelling and in the order they are written. */
export const MLSX_FACTS: readonly string[] = Object.freeze([
  'type',
  'size',
  'modify',
  'create',
  'perm',
  'unique',
  'lang',
  'media-type',
  'charset',
  'UNIX.mode',
  'UNIX.owner',
  'UNIX.group',
]);

const CANONICAL = new Map(MLSX_FACTS.map((name) => [name.toLowerCase(), name]));

/** Facts computed from `FileRecord` fields; `extraFacts` may not override them. */
const DERIVED_FACTS = new Set([
  'type',
  'size',
  'modify',
  'create',
  'perm',
  'unique',
  'unix.mode',
  'unix.owner',
  'unix.group',
]);

/** §7.5.5 perm letters. */
const PERM_LETTERS = /^[acdeflmprw]*$/;

export interface MlsxFormatOptions {
  /**
   * The facts to write (RFC 3659 §7.9: those enabled with `OPTS MLST`), matched case-insensitively.
   * Default: every fact the record has.
   */
  readonly facts?: Iterable<string>;
  /** Write `modify`/`create` with milliseconds. Default false (whole seconds). */
  readonly milliseconds?: boolean;
}

function invalid(message: string): CodecError {
  return new CodecError(CodecErrorCodes.INVALID_ARGUMENT, message);
}

function listingError(message: string): CodecError {
  return new CodecError(CodecErrorCodes.LISTING, message);
}

function preview(text: string): string {
  return JSON.stringify(text.length > 64 ? `${text.slice(0, 64)}…` : text);
}

/** §7.2 factname: printable ASCII without SP, `;`, `=` (and `*`, the FEAT "enabled" mark). */
function isFactName(name: string): boolean {
  if (name.length === 0) return false;
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c < 0x21 || c > 0x7e || c === 0x3b || c === 0x3d || c === 0x2a) return false;
  }
  return true;
}

/** A free-text value that can be written as a §7.2 value: no SP, no `;`, no control character. */
function isSafeValue(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c <= 0x20 || c === 0x3b || c === 0x7f) return false;
  }
  return true;
}

/** §7.5.1 `type` value of an entry whose `type` is already checked. */
function typeValue(record: FileRecord, mode: number): string {
  switch (record.type) {
    case 'symlink': {
      const target = record.target;
      return typeof target === 'string' && target !== '' && isSafeValue(target)
        ? `OS.unix=slink:${target}`
        : 'OS.unix=symlink';
    }
    case 'other':
      return `OS.unix=${SPECIAL_FILE_TYPES.get(mode & S_IFMT)?.mlsxName ?? 'other'}`;
    default:
      return record.type;
  }
}

/** `00` to `77`: two octal digits of `UNIX.mode` per lookup. */
const OCTAL_PAIRS: readonly string[] = Array.from({ length: 64 }, (_, i) => `${i >> 3}${i & 7}`);

/**
 * Writes one MLSx line for a record (RFC 3659 §7.2), without its CRLF. `perm`, when given, is
 * written instead of `record.perm`: servers compute the §7.5.5 letters per user and entry type,
 * and passing them here spares a copy of every record.
 */
export type MlsxFormatter = (record: FileRecord, perm?: string) => string;

/** The fact selection and the caches of one formatter: decided once, used for every entry. */
interface Plan {
  readonly label: string;
  /** Lower-cased selected fact names; undefined writes every fact the record has. */
  readonly selected: ReadonlySet<string> | undefined;
  readonly type: boolean;
  readonly size: boolean;
  readonly modify: boolean;
  readonly create: boolean;
  readonly perm: boolean;
  readonly unique: boolean;
  readonly mode: boolean;
  readonly owner: boolean;
  readonly group: boolean;
  readonly milliseconds: boolean;
  readonly day: UtcDay;
  /** The last perm string found valid: a listing passes the same one or two over and over. */
  validPerm: string | undefined;
}

function planOf(options: MlsxFormatOptions, label: string): Plan {
  const selected = selection(options.facts, label);
  const wanted = (lower: string) => selected === undefined || selected.has(lower);
  return {
    label,
    selected,
    type: wanted('type'),
    size: wanted('size'),
    modify: wanted('modify'),
    create: wanted('create'),
    perm: wanted('perm'),
    unique: wanted('unique'),
    mode: wanted('unix.mode'),
    owner: wanted('unix.owner'),
    group: wanted('unix.group'),
    milliseconds: options.milliseconds === true,
    day: newUtcDay(),
    validPerm: undefined,
  };
}

function checkName(record: FileRecord, label: string): string {
  if (typeof record !== 'object' || record === null) throw invalid(`${label}: record must be an object`);
  const name = record.name;
  if (typeof name !== 'string' || name === '') throw invalid(`${label}: name must be a non-empty string`);
  if (/[\r\n\0]/.test(name)) {
    throw new CodecError(CodecErrorCodes.CONTROL_CHARACTER, `name holds CR, LF or NUL: ${preview(name)}`);
  }
  return name;
}

/** `fact=value;` for a free-text value that can be written, else '' (§7.1: a fact may be left out). */
function freeText(fact: string, value: string | number | undefined): string {
  if (value === undefined) return '';
  if (typeof value === 'number') return `${fact}=${value};`;
  const text = String(value);
  return text !== '' && isSafeValue(text) ? `${fact}=${text};` : '';
}

/**
 * The one MLSx writer behind `formatMlsxFacts` and `createMlsxFormatter`. Checks run in the same
 * order whatever the selection (name, type, mode, size, extraFacts, times, perm), so a bad record
 * is refused even when the bad field's fact is not selected.
 */
function formatWith(plan: Plan, record: FileRecord, permArgument: string | undefined): string {
  const label = plan.label;
  const name = checkName(record, label);
  const type = record.type;
  if (typeof type !== 'string' || !Object.hasOwn(DEFAULT_MODES, type)) {
    throw invalid(`${label}: unknown entry type ${preview(String(type))}`);
  }
  const mode = record.mode ?? DEFAULT_MODES[type];
  if (!Number.isSafeInteger(mode) || mode < 0 || mode > 0o177777) {
    throw invalid(`${label}: mode must be an integer from 0 to 0o177777`);
  }
  const size = record.size;
  if (!Number.isSafeInteger(size) || size < 0) {
    throw invalid(`${label}: size must be a non-negative safe integer`);
  }
  const extras = record.extraFacts === undefined ? undefined : extraFacts(record.extraFacts, label);
  const modify = timeValText(plan.day, record.modified, plan.milliseconds);
  const create =
    record.created === undefined ? undefined : timeValText(plan.day, record.created, plan.milliseconds);
  const perm = permArgument ?? record.perm;
  if (perm !== undefined && perm !== plan.validPerm) {
    if (typeof perm !== 'string' || !PERM_LETTERS.test(perm)) {
      throw invalid(`${label}: perm must be RFC 3659 §7.5.5 letters (a c d e f l m p r w)`);
    }
    plan.validPerm = perm;
  }

  let out = '';
  if (plan.type) out += `type=${typeValue(record, mode)};`;
  if (plan.size && type !== 'dir' && type !== 'cdir' && type !== 'pdir') out += `size=${size};`;
  if (plan.modify) out += `modify=${modify};`;
  if (create !== undefined && plan.create) out += `create=${create};`;
  if (perm !== undefined && plan.perm) out += `perm=${perm};`;
  if (plan.unique) out += freeText('unique', record.unique);
  if (extras !== undefined) {
    for (const fact of ['lang', 'media-type', 'charset']) {
      if (plan.selected === undefined || plan.selected.has(fact))
        out += freeText(fact, extras.get(fact)?.[1]);
    }
  }
  if (plan.mode) out += `UNIX.mode=${OCTAL_PAIRS[(mode >> 6) & 0o77]}${OCTAL_PAIRS[mode & 0o77]};`;
  if (plan.owner) out += freeText('UNIX.owner', record.owner);
  if (plan.group) out += freeText('UNIX.group', record.group);
  if (extras !== undefined) {
    for (const [lower, [fact, value]] of extras) {
      if (!CANONICAL.has(lower) && (plan.selected === undefined || plan.selected.has(lower))) {
        out += freeText(fact, value);
      }
    }
  }
  return `${out} ${name}`;
}

/**
 * The facts of one entry, then one space, then the name (RFC 3659 §7.2): an MLSD data line
 * without its CRLF, e.g. `type=file;size=123;modify=20200101120000;UNIX.mode=0644; name`.
 * Throws `CodecError` INVALID_ARGUMENT for a malformed record, CONTROL_CHARACTER for CR/LF/NUL
 * in the name. For a whole directory, `createMlsxFormatter` gives the same lines faster.
 */
export function formatMlsxFacts(record: FileRecord, options: MlsxFormatOptions = {}): string {
  checkName(record, 'formatMlsxFacts');
  return formatWith(planOf(options, 'formatMlsxFacts'), record, undefined);
}

/**
 * A formatter for many entries (an MLSD listing): the options are checked and the fact selection
 * resolved once, here, and each call returns exactly what `formatMlsxFacts(record, options)`
 * would (with `perm` in place of `record.perm` when given), with the same checks and errors.
 * Throws INVALID_ARGUMENT for bad options now, and per call for a bad record.
 */
export function createMlsxFormatter(options: MlsxFormatOptions = {}): MlsxFormatter {
  const plan = planOf(options, 'createMlsxFormatter');
  return (record, perm) => formatWith(plan, record, perm);
}

/** The entry line of an MLST reply (RFC 3659 §7.2: `SP entry`), i.e. the MLSD line after one space. */
export function formatMlstEntryLine(record: FileRecord, options: MlsxFormatOptions = {}): string {
  return ` ${formatMlsxFacts(record, options)}`;
}

function selection(facts: Iterable<string> | undefined, label: string): Set<string> | undefined {
  if (facts === undefined) return undefined;
  // A string is iterable too, and would select single letters: a caller meant parseFactNames().
  if (typeof facts === 'string') throw invalid(`${label}: facts must be a list of names, not a string`);
  const set = new Set<string>();
  for (const fact of facts) {
    if (typeof fact !== 'string') throw invalid(`${label}: facts must be strings`);
    set.add(fact.toLowerCase());
  }
  return set;
}

/** `extraFacts` keyed by lower-cased name; names are checked, values are written only if safe. */
function extraFacts(
  extra: NonNullable<FileRecord['extraFacts']>,
  label: string,
): Map<string, readonly [string, string]> {
  const map = new Map<string, readonly [string, string]>();
  for (const [fact, value] of Object.entries(extra)) {
    const lower = fact.toLowerCase();
    if (!isFactName(fact)) throw invalid(`${label}: ${preview(fact)} is not a fact name`);
    if (DERIVED_FACTS.has(lower)) throw invalid(`${label}: ${fact} comes from the record, not extraFacts`);
    if (map.has(lower)) throw invalid(`${label}: extraFacts names ${fact} twice`);
    if (typeof value !== 'string') throw invalid(`${label}: extraFacts.${fact} must be a string`);
    map.set(lower, [CANONICAL.get(lower) ?? fact, value]);
  }
  return map;
}

/** At most 20 digits: any real size fits, and a megabyte of zeros is refused up front. */
function readSize(fact: string, value: string): number {
  if (!/^[0-9]{1,20}$/.test(value))
    throw listingError(`MLSx ${fact} is not a decimal number: ${preview(value)}`);
  const size = Number(value);
  if (!Number.isSafeInteger(size)) throw listingError(`MLSx ${fact} is too large to be exact: ${value}`);
  return size;
}

function readType(value: string): { type: EntryType; target?: string } {
  const lower = value.toLowerCase();
  if (lower === 'file' || lower === 'dir' || lower === 'cdir' || lower === 'pdir') return { type: lower };
  const eq = value.indexOf('=');
  if (lower.startsWith('os.') && eq !== -1) {
    const kind = value.slice(eq + 1);
    const colon = kind.indexOf(':');
    const word = (colon === -1 ? kind : kind.slice(0, colon)).toLowerCase();
    if (word === 'slink' || word === 'symlink') {
      const target = colon === -1 ? '' : kind.slice(colon + 1);
      return target === '' ? { type: 'symlink' } : { type: 'symlink', target };
    }
  }
  return { type: 'other' };
}

/**
 * Reads one MLSD line or MLST entry line (without its leading space) into a `ListingEntry`
 * (RFC 3659 §7.2). Throws `CodecError` LISTING for a malformed line or fact value.
 */
export function parseMlsxLine(line: string): ListingEntry {
  if (typeof line !== 'string') throw listingError('an MLSx line must be a string');
  const space = line.indexOf(' ');
  if (space === -1) throw listingError(`MLSx line has no space before the name: ${preview(line)}`);
  const name = line.slice(space + 1);
  if (name === '') throw listingError(`MLSx line has an empty name: ${preview(line)}`);
  const factsText = line.slice(0, space);
  const pairs: [string, string][] = [];
  if (factsText !== '') {
    if (!factsText.endsWith(';')) throw listingError(`MLSx facts must end with ";": ${preview(line)}`);
    const seen = new Set<string>();
    for (const fact of factsText.slice(0, -1).split(';')) {
      const eq = fact.indexOf('=');
      const factName = eq === -1 ? '' : fact.slice(0, eq);
      if (!isFactName(factName)) throw listingError(`MLSx fact is not name=value: ${preview(fact)}`);
      const lower = factName.toLowerCase();
      if (seen.has(lower)) throw listingError(`MLSx fact ${factName} appears twice: ${preview(line)}`);
      seen.add(lower);
      pairs.push([lower, fact.slice(eq + 1)]);
    }
  }
  // fromEntries defines own properties, so a `__proto__` fact is data, never a prototype.
  const facts: Readonly<Record<string, string>> = Object.freeze(Object.fromEntries(pairs));
  const get = (fact: string): string | undefined => (Object.hasOwn(facts, fact) ? facts[fact] : undefined);

  const entry: { -readonly [K in keyof ListingEntry]: ListingEntry[K] } = {
    name,
    type: 'other',
    facts,
    raw: line,
  };
  const typeText = get('type');
  if (typeText !== undefined) {
    const { type, target } = readType(typeText);
    entry.type = type;
    if (target !== undefined) entry.target = target;
  }
  const size = get('size');
  const sizd = get('sizd');
  if (size !== undefined) entry.size = readSize('size', size);
  else if (sizd !== undefined) entry.size = readSize('sizd', sizd);
  const modify = get('modify');
  if (modify !== undefined) {
    const { date, precision } = parseTimeValWithPrecision(modify);
    entry.modified = date;
    entry.modifiedPrecision = precision;
  }
  const create = get('create');
  if (create !== undefined) parseTimeVal(create);
  const mode = get('unix.mode');
  if (mode !== undefined) {
    if (!/^[0-7]{1,4}$/.test(mode))
      throw listingError(`MLSx UNIX.mode is not 1-4 octal digits: ${preview(mode)}`);
    entry.mode = Number.parseInt(mode, 8);
  }
  const owner = get('unix.ownername') ?? get('unix.owner') ?? get('unix.uid');
  if (owner !== undefined) entry.owner = owner;
  const group = get('unix.groupname') ?? get('unix.group') ?? get('unix.gid');
  if (group !== undefined) entry.group = group;
  return Object.freeze(entry);
}

/**
 * The fact names of `OPTS MLST type;size;` or of the FEAT `MLST type*;size*;` parameter (the `*`
 * "enabled" marks are dropped). Known facts come back in canonical spelling, others as written,
 * each once. The final `;` may be missing (clients send both); surrounding spaces are ignored (the
 * FEAT line is indented, RFC 2389 §3.2). Empty text is no facts (§7.9). Throws LISTING.
 */
export function parseFactNames(text: string): string[] {
  if (typeof text !== 'string') throw listingError('a fact list must be a string');
  // Index scans rather than a regex: `/ +$/` backtracks quadratically on long runs of spaces.
  let start = 0;
  let end = text.length;
  while (start < end && text.charCodeAt(start) === 0x20) start++;
  while (end > start && text.charCodeAt(end - 1) === 0x20) end--;
  const trimmed = text.slice(start, end);
  if (trimmed === '') return [];
  const parts = trimmed.split(';');
  if (parts[parts.length - 1] === '') parts.pop();
  const names: string[] = [];
  const seen = new Set<string>();
  for (const part of parts) {
    const name = part.endsWith('*') ? part.slice(0, -1) : part;
    if (!isFactName(name)) throw listingError(`not a fact name: ${preview(part)}`);
    const lower = name.toLowerCase();
    if (seen.has(lower)) continue;
    seen.add(lower);
    names.push(CANONICAL.get(lower) ?? name);
  }
  return names;
}

/**
 * The parameter of the FEAT `MLST` line (RFC 3659 §7.8): every supported fact followed by `*` when
 * enabled, each ending in `;`, e.g. `type*;size*;modify*;perm;`. Enabled facts are matched
 * case-insensitively; ones not supported are ignored. Throws INVALID_ARGUMENT for a bad fact name.
 */
export function formatMlstFeature(supported: Iterable<string>, enabled: Iterable<string>): string {
  if (typeof supported === 'string' || typeof enabled === 'string') {
    throw invalid('formatMlstFeature: facts must be lists of names, not strings');
  }
  const on = new Set<string>();
  for (const fact of enabled) {
    if (typeof fact !== 'string') throw invalid('formatMlstFeature: fact names must be strings');
    on.add(fact.toLowerCase());
  }
  const seen = new Set<string>();
  let out = '';
  for (const fact of supported) {
    if (typeof fact !== 'string' || !isFactName(fact)) {
      throw invalid(`formatMlstFeature: ${preview(String(fact))} is not a fact name`);
    }
    const lower = fact.toLowerCase();
    if (seen.has(lower)) continue;
    seen.add(lower);
    out += `${fact}${on.has(lower) ? '*' : ''};`;
  }
  return out;
}
