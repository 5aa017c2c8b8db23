/**
 * The client side of LIST/MLSD as a whole: a directory listing in, entries out, whatever the
 * server's format.
 *
 * Owns: `parseListing`, its streaming form `ListingParser`, and `detectListingFormat`. RFC 959
 * §4.1.3 leaves LIST output to the server, so the format is detected from the lines themselves
 * (as basic-ftp and Apache Commons Net do): the first line that one of the parsers (MLSD facts,
 * Unix `ls -l`, DOS/IIS) accepts decides, and the whole listing is then read with that parser.
 *
 * Server input never makes these functions throw: a line that cannot be parsed is returned in
 * `unparsed`, so a caller can show it, log it or try its own parser; no non-blank line is lost.
 * Only a caller's mistake (a bad `now` or `format` option) throws `CodecError` INVALID_ARGUMENT.
 *
 * Never imports from `node:`.
 */

import { CodecError, CodecErrorCodes } from '../errors.js';
import { decodeLatin1, decodeUtf8Strict, encodeUtf8, type TextInput } from '../text.js';
import type { ListingEntry } from './entry.js';
import { parseMlsxLine } from './mlsx.js';
import { scanDosLine } from './parse-dos.js';
import { NO_ENTRY, referenceTime, scanUnixLine, scanUnixRange } from './parse-unix.js';

/** The listing formats the codec reads. */
export type ListingFormat = 'unix' | 'dos' | 'mlsd';

export interface ParseListingOptions {
  /** Which parser to use; `auto` (the default) detects it with `detectListingFormat`. */
  readonly format?: 'auto' | ListingFormat;
  /** The reference time for Unix dates printed without a year; default the current time. */
  readonly now?: Date;
}

export interface ParsedListing {
  /** The format the lines were read as; `unknown` when no line matched any parser. */
  readonly format: ListingFormat | 'unknown';
  /** One entry per parsed line, in listing order. `.` and `..` are kept (MLSD `cdir`/`pdir`, Unix `dir`). */
  readonly entries: readonly ListingEntry[];
  /** Non-blank lines the chosen parser could not read, as received (without the line terminator). */
  readonly unparsed: readonly string[];
  /** Lines that are valid but describe no entry: the Unix `total 123` block count. */
  readonly ignored: readonly string[];
}

/**
 * Parses a whole listing: text (CRLF or bare LF line ends; bytes are decoded as UTF-8, a line
 * that is not UTF-8 as Latin-1) or an array of lines. Blank lines are skipped; every other line
 * ends up in exactly one of `entries`, `unparsed` or `ignored`. Never throws on server input.
 */
export function parseListing(
  input: TextInput | readonly string[],
  options: ParseListingOptions = {},
): ParsedListing {
  const now = referenceTime(options.now);
  const requested = checkFormat(options.format);
  if (typeof input === 'string' || input instanceof Uint8Array) {
    const text = listingText(input);
    return parseText(text, requested === 'auto' ? detectText(text, now) : requested, now);
  }
  const lines = checkLines(input);
  const format = requested === 'auto' ? detectLines(lines, now) : requested;
  const entries: ListingEntry[] = [];
  const unparsed: string[] = [];
  const ignored: string[] = [];
  for (const line of lines) {
    if (isBlankLine(line, 0, line.length)) continue;
    const result = format === 'unknown' ? undefined : parseOne(format, line, now);
    if (result === undefined) unparsed.push(line);
    else if (result === NO_ENTRY) ignored.push(line);
    else entries.push(result);
  }
  return { format, entries, unparsed, ignored };
}

/** `parseListing` of a decoded listing. */
function parseText(text: string, format: ListingFormat | 'unknown', now: number): ParsedListing {
  const entries = objectArray<ListingEntry>();
  const unparsed: string[] = [];
  const ignored: string[] = [];
  readLines(text, format, now, entries, unparsed, ignored);
  return { format, entries, unparsed, ignored };
}

