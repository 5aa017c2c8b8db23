/**
 * Frames the bytes of an FTP control connection into lines (RFC 959 §4.1.3, RFC 854).
 *
 * Owns: turning chunks of any size into complete lines, removing Telnet command sequences (which
 * may be split across chunks) and reporting them, and the line-length cap. It never touches a
 * socket: `@ftpkit/transport` feeds it chunks, and the reply parser reuses it on the client side.
 *
 * Rules, with the reason for each:
 * - A line ends at LF; one CR before it is dropped. RFC 959 requires CRLF, but bare LF is what
 *   many scripted clients send and every server in use accepts it (robustness principle).
 * - `IAC IAC` is a literal 0xFF data byte; any other IAC sequence is removed from the line and
 *   reported (RFC 854). WILL/WONT/DO/DONT carry one option byte; SB…IAC SE is skipped whole.
 * - A line longer than `maxLineLength` bytes yields one `LINE_TOO_LONG` error and the rest of that
 *   line is discarded up to its LF: memory stays bounded whatever the peer sends.
 * - Line text is UTF-8 (RFC 2640 §2.2). Invalid UTF-8 yields an `ENCODING` error for that line,
 *   unless `encoding: 'latin1'` asks for the byte-per-character reading older peers need.
 */

import { CodecError, CodecErrorCodes } from '../errors.js';
import { decodeLatin1, decodeUtf8Strict, encodeUtf8 } from '../text.js';
import { IAC, TelnetCommand, type TelnetEvent, telnetCommandName } from './telnet.js';

export interface LineFramerOptions {
  /**
   * Longest accepted line in bytes, excluding the line ending. Default 4096: room for a
   * PATH_MAX-long path after the verb, the same order as vsftpd's command-line limit.
   */
  readonly maxLineLength?: number;
  /** Interpret Telnet IAC sequences. Default true (RFC 959 §4.1.3). Off for raw line streams. */
  readonly telnet?: boolean;
  /** How line bytes become text. Default `'utf8'` (RFC 2640). */
  readonly encoding?: 'utf8' | 'latin1';
}

export const DEFAULT_MAX_LINE_LENGTH = 4096;

export interface FramedLine {
  readonly type: 'line';
  /** The line without its CRLF / LF. */
  readonly text: string;
}

export interface FramerError {
  readonly type: 'error';
  readonly error: CodecError;
}

export type FramerItem = FramedLine | TelnetEvent | FramerError;

const LF = 0x0a;
const CR = 0x0d;

enum TelnetState {
  Data,
  Iac,
  Option,
  Sub,
  SubIac,
}

export class LineFramer {
  readonly maxLineLength: number;
  readonly #telnet: boolean;
  readonly #latin1: boolean;
  // Allocated on first use and grown to at most maxLineLength, so an idle connection costs nothing.
  #buffer: Uint8Array = EMPTY;
  #length = 0;
  #discarding = false;
  #state = TelnetState.Data;
  #command = 0;

  constructor(options: LineFramerOptions = {}) {
    const max = options.maxLineLength ?? DEFAULT_MAX_LINE_LENGTH;
    if (!Number.isInteger(max) || max < 1) {
      throw new CodecError(
        CodecErrorCodes.INVALID_ARGUMENT,
        `maxLineLength must be a positive integer, got ${max}`,
      );
    }
    this.maxLineLength = max;
    this.#telnet = options.telnet ?? true;
    this.#latin1 = options.encoding === 'latin1';
  }

  /** Bytes of an unfinished line currently held. */
  get pendingBytes(): number {
    return this.#length;
  }

  /** True while the rest of an over-long line is being skipped. */
  get discarding(): boolean {
    return this.#discarding;
  }

