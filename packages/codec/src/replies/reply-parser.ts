/**
 * Reads FTP replies from a server, client side (RFC 959 §4.2).
 *
 * Owns: assembling framed lines into complete replies (single- and multi-line), the reply size
 * caps, and the tolerances real servers need. Framing (CRLF/LF, Telnet IAC, the line cap) is the
 * `LineFramer`'s job; this module never touches a socket: the client feeds it chunks.
 *
 * What a `Reply` holds:
 * - `code`: the three-digit code of the first line.
 * - `lines`: the text of every line, in order. The first line loses its `CODE-` (or `CODE SP`)
 *   prefix, the last line loses its `CODE SP` prefix (a bare `CODE` gives `''`); inner lines are
 *   kept exactly as received, including the space a server padded them with and any `CODE-`
 *   prefix. These are the lines `formatReply` takes, so the two round-trip.
 * - `text`: `lines.join('\n')`.
 * - `multiline`: whether the reply used the `CODE-` form.
 *
 * Rules and tolerances, with the reason for each:
 * - A reply starts with a line of three digits forming a reply code (`isReplyCode`), then SP,
 *   `-`, or the end of the line. Anything else is REPLY: the client cannot know where the next
 *   reply starts, so it must drop the connection.
 * - A multi-line reply ends only at a line that starts with the same code followed by SP (RFC 959
 *   §4.2). Inner lines that start with another code, with `CODE-` (servers that prefix every
 *   line, as RFC 959 §4.2 shows), or with anything else belong to the reply.
 * - Tolerated: a last line that is just the code, with no SP (seen from servers that send an
 *   empty final text); bare LF line endings (the framer accepts them); Telnet commands, removed
 *   by the framer (replies travel on a Telnet NVT, RFC 959 §4.1.3) and otherwise ignored.
 * - Encoding (RFC 2640 §2.2): lines are UTF-8; a line that is not valid UTF-8 is read as Latin-1
 *   so that no byte is lost (the codec's `toText` rule) — old servers send Latin-1 names in 257
 *   and 550 texts, and dropping the connection over them would help nobody. `encoding: 'latin1'`
 *   reads every line byte per character. A string chunk is framed as its UTF-8 bytes, as the
 *   `LineFramer` does, so with `'latin1'` push bytes.
 * - Caps: `maxLineLength` bytes per line (LINE_TOO_LONG), `maxLines` lines and `maxReplyBytes`
 *   bytes per reply (REPLY). A hostile server can send lines forever; the caps bound memory.
 *
 * Errors poison the parser: the push that meets one throws it (replies completed earlier in the
 * same chunk are dropped with it), and every later `push` or `end` throws the same error. After a
 * framing error the reply stream cannot be resynchronised, so the client must close the
 * connection; the parser makes sure it cannot carry on by accident.
 */

import { DEFAULT_MAX_LINE_LENGTH, type FramerItem, LineFramer } from '../control/line-framer.js';
import { CodecError, CodecErrorCodes } from '../errors.js';
import { decodeUtf8Strict, encodeUtf8, type TextInput } from '../text.js';
import { describeValue } from './guards.js';
import { isReplyCode } from './reply-codes.js';

/** One complete reply. See the module comment for exactly what `lines` holds. */
export interface Reply {
  readonly code: number;
  readonly lines: readonly string[];
  readonly text: string;
  readonly multiline: boolean;
}

export interface ReplyParserOptions {
  /** Longest line in bytes, excluding CRLF. Default 4096 (`DEFAULT_MAX_LINE_LENGTH`). */
  readonly maxLineLength?: number;
  /**
   * Most lines in one reply, first and last included. Default 10,000: a long STAT or HELP reply
   * fits; an endless one does not.
   */
  readonly maxLines?: number;
  /**
   * Most bytes in one reply: each line's bytes after Telnet decoding, plus 2 per line for its
   * CRLF. Default 1 MiB (1,048,576).
   */
  readonly maxReplyBytes?: number;
  /** How line bytes become text. Default `'utf8'`, with the Latin-1 fallback described above. */
  readonly encoding?: 'utf8' | 'latin1';
}