/**
 * Sorts the lines of `text` into the three lists. RFC 959 §3.1.1.1 ends ASCII lines with CRLF;
 * bare LF from Unix servers is tolerated. Lines are found with `indexOf` and read in place: a
 * string is cut out of `text` only for what the result holds (an entry's fields, an unparsed or
 * ignored line). Nothing but the loop, on purpose: V8 optimises a long loop while it runs, and
 * code after it would be compiled before it ever ran, then thrown away when it does.
 */
function readLines(
  text: string,
  format: ListingFormat | 'unknown',
  now: number,
  entries: ListingEntry[],
  unparsed: string[],
  ignored: string[],
): void {
  for (let start = 0; start <= text.length; ) {
    let lf = text.indexOf('\n', start);
    if (lf < 0) lf = text.length;
    // The line without its terminator: the CR of a CRLF is the line end, not part of the line.
    const end = lf > start && text.charCodeAt(lf - 1) === CR ? lf - 1 : lf;
    const line = start;
    start = lf + 1;
    if (isBlankLine(text, line, end)) continue;
    if (format === 'unix') {
      // The Unix scanner reads the line in place and never throws.
      const result = scanUnixRange(text, line, end, now);
      if (typeof result === 'object') entries.push(result);
      else if (result === NO_ENTRY) ignored.push(text.slice(line, end));
      else unparsed.push(text.slice(line, end));
      continue;
    }
    const raw = text.slice(line, end);
    const result = format === 'unknown' ? undefined : parseOne(format, raw, now);
    if (result === undefined) unparsed.push(raw);
    else if (result === NO_ENTRY) ignored.push(raw);
    else entries.push(result);
  }
}

/**
 * The format of a listing, from its first line that a parser accepts (MLSD facts are tried
 * first, then Unix, then DOS); `unknown` when none does. A listing holding only `total 0` (an
 * empty Unix directory) is `unix`. Never throws.
 */
export function detectListingFormat(input: TextInput | readonly string[]): ListingFormat | 'unknown' {
  const now = Date.now();
  if (typeof input === 'string' || input instanceof Uint8Array) return detectText(listingText(input), now);
  return detectLines(checkLines(input), now);
}

function detectLines(lines: readonly string[], now: number): ListingFormat | 'unknown' {
  let sawTotal = false;
  for (const line of lines) {
    if (isBlankLine(line, 0, line.length)) continue;
    const format = detectLine(line, now);
    if (format === 'unix-total') sawTotal = true;
    else if (format !== undefined) return format;
  }
  return sawTotal ? 'unix' : 'unknown';
}

/** `detectLines` over the lines of `text`, stopping at the first line that decides. */
function detectText(text: string, now: number): ListingFormat | 'unknown' {
  const seen = { total: false };
  return detectTextPrefix(text, now, seen) ?? (seen.total ? 'unix' : 'unknown');
}

/**
 * The format the first deciding line of `text` gives, or `undefined` when no line decides (yet);
 * a `total N` line sets `seen.total`, which makes an undecided listing `unix` once it has ended.
 */
function detectTextPrefix(text: string, now: number, seen: { total: boolean }): ListingFormat | undefined {
  const length = text.length;
  for (let start = 0; start <= length; ) {
    let lf = text.indexOf('\n', start);
    if (lf < 0) lf = length;
    const end = lf > start && text.charCodeAt(lf - 1) === CR ? lf - 1 : lf;
    const line = start;
    start = lf + 1;
    if (isBlankLine(text, line, end)) continue;
    const format = detectLine(text.slice(line, end), now);
    if (format === 'unix-total') seen.total = true;
    else if (format !== undefined) return format;
  }
  return undefined;
}

/**
 * A listing parsed as it arrives: `push` each chunk of the data connection as it is received,
 * `end()` once it closed. Parsing overlaps the transfer, and no copy of the whole listing is
 * held. The result is `parseListing`'s for the whole text, wherever the chunks were cut: lines
 * are only cut at line feeds (never inside a UTF-8 sequence, never between the CR and LF of a
 * CRLF), bytes are decoded line by line as `parseListing` does, and lines that arrive before one
 * decides the format (`auto`) are held until one does.
 *
 * Never throws on server input; a bad `format` or `now` option throws `CodecError`
 * INVALID_ARGUMENT from the constructor, as `parseListing` does; `push` after `end` throws
 * INVALID_ARGUMENT.
 */