  /**
   * Drops everything held: the partial line, a half-read Telnet sequence, a discard in progress.
   * Used after `AUTH TLS`: bytes a client pipelined before the handshake must not be read as
   * commands (RFC 4217 §4), so the owner resets the framer when it upgrades the socket.
   */
  reset(): void {
    this.#length = 0;
    this.#discarding = false;
    this.#state = TelnetState.Data;
    if (this.#buffer.length > INITIAL_CAPACITY) this.#buffer = EMPTY;
  }

  /** Feeds one chunk; returns the complete items it finished, in order. */
  push(chunk: Uint8Array | string, out: FramerItem[] = []): FramerItem[] {
    // A string chunk is text already decoded by the caller; it is framed as its UTF-8 bytes.
    const bytes = typeof chunk === 'string' ? encodeUtf8(chunk) : chunk;
    if (this.#state === TelnetState.Data && (!this.#telnet || bytes.indexOf(IAC) === -1)) {
      this.#pushPlain(bytes, 0, bytes.length, out);
    } else {
      this.#pushTelnet(bytes, out);
    }
    // Nothing pending: hold no buffer, so that an idle connection costs no line memory.
    if (this.#length === 0) this.#buffer = EMPTY;
    return out;
  }

  /** Plain bytes (no Telnet state pending): split on LF with indexOf, copy runs at once. */
  #pushPlain(bytes: Uint8Array, start: number, end: number, out: FramerItem[]): void {
    let pos = start;
    while (pos < end) {
      const lf = bytes.indexOf(LF, pos);
      const stop = lf === -1 || lf >= end ? end : lf;
      if (stop !== end && this.#length === 0 && !this.#discarding) {
        // A whole line inside the chunk (the usual case): decoded where it lies, never copied.
        let len = stop - pos;
        if (len > 0 && bytes[stop - 1] === CR) len--;
        if (len <= this.maxLineLength) {
          this.#emit(bytes.subarray(pos, pos + len), out);
          pos = stop + 1;
          continue;
        }
      }
      this.#append(bytes, pos, stop, out);
      if (stop === end) return;
      this.#finishLine(out);
      pos = stop + 1;
    }
  }

  #pushTelnet(bytes: Uint8Array, out: FramerItem[]): void {
    let runStart = 0;
    for (let i = 0; i < bytes.length; i++) {
      const b = bytes[i]!;
      switch (this.#state) {
        case TelnetState.Data:
          if (b === IAC) {
            this.#pushPlain(bytes, runStart, i, out);
            this.#state = TelnetState.Iac;
          } else if (b === LF) {
            this.#pushPlain(bytes, runStart, i, out);
            this.#finishLine(out);
            runStart = i + 1;
          }
          continue;
        case TelnetState.Iac:
          this.#afterIac(b, out);
          break;
        case TelnetState.Option:
          this.#state = TelnetState.Data;
          out.push({
            type: 'telnet',
            command: telnetCommandName(this.#command)!,
            byte: this.#command,
            option: b,
          });
          break;
        case TelnetState.Sub:
          if (b === IAC) this.#state = TelnetState.SubIac;
          break;
        case TelnetState.SubIac:
          // IAC SE ends the subnegotiation; IAC IAC is a data byte inside it; anything else is
          // malformed, and the safest reading is to end the subnegotiation there too.
          if (b === IAC) this.#state = TelnetState.Sub;
          else {
            this.#state = TelnetState.Data;
            out.push({ type: 'telnet', command: 'SB', byte: TelnetCommand.SB });
          }
          break;
      }
      runStart = i + 1;
    }
    if (this.#state === TelnetState.Data) this.#pushPlain(bytes, runStart, bytes.length, out);
  }

  #afterIac(b: number, out: FramerItem[]): void {
    if (b === IAC) {
      this.#state = TelnetState.Data;
      this.#append(IAC_BYTE, 0, 1, out);
    } else if (b >= TelnetCommand.WILL && b <= TelnetCommand.DONT) {
      this.#state = TelnetState.Option;
      this.#command = b;
    } else if (b === TelnetCommand.SB) {
      this.#state = TelnetState.Sub;
    } else {
      this.#state = TelnetState.Data;
      out.push({ type: 'telnet', command: telnetCommandName(b) ?? 'UNKNOWN', byte: b });
    }
  }

  #append(bytes: Uint8Array, start: number, end: number, out: FramerItem[]): void {
    const n = end - start;
    if (n <= 0 || this.#discarding) return;
    const needed = this.#length + n;
    // +1: the CR of a CRLF ending arrives before we know it is one, so allow one byte of slack.
    if (needed > this.maxLineLength + 1) {
      this.#discarding = true;
      this.#length = 0;
      if (this.#buffer.length > INITIAL_CAPACITY) this.#buffer = EMPTY;
      out.push({
        type: 'error',
        error: new CodecError(
          CodecErrorCodes.LINE_TOO_LONG,
          `Line exceeds ${this.maxLineLength} bytes; the rest of it was discarded`,
        ),
      });
      return;
    }
    if (needed > this.#buffer.length) {
      const grown = new Uint8Array(
        Math.min(this.maxLineLength + 1, Math.max(needed, this.#buffer.length * 2, INITIAL_CAPACITY)),
      );
      grown.set(this.#buffer.subarray(0, this.#length));
      this.#buffer = grown;
    }
    this.#buffer.set(bytes.subarray(start, end), this.#length);
    this.#length = needed;
  }

  #finishLine(out: FramerItem[]): void {
    if (this.#discarding) {
      this.#discarding = false;
      return;
    }
    let len = this.#length;
    if (len > 0 && this.#buffer[len - 1] === CR) len--;
    if (len > this.maxLineLength) {
      this.#length = 0;
      out.push({
        type: 'error',
        error: new CodecError(CodecErrorCodes.LINE_TOO_LONG, `Line exceeds ${this.maxLineLength} bytes`),
      });
      return;
    }
    const line = this.#buffer.subarray(0, len);
    this.#length = 0;
    this.#emit(line, out);
    // Give back a buffer that one long line grew, so that idle connections stay small.
    if (this.#buffer.length > LARGE_BUFFER) this.#buffer = EMPTY;
  }

  #emit(line: Uint8Array, out: FramerItem[]): void {
    const text = this.#latin1 ? decodeLatin1(line) : decodeLine(line);
    if (text === undefined) {
      out.push({
        type: 'error',
        error: new CodecError(CodecErrorCodes.ENCODING, 'Line is not valid UTF-8 (RFC 2640 §2.2)'),
      });
      return;
    }
    out.push({ type: 'line', text });
  }
}

const EMPTY = new Uint8Array(0);
const IAC_BYTE = Uint8Array.of(IAC);
const INITIAL_CAPACITY = 256;
const LARGE_BUFFER = 1024;

/** ASCII lines (nearly all of them) skip the TextDecoder call. */
function decodeLine(line: Uint8Array): string | undefined {
  let ascii = true;
  for (let i = 0; i < line.length; i++) {
    if (line[i]! > 0x7f) {
      ascii = false;
      break;
    }
  }
  if (ascii) return decodeLatin1(line);
  return decodeUtf8Strict(line);
}
