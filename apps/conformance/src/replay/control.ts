/**
 * The replayer's control connection, client role: the transport's `ControlChannel` for the
 * socket (plain, implicit TLS, `AUTH TLS` upgrade) and the codec's `ReplyParser` for replies.
 *
 * Owns: reading one complete reply within a deadline, a push-back slot for optional replies,
 * and sending raw bytes. A target that hangs, closes, sends garbage or endless replies makes a
 * call reject with a `ReplayFailure`; nothing here waits without a limit.
 */
import { type Reply, ReplyParser } from '@ftpkit/codec';
import {
  type ClientHandshakeOptions,
  type ControlChannel,
  connectControl,
  isTransportError,
} from '@ftpkit/transport';

/** A step did not go as the transcript says: the transcript fails with this message. */
export class ReplayFailure extends Error {
  override name = 'ReplayFailure';
}

export interface ControlOptions {
  readonly host: string;
  readonly port: number;
  readonly implicitTls?: ClientHandshakeOptions;
  readonly connectTimeout: number;
  /** Longest reply line; longer is a failure ("gigantic reply"). */
  readonly maxLineLength?: number;
  /** Most bytes in one reply. */
  readonly maxReplyBytes?: number;
  readonly localAddress?: string;
}

export class ControlClient {
  readonly channel: ControlChannel;
  readonly #options: ControlOptions;
  #parser: ReplyParser;
  readonly #replies: Reply[] = [];
  #closed = false;

  private constructor(channel: ControlChannel, options: ControlOptions) {
    this.channel = channel;
    this.#options = options;
    this.#parser = this.#newParser();
  }

  static async connect(options: ControlOptions): Promise<ControlClient> {
    try {
      const channel = await connectControl({
        host: options.host,
        port: options.port,
        connectTimeout: options.connectTimeout,
        ...(options.implicitTls === undefined ? {} : { implicitTls: options.implicitTls }),
        ...(options.localAddress === undefined ? {} : { localAddress: options.localAddress }),
        // Latin-1 and no Telnet processing: the bytes reach the codec's reply parser untouched,
        // which does both (RFC 959 §4.1.3 Telnet, RFC 2640 UTF-8 with a Latin-1 fallback).
        channel: {
          encoding: 'latin1',
          telnet: false,
          maxLineLength: options.maxLineLength ?? 8192,
          idleTimeout: 0,
          lineTimeout: 0,
          closeTimeout: 1000,
        },
      });
      return new ControlClient(channel, options);
    } catch (error) {
      throw new ReplayFailure(`cannot connect to ${options.host}:${options.port}: ${message(error)}`);
    }
  }

  #newParser(): ReplyParser {
    return new ReplyParser({
      maxLineLength: this.#options.maxLineLength ?? 8192,
      maxReplyBytes: this.#options.maxReplyBytes ?? 256 * 1024,
      maxLines: 5000,
    });
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Sends bytes as they are (the caller adds CRLF). */
  async send(bytes: Uint8Array): Promise<void> {
    try {
      await this.channel.write(bytes);
    } catch (error) {
      throw new ReplayFailure(`cannot send: ${message(error)}`);
    }
  }

  /** Puts a reply back: the next `reply()` returns it. */
  unread(reply: Reply): void {
    this.#replies.unshift(reply);
  }

  /** The next complete reply within `timeout` ms. */
  async reply(timeout: number): Promise<Reply> {
    const deadline = Date.now() + timeout;
    for (;;) {
      const queued = this.#replies.shift();
      if (queued !== undefined) return queued;
      const left = deadline - Date.now();
      if (left <= 0) throw new ReplayFailure(`no complete reply within ${timeout} ms`);
      let result: IteratorResult<import('@ftpkit/transport').ControlItem>;
      try {
        result = await this.channel.next({ timeout: left });
      } catch (error) {
        if (isTransportError(error) && error.code === 'FTPKIT_ERR_TIMEOUT') {
          throw new ReplayFailure(`no complete reply within ${timeout} ms`);
        }
        this.#closed = true;
        throw new ReplayFailure(`control connection failed while waiting for a reply: ${message(error)}`);
      }
      if (result.done === true) {
        this.#closed = true;
        throw new ReplayFailure('the server closed the control connection while a reply was expected');
      }
      const item = result.value;
      if (item.type === 'error') throw new ReplayFailure(`unreadable reply line: ${item.error.message}`);
      if (item.type !== 'line') continue;
      try {
        this.#replies.push(...this.#parser.push(Buffer.from(`${item.text}\r\n`, 'latin1')));
      } catch (error) {
        throw new ReplayFailure(`malformed reply: ${message(error)}`);
      }
    }
  }

  /** Resolves when the server ends the connection within `timeout` ms; replies read meanwhile are returned. */
  async expectClose(timeout: number): Promise<Reply[]> {
    const deadline = Date.now() + timeout;
    const extra = this.#replies.splice(0);
    for (;;) {
      const left = deadline - Date.now();
      if (left <= 0) throw new ReplayFailure(`the server did not close the connection within ${timeout} ms`);
      try {
        const result = await this.channel.next({ timeout: left });
        if (result.done === true) break;
        if (result.value.type === 'line') {
          try {
            extra.push(...this.#parser.push(Buffer.from(`${result.value.text}\r\n`, 'latin1')));
          } catch {
            // garbage before the close still counts as a close
          }
        }
      } catch (error) {
        if (isTransportError(error) && error.code === 'FTPKIT_ERR_TIMEOUT') {
          throw new ReplayFailure(`the server did not close the connection within ${timeout} ms`);
        }
        break; // reset: closed
      }
    }
    this.#closed = true;
    return extra;
  }

  /** `AUTH TLS` was answered 234: handshake now (RFC 4217 §4). */
  async upgrade(options: ClientHandshakeOptions): Promise<void> {
    if (this.#replies.length > 0) {
      throw new ReplayFailure('the server sent more replies after 234 and before the TLS handshake');
    }
    try {
      await this.channel.upgradeClient(options);
    } catch (error) {
      throw new ReplayFailure(`TLS handshake on the control connection failed: ${message(error)}`);
    }
    this.#parser = this.#newParser();
  }

  /**
   * The TLS session to resume on data connections. No wait: a TLS 1.2 session exists once the
   * handshake is done, and a server sends its TLS 1.3 tickets right after the handshake, ahead of
   * any reply, so the PASV/EPSV/PORT reply before a data connection has brought them. A server
   * that issued none (Pure-FTPd under TLS 1.3) never will.
   */
  tlsSession(): Buffer | undefined {
    return this.channel.secure ? this.channel.tlsSession : undefined;
  }

  close(): void {
    this.#closed = true;
    this.channel.destroy();
  }
}

export function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