export class ListingParser {
  readonly #now: number;
  /** `undefined` while `auto` detection has not decided. */
  #format: ListingFormat | 'unknown' | undefined;
  readonly #seen = { total: false };
  /** Complete lines received before the format was decided. */
  #held = '';
  /** The bytes or text of an unfinished last line. */
  #tail: (Uint8Array | string)[] = [];
  #ended = false;
  readonly #entries = objectArray<ListingEntry>();
  readonly #unparsed: string[] = [];
  readonly #ignored: string[] = [];

  constructor(options: ParseListingOptions = {}) {
    this.#now = referenceTime(options.now);
    const requested = checkFormat(options.format);
    this.#format = requested === 'auto' ? undefined : requested;
  }

  /** The next chunk of the listing: bytes (decoded as `parseListing` decodes them) or text. */
  push(chunk: TextInput): void {
    if (this.#ended) throw new CodecError(CodecErrorCodes.INVALID_ARGUMENT, 'ListingParser: push after end');
    const lf = typeof chunk === 'string' ? chunk.lastIndexOf('\n') : chunk.lastIndexOf(LF);
    if (lf < 0) {
      if (chunk.length > 0) this.#tail.push(typeof chunk === 'string' ? chunk : new Uint8Array(chunk));
      return;
    }
    // Decoded at once, so a view will do; the unfinished line is copied: a caller may read the
    // next chunk into the same buffer (the client's socket reads do).
    const complete = typeof chunk === 'string' ? chunk.slice(0, lf + 1) : chunk.subarray(0, lf + 1);
    const rest = typeof chunk === 'string' ? chunk.slice(lf + 1) : new Uint8Array(chunk.subarray(lf + 1));
    const text = this.#tail.length === 0 ? listingText(complete) : joinText([...this.#tail, complete]);
    this.#tail = rest.length === 0 ? [] : [rest];
    this.#lines(text);
  }

  /** The whole listing's result; the parser takes no more chunks. */
  end(): ParsedListing {
    if (!this.#ended) {
      this.#ended = true;
      if (this.#tail.length > 0) this.#lines(joinText(this.#tail));
      this.#tail = [];
      if (this.#format === undefined) {
        this.#format = this.#seen.total ? 'unix' : 'unknown';
        this.#read(this.#held);
        this.#held = '';
      }
    }
    return {
      format: this.#format!,
      entries: this.#entries,
      unparsed: this.#unparsed,
      ignored: this.#ignored,
    };
  }

  #lines(text: string): void {
    if (this.#format !== undefined) {
      this.#read(text);
      return;
    }
    const format = detectTextPrefix(text, this.#now, this.#seen);
    if (format === undefined) {
      this.#held += text;
      return;
    }
    this.#format = format;
    const held = this.#held;
    this.#held = '';
    this.#read(held.length === 0 ? text : held + text);
  }

  #read(text: string): void {
    readLines(text, this.#format!, this.#now, this.#entries, this.#unparsed, this.#ignored);
  }
}

/** Text of pieces that end together: one decode of the bytes, so a split sequence is whole again. */
function joinText(pieces: readonly (Uint8Array | string)[]): string {
  if (pieces.every((p) => typeof p === 'string')) return pieces.join('');
  const parts = pieces.map((p) => (typeof p === 'string' ? encodeUtf8(p) : p));
  const bytes = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    bytes.set(part, at);
    at += part.length;
  }
  return listingText(bytes);
}

/**
 * A listing's text. RFC 2640 asks for UTF-8, and most listings are; a server whose directory
 * holds names from several locales sends some lines in another charset. So: the whole as UTF-8
 * when it is, else each line as UTF-8 when it is and as Latin-1 (every byte kept) when not — a
 * per-line choice, so that where a listing's chunks were cut never changes a name.
 */
function listingText(input: TextInput): string {
  if (typeof input === 'string') return input;
  const whole = decodeUtf8Strict(input);
  if (whole !== undefined) return whole;
  let text = '';
  for (let start = 0; start < input.length; ) {
    const lf = input.indexOf(LF, start);
    const end = lf < 0 ? input.length : lf + 1;
    const line = input.subarray(start, end);
    text += decodeUtf8Strict(line) ?? decodeLatin1(line);
    start = end;
  }
  return text;
}

/**
 * The format `line` decides, `unix-total` for a `total N` line, `undefined` for none. Any
 * reference time would do, but the listing's own keeps the scanner on the path the listing
 * takes: a year-less date read against 1970 runs a branch the rest of the listing never does.
 */
function detectLine(line: string, now: number): ListingFormat | 'unix-total' | undefined {
  if (looksLikeMlsx(line) && parseOne('mlsd', line, now) !== undefined) return 'mlsd';
  const unix = scanUnixLine(line, now);
  if (typeof unix === 'object') return 'unix';
  if (unix === NO_ENTRY) return 'unix-total';
  if (typeof scanDosLine(line) === 'object') return 'dos';
  return undefined;
}

/** The entry, `NO_ENTRY`, or `undefined` when `format`'s parser cannot read the line. */
function parseOne(
  format: ListingFormat,
  line: string,
  now: number,
): ListingEntry | typeof NO_ENTRY | undefined {
  try {
    if (format === 'mlsd') {
      // Lines handed over as an array may keep the CR of their CRLF; the MLSx parser would read
      // it as part of the name. `raw` stays the line as received, like the other parsers' raw.
      const stripped = stripCr(line);
      const entry = parseMlsxLine(stripped);
      return stripped === line ? entry : Object.freeze({ ...entry, raw: line });
    }
    const result = format === 'unix' ? scanUnixLine(line, now) : scanDosLine(line);
    return typeof result === 'string' ? undefined : result;
  } catch {
    // parseMlsxLine reports a malformed line with a CodecError; any line a parser refuses,
    // for whatever reason, is the caller's to see in `unparsed`, never a throw.
    return undefined;
  }
}

/**
 * RFC 3659 §7.2: an MLSx entry is `facts SP pathname`, each fact `name=value;`. Requiring a
 * non-empty fact list keeps a LIST line from being tried as MLSD during detection.
 */
function looksLikeMlsx(line: string): boolean {
  const space = line.indexOf(' ');
  return space > 0 && line.charCodeAt(space - 1) === 0x3b && line.lastIndexOf('=', space) > 0;
}

function checkFormat(format: ParseListingOptions['format']): 'auto' | ListingFormat {
  const requested = format ?? 'auto';
  if (requested !== 'auto' && requested !== 'unix' && requested !== 'dos' && requested !== 'mlsd') {
    throw new CodecError(
      CodecErrorCodes.INVALID_ARGUMENT,
      `unknown listing format ${typeof requested === 'string' ? JSON.stringify(requested) : typeof requested}`,
    );
  }
  return requested;
}

function checkLines(input: readonly string[]): readonly string[] {
  if (!Array.isArray(input)) {
    throw new CodecError(
      CodecErrorCodes.INVALID_ARGUMENT,
      'listing must be a string, bytes or an array of lines',
    );
  }
  return input;
}

const CR = 0x0d;
const LF = 0x0a;

/**
 * An empty array that V8 already keeps as "any element" kind. A `[]` starts as small-integer
 * kind and changes kind at its first object; the optimised loop of an earlier listing has only
 * seen the changed kind and would be thrown away at the first entry of the next one.
 */
function objectArray<T>(): T[] {
  const array: (T | null)[] = [null];
  array.pop();
  return array as T[];
}

function stripCr(line: string): string {
  return line.charCodeAt(line.length - 1) === CR ? line.slice(0, -1) : line;
}

/** Nothing but spaces and tabs in `line[start, end)`, and the CR of a CRLF at its end. */
function isBlankLine(line: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = line.charCodeAt(i);
    if (c !== 0x20 && c !== 0x09 && !(c === CR && i === end - 1)) return false;
  }
  return true;
}