export const DEFAULT_MAX_REPLY_LINES = 10_000;
export const DEFAULT_MAX_REPLY_BYTES = 1_048_576;

const SP = 0x20;
const HYPHEN = 0x2d;
const NON_ASCII = /[\u0080-\u00ff]/;

export class ReplyParser {
  readonly maxLineLength: number;
  readonly maxLines: number;
  readonly maxReplyBytes: number;
  // The framer always reads Latin-1: the line's length is then its exact byte count for the
  // caps, and UTF-8 is decoded here, where an invalid line can fall back instead of being lost.
  readonly #framer: LineFramer;
  readonly #utf8: boolean;
  readonly #items: FramerItem[] = [];
  #error: CodecError | undefined;
  // The multi-line reply being assembled; #code is 0 between replies.
  #code = 0;
  #prefix = '';
  #lines: string[] = [];
  #bytes = 0;

  constructor(options: ReplyParserOptions = {}) {
    // JavaScript callers may pass null.
    options ??= {};
    const encoding = options.encoding ?? 'utf8';
    if (encoding !== 'utf8' && encoding !== 'latin1') {
      throw new CodecError(CodecErrorCodes.INVALID_ARGUMENT, `Unknown encoding: ${describeValue(encoding)}`);
    }
    this.#utf8 = encoding === 'utf8';
    this.maxLines = positiveInteger('maxLines', options.maxLines ?? DEFAULT_MAX_REPLY_LINES);
    this.maxReplyBytes = positiveInteger('maxReplyBytes', options.maxReplyBytes ?? DEFAULT_MAX_REPLY_BYTES);
    this.#framer = new LineFramer({
      maxLineLength: options.maxLineLength ?? DEFAULT_MAX_LINE_LENGTH,
      telnet: true,
      encoding: 'latin1',
    });
    this.maxLineLength = this.#framer.maxLineLength;
  }

  /** The error that poisoned the parser, if any. */
  get error(): CodecError | undefined {
    return this.#error;
  }

  /** True while part of a reply is held: a partial line, or lines of an unfinished multi-line reply. */
  get pending(): boolean {
    return this.#code !== 0 || this.#framer.pendingBytes > 0 || this.#framer.discarding;
  }

  /**
   * Feeds one chunk; returns the replies it completed, in order. Throws CodecError (REPLY or
   * LINE_TOO_LONG) on malformed input and keeps throwing it afterwards (see the module comment).
   */
  push(chunk: TextInput): Reply[] {
    if (this.#error !== undefined) throw this.#error;
    const bytes = typeof chunk === 'string' ? encodeUtf8(chunk) : chunk;
    if (!(bytes instanceof Uint8Array)) {
      throw new CodecError(CodecErrorCodes.INVALID_ARGUMENT, 'A chunk must be a string or a Uint8Array');
    }
    const items = this.#items;
    items.length = 0;
    this.#framer.push(bytes, items);
    const out: Reply[] = [];
    for (let i = 0; i < items.length; i++) {
      const item = items[i]!;
      if (item.type === 'line') this.#line(item.text, out);
      else if (item.type === 'error') this.#fail(item.error);
      // Telnet commands from a server carry nothing a reply needs; the framer already removed them.
    }
    items.length = 0;
    return out;
  }

  /**
   * Declares the end of the stream (the server closed the connection). Throws REPLY when a reply
   * was cut off, and the poisoning error if there is one; otherwise does nothing.
   */
  end(): void {
    if (this.#error !== undefined) throw this.#error;
    if (this.pending) {
      this.#fail(new CodecError(CodecErrorCodes.REPLY, 'The reply stream ended in the middle of a reply'));
    }
  }

  #line(raw: string, out: Reply[]): void {
    // `raw` is Latin-1: its length is its byte count.
    const bytes = raw.length + 2;
    const text = this.#utf8 && NON_ASCII.test(raw) ? latin1AsUtf8(raw) : raw;
    if (this.#code === 0) {
      this.#first(text, bytes, out);
      return;
    }
    const prefix = this.#prefix;
    const lines = this.#lines;
    if (lines.length + 1 > this.maxLines) {
      this.#fail(new CodecError(CodecErrorCodes.REPLY, `Reply has more than ${this.maxLines} lines`));
    }
    this.#bytes += bytes;
    if (this.#bytes > this.maxReplyBytes) {
      this.#fail(new CodecError(CodecErrorCodes.REPLY, `Reply exceeds ${this.maxReplyBytes} bytes`));
    }
    // RFC 959 §4.2: only the same code followed by SP ends the reply; a bare code is tolerated.
    if (text.startsWith(prefix) && (text.length === 3 || text.charCodeAt(3) === SP)) {
      lines.push(text.length === 3 ? '' : text.slice(4));
      out.push({ code: this.#code, lines, text: lines.join('\n'), multiline: true });
      this.#code = 0;
      this.#lines = [];
      this.#bytes = 0;
      return;
    }
    lines.push(text);
  }

  #first(text: string, bytes: number, out: Reply[]): void {
    const code = readCode(text);
    const sep = text.length === 3 ? SP : text.charCodeAt(3);
    if (code === -1 || (sep !== SP && sep !== HYPHEN)) {
      this.#fail(
        new CodecError(
          CodecErrorCodes.REPLY,
          `Malformed reply line (RFC 959 §4.2 wants a reply code then SP or "-"): ${JSON.stringify(text.slice(0, 40))}`,
        ),
      );
    }
    if (bytes > this.maxReplyBytes) {
      this.#fail(new CodecError(CodecErrorCodes.REPLY, `Reply exceeds ${this.maxReplyBytes} bytes`));
    }
    const rest = text.length > 4 ? text.slice(4) : '';
    if (sep === SP) {
      out.push({ code, lines: [rest], text: rest, multiline: false });
      return;
    }
    if (this.maxLines < 2) {
      this.#fail(new CodecError(CodecErrorCodes.REPLY, `Reply has more than ${this.maxLines} lines`));
    }
    this.#code = code;
    this.#prefix = text.slice(0, 3);
    this.#lines = [rest];
    this.#bytes = bytes;
  }

  #fail(error: CodecError): never {
    this.#error = error;
    this.#lines = [];
    throw error;
  }
}

