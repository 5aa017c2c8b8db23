/**
 * One control connection, client side: commands out, complete replies in (RFC 959 §4.2).
 *
 * Owns: the transport's `ControlChannel` (framed lines), the codec's incremental `ReplyParser`
 * (which assembles multi-line replies, whatever the chunking, under its line and byte caps), the
 * ordered write of command lines (formatted and CR/LF/NUL-checked by the codec, logged redacted),
 * and the rule that any desynchronisation — a malformed reply, a reply timeout, a drop — closes
 * the connection: after that, no reply could be matched to its command with certainty.
 *
 * Never decides what a reply means; `Client` does. Never runs two requests at once: the caller
 * (the client's task queue) guarantees that.
 */
import { formatCommandLine, type Reply, ReplyParser, redactCommandLine } from '@ftpkit/codec';
import { type ControlChannel, TransportError, TransportErrorCodes } from '@ftpkit/transport';
import { ClientError, ClientErrorCodes } from './errors.js';
import { type Logger, silentLogger } from './logger.js';

export interface ReadOptions {
  /**
   * ms; 0 = no limit (the caller bounds the wait another way). Omitted: the limit set by
   * `limitReads` (none by default).
   */
  readonly timeout?: number;
  readonly signal?: AbortSignal;
}

export class ControlConnection {
  readonly channel: ControlChannel;
  readonly #parser = new ReplyParser();
  readonly #replies: Reply[] = [];
  readonly #logger: Logger;
  /** False with the default silent logger: no log record is built per command and reply. */
  readonly #logging: boolean;
  readonly #replyTimeout: number;
  /** `limitReads`' limit and what its timeout error says. */
  #limit = 0;
  #limitContext = '';
  readonly #readOptions: ReadOptions;
  #failure: Error | undefined;
  /** Replies still owed to commands whose wait was abandoned (an aborted simple command). */
  owed = 0;

  constructor(channel: ControlChannel, replyTimeout: number, logger: Logger) {
    this.channel = channel;
    this.#replyTimeout = replyTimeout;
    this.#logger = logger;
    this.#logging = logger !== silentLogger;
    this.#readOptions = { timeout: replyTimeout };
  }

  /** The error that ended the connection, once it is unusable. */
  get failure(): Error | undefined {
    return this.#failure;
  }

  get usable(): boolean {
    return this.#failure === undefined && !this.channel.closed;
  }

  /** The control peer's IP: where passive data connections go. */
  get peerAddress(): string {
    return this.channel.remoteAddress ?? '127.0.0.1';
  }

  /**
   * The next complete reply (1yz included). Rejects, and closes the connection, on a malformed
   * reply, a drop or the timeout; an abort by `signal` leaves the connection as it is.
   */
  async read(options: ReadOptions = this.#readOptions): Promise<Reply> {
    for (;;) {
      const ready = this.#replies.shift();
      if (ready !== undefined) {
        if (this.#logging) {
          this.#logger.debug(
            { local: this.channel.localPort, code: ready.code, text: ready.text },
            'ftp reply',
          );
        }
        return ready;
      }
      if (this.#failure !== undefined) throw this.#failure;
      let result: IteratorResult<import('@ftpkit/transport').ControlItem>;
      try {
        // ReadOptions is a NextOptions: passed as is, no object per line.
        result = await this.channel.next(options);
      } catch (error) {
        if (options.signal?.aborted === true) throw error;
        if (error instanceof TransportError && error.code === TransportErrorCodes.TIMEOUT) {
          const message =
            options.timeout === undefined
              ? `No reply within ${this.#limit} ms ${this.#limitContext}`
              : `No reply from the server within ${options.timeout} ms`;
          throw this.fail(new ClientError(ClientErrorCodes.TIMEOUT, message, { cause: error }));
        }
        throw this.fail(error as Error);
      }
      if (result.done === true) {
        const midReply = this.#parser.pending;
        throw this.fail(
          new TransportError(
            TransportErrorCodes.CONNECTION_CLOSED,
            midReply
              ? 'The server closed the control connection in the middle of a reply'
              : 'The server closed the control connection',
          ),
        );
      }
      const item = result.value;
      if (item.type === 'telnet') continue;
      if (item.type === 'error') throw this.fail(item.error);
      try {
        // The channel frames in Latin-1 so every byte survives; the parser decodes UTF-8 with a
        // Latin-1 fallback for old servers (RFC 2640 §2.2).
        const replies = this.#parser.push(Buffer.from(`${item.text}\r\n`, 'latin1'));
        for (const reply of replies) this.#replies.push(reply);
      } catch (error) {
        throw this.fail(error as Error);
      }
    }
  }

  /**
   * Bounds the reads that pass no `timeout` to `ms` from now, the one already waiting included
   * (0 = no limit again). `context` completes the timeout error's message.
   */
  limitReads(ms: number, context: string): void {
    this.#limit = ms;
    this.#limitContext = context;
    this.channel.setReadTimeout(ms);
  }

  /** Writes one command line. `line` is already formatted; checked again for CR/LF/NUL. */
  async send(verb: string, argument?: string): Promise<string> {
    if (this.#failure !== undefined) throw this.#failure;
    const line = formatCommandLine(verb, argument);
    if (this.#logging) {
      this.#logger.debug({ local: this.channel.localPort, command: redactCommandLine(line) }, 'ftp command');
    }
    try {
      await this.channel.writeLine(line);
    } catch (error) {
      throw this.fail(error as Error);
    }
    return line;
  }

  /** Discards replies owed to abandoned commands; called before the next request. */
  async settle(): Promise<void> {
    while (this.owed > 0) {
      const reply = await this.read();
      if (reply.code >= 200) this.owed--;
    }
  }

  /** Sends a command and resolves with its first final (non-1yz) reply. */
  async request(verb: string, argument?: string, signal?: AbortSignal): Promise<Reply> {
    await this.settle();
    await this.send(verb, argument);
    for (;;) {
      let reply: Reply;
      try {
        reply = await this.read(
          signal === undefined ? this.#readOptions : { timeout: this.#replyTimeout, signal },
        );
      } catch (error) {
        // Abandoned wait: the reply will still come; the next request skips it.
        if (signal?.aborted === true && this.#failure === undefined) this.owed++;
        throw error;
      }
      if (reply.code >= 200) return reply;
    }
  }

  /** Marks the connection unusable and destroys it; returns `error` for `throw`. */
  fail<E extends Error>(error: E): E {
    if (this.#failure === undefined) {
      this.#failure = error;
      this.#logger.debug({ error: error.message }, 'ftp control connection failed');
      this.channel.destroy();
    }
    return error;
  }

  /** QUIT and a graceful close, bounded; never throws. */
  async quit(timeout: number): Promise<void> {
    if (this.usable) {
      try {
        await this.settle();
        await this.send('QUIT');
        await this.read({ timeout: Math.min(timeout, 5000) });
      } catch {
        // The server may close without a 221; the socket is closed either way.
      }
    }
    if (this.#failure === undefined)
      this.#failure = new ClientError(ClientErrorCodes.CONNECTION_CLOSED, 'Closed');
    await this.channel.close().catch(() => {});
  }
}