/**
 * Parses exactly one complete reply. The final line ending may be missing (convenient for
 * transcripts and tests). Throws REPLY when the reply is incomplete or followed by anything.
 */
export function parseReply(input: TextInput, options: ReplyParserOptions = {}): Reply {
  const parser = new ReplyParser(options);
  const replies = parser.push(input);
  if (parser.pending && parser.error === undefined) replies.push(...parser.push('\n'));
  if (replies.length === 0 || parser.pending) {
    throw new CodecError(CodecErrorCodes.REPLY, 'Incomplete reply: its last line is missing');
  }
  if (replies.length > 1) {
    throw new CodecError(CodecErrorCodes.REPLY, 'Trailing data after the reply');
  }
  return replies[0]!;
}

/** The reply code a line starts with, or -1. */
function readCode(text: string): number {
  if (text.length < 3) return -1;
  const a = text.charCodeAt(0) - 0x30;
  const b = text.charCodeAt(1) - 0x30;
  const c = text.charCodeAt(2) - 0x30;
  if (a < 0 || a > 9 || b < 0 || b > 9 || c < 0 || c > 9) return -1;
  const code = a * 100 + b * 10 + c;
  return isReplyCode(code) ? code : -1;
}

function latin1AsUtf8(text: string): string {
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return decodeUtf8Strict(bytes) ?? text;
}

function positiveInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) {
    throw new CodecError(
      CodecErrorCodes.INVALID_ARGUMENT,
      `${name} must be a positive integer, got ${describeValue(value)}`,
    );
  }
  return value;
}
