/**
 * The FTP client: one logged-in control connection, a promise per operation.
 *
 * Owns: the task queue (one control task at a time, STYLE habit 12: replies can only be matched
 * to commands that way), connecting and logging in (implicit TLS, or AUTH TLS + PBSZ 0 + PROT P),
 * FEAT read once and used (MLSD/MLST, UTF8, SIZE, MDTM, MFMT, HASH), every operation of the API,
 * idle keepalive, and the opt-in reconnect (log in again, restore the working directory, retry,
 * resuming local-file transfers with REST).
 *
 * Never parses a line itself: the codec reads replies, listings, 227/229, 257 and FEAT; the
 * transport owns every socket.
 */
import { EventEmitter } from 'node:events';
import { stat as fsStat, truncate } from 'node:fs/promises';
import { type Readable, Writable } from 'node:stream';
import type { TLSSocket } from 'node:tls';
import { inspect } from 'node:util';
import {
  formatTimeVal,
  type ListingEntry,
  ListingParser,
  parseFeatReply,
  parseMlsxLine,
  parsePathnameReply,
  parseTimeVal,
  type Reply,
  redactCommandLine,
} from '@ftpkit/codec';
import {
  type ClientHandshakeOptions,
  connectControl,
  createClientSecureContext,
  type DataChannel,
  type TransferResult,
} from '@ftpkit/transport';
import { ControlConnection } from './control.js';
import {
  abortedError,
  ClientError,
  ClientErrorCodes,
  FtpReplyError,
  invalidArgument,
  isAborted,
} from './errors.js';
import { LocalFileSink } from './local-file-sink.js';
import { LocalFileReadable, statSmallFile } from './local-source.js';
import {
  type ClientOptions,
  type ClientTlsSettings,
  type ParsedFtpUrl,
  parseFtpUrl,
  type ResolvedOptions,
  resolveOptions,
} from './options.js';
import { isSafeEntryName, joinRemote, splitRemote } from './paths.js';
import { runTransfer, type TransferContext, type TransferProgress, type TransferSpec } from './transfer.js';
import { downloadTreePlan, runTree, type TreeOptions, type TreeResult, uploadTreePlan } from './tree.js';

export interface OperationOptions {
  /** Aborting rejects with FTPKIT_ERR_ABORTED; a running transfer is ABORted, the connection stays usable. */
  readonly signal?: AbortSignal;
}

export interface TransferOptions extends OperationOptions {
  /**
   * Resume offset (REST, RFC 3659 §5). Download: the server starts at this byte and a local file
   * is written from this position. Upload: the remote file is written from this byte and a local
   * source file is read from it.
   */
  readonly start?: number;
  /** Per-transfer progress, every `progressInterval` ms and once at the end. */
  readonly onProgress?: (progress: TransferProgress) => void;
  /** Size of the whole file, when the caller knows it (shown as `total` in progress events). */
  readonly total?: number;
}

export interface UploadOptions extends TransferOptions {
  /** APPE instead of STOR: append to the remote file. */
  readonly append?: boolean;
}

export interface TransferSummary {
  /** Bytes that crossed the data connection in this call. */
  readonly bytes: number;
}

/** A directory listing. Lines no parser could read are returned, never thrown. */
export interface Listing {
  /** Entries without `.` and `..`. */
  readonly entries: readonly ListingEntry[];
  /** Non-blank lines the listing parsers could not read, as received. */
  readonly unparsed: readonly string[];
  readonly format: 'mlsd' | 'unix' | 'dos' | 'unknown';
}

export interface HashResult {
  /** As the server named it, e.g. `SHA-256`. */
  readonly algorithm: string;
  /** Lower-case hex. */
  readonly hash: string;
  readonly start: number;
  readonly end: number;
}

export type { TransferProgress };

/** Events of a `Client`: `progress` (every transfer's samples), `reconnect`, `keepalive`. */
export interface ClientEvents {
  progress: [TransferProgress];
  reconnect: [{ attempt: number; error: Error }];
  keepalive: [];
}

const CONNECTION_LOST = new Set([
  'FTPKIT_ERR_CONNECTION_CLOSED',
  'FTPKIT_ERR_SOCKET',
  'FTPKIT_ERR_TIMEOUT',
  'FTPKIT_ERR_TRANSFER_ABORTED',
  'FTPKIT_ERR_TLS_HANDSHAKE',
]);

export class Client extends EventEmitter<ClientEvents> {
  readonly #o: ResolvedOptions;
  #conn: ControlConnection | undefined;
  #connecting: Promise<ControlConnection> | undefined;
  #queue: Promise<unknown> = Promise.resolve();
  #busy = 0;
  #closed = false;
  #features: ReadonlyMap<string, string> | undefined;
  #cwd: string | undefined;
  #secureContext: import('node:tls').SecureContext | undefined;
  readonly #refused = { epsv: false, eprt: false };
  readonly #tlsTiming = { early: false };
  #context: TransferContext | undefined;
  #idleTimer: NodeJS.Timeout | undefined;
  #keepalives = 0;

  constructor(options: ClientOptions = {}) {
    super();
    this.#o = resolveOptions(options);
  }

  /** Host and port this client talks to. */
  get host(): string {
    return this.#o.host;
  }

  get port(): number {
    return this.#o.port;
  }

  get user(): string {
    return this.#o.user;
  }

  /** True while a logged-in control connection is open. */
  get connected(): boolean {
    return this.#conn?.usable === true;
  }

  /** True once `close()` was called. */
  get closed(): boolean {
    return this.#closed;
  }

  /** FEAT as read at the first login (label → parameters); empty before `connect()`. */
  get features(): ReadonlyMap<string, string> {
    return this.#features ?? new Map();
  }

  /** NOOPs sent as keepalive so far (idle and during transfers). */
  get keepalivesSent(): number {
    return this.#keepalives;
  }

  /** Whether the control connection (and PROT P data) is encrypted. */
  get secure(): boolean {
    return this.#o.secure !== false;
  }

  /** Connects and logs in. Resolves with the client itself. */
  async connect(options: OperationOptions = {}): Promise<this> {
    await this.#task(options.signal, async () => {
      await this.#ready(options.signal);
    });
    return this;
  }

  // ---------------------------------------------------------------- directory operations

  async pwd(options: OperationOptions = {}): Promise<string> {
    return this.#task(options.signal, (conn) => this.#pwd(conn, options.signal), { retry: true });
  }

  async cd(path: string, options: OperationOptions = {}): Promise<void> {
    checkPath(path);
    await this.#task(
      options.signal,
      async (conn) => {
        await this.#expect(conn, ['CWD', path], [250, 200], options.signal);
        // Remember where we are (absolute) so a reconnect can come back here.
        if (this.#o.autoReconnect !== undefined) this.#cwd = await this.#pwd(conn, options.signal);
      },
      { retry: true },
    );
  }

  async list(path?: string, options: OperationOptions = {}): Promise<Listing> {
    if (path !== undefined && path !== '') checkPath(path);
    return this.#task(options.signal, (conn) => this.#list(conn, path, options.signal), { retry: true });
  }

  /** One entry's facts: MLST when offered, else its line in the parent directory's listing. */
  async stat(path: string, options: OperationOptions = {}): Promise<ListingEntry> {
    checkPath(path);
    return this.#task(options.signal, (conn) => this.#stat(conn, path, options.signal), { retry: true });
  }

  async size(path: string, options: OperationOptions = {}): Promise<number> {
    checkPath(path);
    return this.#task(
      options.signal,
      async (conn) => {
        if (this.#has('SIZE')) {
          const reply = await this.#expect(conn, ['SIZE', path], [213], options.signal);
          const value = Number(reply.text.trim());
          if (Number.isSafeInteger(value) && value >= 0) return value;
          throw new ClientError(ClientErrorCodes.PROTOCOL, `SIZE: not a size: ${reply.text.slice(0, 40)}`);
        }
        const entry = await this.#stat(conn, path, options.signal);
        if (entry.size === undefined) throw notSupported('SIZE (and the listing gives no size)');
        return entry.size;
      },
      { retry: true },
    );
  }

  async lastModified(path: string, options: OperationOptions = {}): Promise<Date> {
    checkPath(path);
    return this.#task(
      options.signal,
      async (conn) => {
        if (this.#has('MDTM')) {
          const reply = await this.#expect(conn, ['MDTM', path], [213], options.signal);
          return parseTimeVal(reply.text.trim());
        }
        const entry = await this.#stat(conn, path, options.signal);
        if (entry.modified === undefined) throw notSupported('MDTM (and the listing gives no time)');
        return entry.modified;
      },
      { retry: true },
    );
  }

  /** MFMT (draft-somers-ftp-mfxx): sets the modification time. */
  async setLastModified(path: string, date: Date, options: OperationOptions = {}): Promise<void> {
    checkPath(path);
    if (!(date instanceof Date) || Number.isNaN(date.getTime()))
      throw invalidArgument('date must be a valid Date');
    await this.#task(
      options.signal,
      async (conn) => {
        if (!this.#has('MFMT')) throw notSupported('MFMT');
        await this.#expect(conn, ['MFMT', `${formatTimeVal(date)} ${path}`], [213, 200, 250], options.signal);
      },
      { retry: true },
    );
  }

  async mkdir(path: string, options: OperationOptions & { recursive?: boolean } = {}): Promise<void> {
    checkPath(path);
    await this.#task(
      options.signal,
      async (conn) => {
        if (options.recursive !== true) {
          await this.#expect(conn, ['MKD', path], [257, 250], options.signal);
          return;
        }
        await this.#mkdirp(conn, path, options.signal);
      },
      { retry: options.recursive === true },
    );
  }

  async remove(path: string, options: OperationOptions = {}): Promise<void> {
    checkPath(path);
    await this.#task(options.signal, async (conn) => {
      await this.#expect(conn, ['DELE', path], [250, 200], options.signal);
    });
  }

  async removeDir(path: string, options: OperationOptions & { recursive?: boolean } = {}): Promise<void> {
    checkPath(path);
    await this.#task(options.signal, async (conn) => {
      if (options.recursive === true) await this.#clearDir(conn, path, options.signal);
      await this.#expect(conn, ['RMD', path], [250, 200], options.signal);
    });
  }

  async rename(from: string, to: string, options: OperationOptions = {}): Promise<void> {
    checkPath(from);
    checkPath(to);
    await this.#task(options.signal, async (conn) => {
      await this.#expect(conn, ['RNFR', from], [350], options.signal);
      await this.#expect(conn, ['RNTO', to], [250, 200], options.signal);
    });
  }

  /**
   * HASH (draft-bryan-ftpext-hash): the server's checksum of a file. `algorithm` selects one
   * of those FEAT lists (OPTS HASH), e.g. 'SHA-256'.
   */
  async hash(path: string, options: OperationOptions & { algorithm?: string } = {}): Promise<HashResult> {
    checkPath(path);
    return this.#task(
      options.signal,
      async (conn) => {
        const offered = this.#features?.get('HASH');
        if (offered === undefined) throw notSupported('HASH');
        if (options.algorithm !== undefined) {
          const wanted = options.algorithm.toUpperCase();
          const names = offered.split(';').map((n) => n.replace('*', '').toUpperCase());
          if (!names.includes(wanted)) throw notSupported(`HASH ${options.algorithm} (offered: ${offered})`);
          await this.#expect(conn, ['OPTS', `HASH ${wanted}`], [200], options.signal);
        }
        const reply = await this.#expect(conn, ['HASH', path], [213], options.signal);
        // `213 SHA-256 0-49 <hex> <name>`: the name may contain spaces, the first three fields not.
        const match = /^(\S+) (\d+)-(\d+) ([0-9A-Fa-f]+)(?: |$)/.exec(reply.text.trim());
        if (match === null)
          throw new ClientError(
            ClientErrorCodes.PROTOCOL,
            `HASH: unreadable reply ${reply.text.slice(0, 80)}`,
          );
        return {
          algorithm: match[1]!,
          start: Number(match[2]),
          end: Number(match[3]),
          hash: match[4]!.toLowerCase(),
        };
      },
      { retry: true },
    );
  }

  /**
   * Sends any command line and resolves with the server's final reply, whatever its code (a
   * negative reply is returned, not thrown). The line is checked for CR/LF/NUL. Not for
   * commands that open a data connection.
   */
  async raw(line: string, options: OperationOptions = {}): Promise<Reply> {
    if (typeof line !== 'string' || line.trim() === '')
      throw invalidArgument('raw: a command line is required');
    const space = line.indexOf(' ');
    const verb = space === -1 ? line : line.slice(0, space);
    const argument = space === -1 ? undefined : line.slice(space + 1);
    if (/[\r\n\0]/.test(line)) throw invalidArgument('raw: the line must not contain CR, LF or NUL');
    return this.#task(options.signal, (conn) => conn.request(verb, argument, options.signal));
  }

  // ---------------------------------------------------------------- transfers

  /**
   * RETR into a local file path or a writable stream. With `start`, REST first (resume): a path
   * is written from that byte on (the file must exist) and truncated to the new end.
   */
  async download(
    remotePath: string,
    destination: string | Writable,
    options: TransferOptions = {},
  ): Promise<TransferSummary> {
    checkPath(remotePath);
    const start = checkStart(options.start);
    const toPath = typeof destination === 'string';
    let resumeFrom = start;
    return this.#task(
      options.signal,
      async (conn, attempt) => {
        if (attempt > 0 && toPath) {
          // Reconnected after a drop: continue where the local file ends (REST).
          resumeFrom = Math.max(start, await localSize(destination));
        } else if (attempt > 0) {
          throw new ClientError(ClientErrorCodes.CONNECTION_CLOSED, 'Cannot resume into a stream');
        }
        let total = options.total;
        if (total === undefined && options.onProgress !== undefined && this.#has('SIZE')) {
          const reply = await conn.request('SIZE', remotePath, options.signal);
          if (reply.code === 213 && /^\d+$/.test(reply.text.trim())) total = Number(reply.text.trim());
        }
        const sink: Writable = toPath ? new LocalFileSink(destination, resumeFrom) : destination;
        const bytes = await this.#transfer(conn, {
          verb: 'RETR',
          path: remotePath,
          direction: 'download',
          start: resumeFrom,
          total,
          signal: options.signal,
          onProgress: options.onProgress,
          run: (data, signal) => data.receive(sink, signalOption(signal)),
        }).catch(async (error: unknown) => {
          if (toPath) {
            if (!sink.destroyed) sink.destroy();
            // The sink writes what it accepted before closing: wait, so the local file is final
            // (its size is where a retry resumes) when this attempt fails.
            if (!sink.closed) await new Promise<void>((resolve) => sink.once('close', () => resolve()));
          }
          throw error;
        });
        if (toPath && resumeFrom > 0) await truncate(destination, resumeFrom + bytes);
        return { bytes };
      },
      { retry: toPath },
    );
  }

  /**
   * STOR (or APPE with `append`) from a local file path or a readable stream. With `start`,
   * REST first and a source path is read from that byte on.
   */
  async upload(
    source: string | Readable,
    remotePath: string,
    options: UploadOptions = {},
  ): Promise<TransferSummary> {
    checkPath(remotePath);
    const start = checkStart(options.start);
    const fromPath = typeof source === 'string';
    return this.#task(
      options.signal,
      async (conn, attempt) => {
        let offset = start;
        let append = options.append === true;
        if (attempt > 0) {
          if (!fromPath)
            throw new ClientError(ClientErrorCodes.CONNECTION_CLOSED, 'Cannot resume from a stream');
          // Reconnected after a drop: ask how much arrived, send the rest.
          const reply = await conn.request('SIZE', remotePath, options.signal);
          if (reply.code === 213 && /^\d+$/.test(reply.text.trim())) {
            offset = Number(reply.text.trim());
            append = false;
          }
        }
        let total = options.total;
        let stream: Readable;
        if (fromPath) {
          const local = statSmallFile(source, offset);
          if (local === undefined) {
            // Unreadable before any command is sent: a typed error now, not a stream error later.
            const cause = await fsStat(source).then(
              () => undefined,
              (error: unknown) => error,
            );
            if (cause !== undefined) {
              const code = (cause as NodeJS.ErrnoException).code ?? 'error';
              throw new ClientError(
                ClientErrorCodes.INVALID_ARGUMENT,
                `Cannot read the local file ${inspect(source)} (${code})`,
                { cause },
              );
            }
          }
          const size = local?.small?.size ?? local?.size;
          if (total === undefined && options.onProgress !== undefined) total = size;
          stream = local?.small?.stream ?? new LocalFileReadable(source, offset, readSize(size, offset));
          // An error before send() listens (the file vanished, EACCES) stays on the stream
          // (`errored`), where send() finds it: never an unhandled 'error' event.
          stream.on('error', () => {});
        } else {
          stream = source;
        }
        const bytes = await this.#transfer(conn, {
          verb: append ? 'APPE' : 'STOR',
          path: remotePath,
          direction: 'upload',
          start: append ? 0 : offset,
          total,
          signal: options.signal,
          onProgress: options.onProgress,
          run: (data, signal) => data.send(stream, signalOption(signal)),
        }).catch((error: unknown) => {
          if (fromPath && !stream.destroyed) stream.destroy();
          throw error;
        });
        return { bytes };
      },
      { retry: fromPath },
    );
  }

  /** Downloads a remote directory tree into `localDir` (created as needed), file by file. */
  async downloadDir(remoteDir: string, localDir: string, options: TreeOptions = {}): Promise<TreeResult> {
    const plan = await downloadTreePlan(this, remoteDir, localDir, this.#o.maxTreeEntries, options.signal);
    return runTree(plan, 1, options, (file, fileOptions) =>
      this.download(file.remotePath, file.localPath, fileOptions),
    );
  }

  /** Uploads a local directory tree into `remoteDir` (created as needed), file by file. */
  async uploadDir(localDir: string, remoteDir: string, options: TreeOptions = {}): Promise<TreeResult> {
    const plan = await uploadTreePlan(localDir, remoteDir, this.#o.maxTreeEntries);
    for (const dir of plan.dirs) await this.mkdir(dir, { recursive: true, ...signalOption(options.signal) });
    return runTree(plan, 1, options, (file, fileOptions) =>
      this.upload(file.localPath, file.remotePath, fileOptions),
    );
  }

  /** QUIT and close. Pending operations finish first; later ones reject. Idempotent. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#clearIdle();
    const last = this.#queue;
    await last.catch(() => {});
    const conn = this.#conn;
    this.#conn = undefined;
    await conn?.quit(this.#o.replyTimeout);
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  /** Never shows the password. */
  [inspect.custom](): string {
    const scheme = this.#o.secure === 'implicit' ? 'ftps' : this.#o.secure === 'explicit' ? 'ftp+tls' : 'ftp';
    return `Client <${scheme}://${this.#o.user}@${this.#o.host}:${this.#o.port} ${this.connected ? 'connected' : 'not connected'}>`;
  }

  toJSON(): Record<string, unknown> {
    return {
      host: this.#o.host,
      port: this.#o.port,
      user: this.#o.user,
      secure: this.#o.secure,
      connected: this.connected,
    };
  }

  // ---------------------------------------------------------------- internals: queue

  /**
   * Runs `fn` when every earlier task is done (STYLE habit 12: one control task at a time). With
   * `retry` and `autoReconnect`, a task that failed because the connection dropped runs again on
   * a new connection (`attempt` > 0).
   */
  #task<T>(
    signal: AbortSignal | undefined,
    fn: (conn: ControlConnection, attempt: number) => Promise<T>,
    { retry = false }: { retry?: boolean } = {},
  ): Promise<T> {
    if (this.#closed) {
      return Promise.reject(new ClientError(ClientErrorCodes.CONNECTION_CLOSED, 'The client is closed'));
    }
    if (isAborted(signal)) return Promise.reject(abortedError(signal, 'Operation'));
    this.#busy++;
    this.#clearIdle();
    const run = this.#queue.then(async () => {
      if (isAborted(signal)) throw abortedError(signal, 'Operation');
      const reconnect = this.#o.autoReconnect;
      for (let attempt = 0; ; attempt++) {
        const conn = await this.#ready(signal, attempt);
        try {
          return await fn(conn, attempt);
        } catch (error) {
          if (isAborted(signal)) throw error;
          const lost = !conn.usable && isConnectionLost(error);
          if (!retry || reconnect === undefined || !lost || attempt >= reconnect.retries || this.#closed)
            throw error;
          this.emit('reconnect', { attempt: attempt + 1, error: error as Error });
          this.#o.logger.info({ attempt: attempt + 1, error: (error as Error).message }, 'ftp reconnecting');
          if (reconnect.delay > 0) await delay(reconnect.delay, signal);
        }
      }
    });
    const settled = run.finally(() => {
      this.#busy--;
      this.#armIdle();
    });
    this.#queue = settled.catch(() => {});
    // An abort while queued rejects now; the task itself is skipped when its turn comes.
    return signal === undefined ? settled : raceAbort(settled, signal);
  }

  /** The logged-in connection, opening (or re-opening, with autoReconnect) it when needed. */
  async #ready(signal: AbortSignal | undefined, attempt = 0): Promise<ControlConnection> {
    const current = this.#conn;
    if (current?.usable === true) return current;
    if (current !== undefined) {
      this.#conn = undefined;
      if (this.#o.autoReconnect === undefined) {
        throw new ClientError(ClientErrorCodes.CONNECTION_CLOSED, 'The connection to the server was lost', {
          cause: current.failure,
        });
      }
      void current.channel.close().catch(() => {});
    } else if (this.#features !== undefined && this.#o.autoReconnect === undefined && attempt === 0) {
      throw new ClientError(ClientErrorCodes.CONNECTION_CLOSED, 'The connection to the server was lost');
    }
    this.#connecting ??= this.#open(signal).finally(() => {
      this.#connecting = undefined;
    });
    this.#conn = await this.#connecting;
    return this.#conn;
  }

  #armIdle(): void {
    const interval = this.#o.keepaliveInterval;
    if (interval === 0 || this.#busy > 0 || this.#closed || this.#conn?.usable !== true) return;
    this.#clearIdle();
    this.#idleTimer = setTimeout(() => {
      this.#idleTimer = undefined;
      if (this.#busy > 0 || this.#closed || this.#conn?.usable !== true) return;
      this.#keepalives++;
      this.emit('keepalive');
      // A failed NOOP leaves the connection closed; the next operation reconnects or reports it.
      this.#task(undefined, (conn) => conn.request('NOOP')).catch(() => {});
    }, interval);
    this.#idleTimer.unref();
  }

  #clearIdle(): void {
    if (this.#idleTimer !== undefined) clearTimeout(this.#idleTimer);
    this.#idleTimer = undefined;
  }

  // ---------------------------------------------------------------- internals: login

  #tlsOptions(): ClientHandshakeOptions {
    const t: ClientTlsSettings = this.#o.tls;
    this.#secureContext ??= createClientSecureContext({
      ...(t.ca === undefined ? {} : { ca: t.ca as string }),
      ...(t.cert === undefined ? {} : { cert: t.cert }),
      ...(t.key === undefined ? {} : { key: t.key }),
      ...(t.passphrase === undefined ? {} : { passphrase: t.passphrase }),
      ...(t.minVersion === undefined ? {} : { minVersion: t.minVersion }),
      ...(t.maxVersion === undefined ? {} : { maxVersion: t.maxVersion }),
    });
    return {
      host: this.#o.host,
      secureContext: this.#secureContext,
      rejectUnauthorized: t.rejectUnauthorized ?? true,
      handshakeTimeout: this.#o.connectTimeout,
      ...(t.servername === undefined ? {} : { servername: t.servername }),
      ...(t.checkServerIdentity === undefined ? {} : { checkServerIdentity: t.checkServerIdentity }),
    };
  }

  async #open(signal: AbortSignal | undefined): Promise<ControlConnection> {
    const o = this.#o;
    const tls = o.secure === false ? undefined : this.#tlsOptions();
    const channel = await connectControl({
      host: o.host,
      port: o.port,
      connectTimeout: o.connectTimeout,
      ...(signal === undefined ? {} : { signal }),
      ...(o.secure === 'implicit' && tls !== undefined ? { implicitTls: tls } : {}),
      // Latin-1 framing keeps every byte; the reply parser decodes (UTF-8, Latin-1 fallback).
      channel: { encoding: 'latin1', idleTimeout: 0, lineTimeout: o.replyTimeout },
    });
    const conn = new ControlConnection(channel, o.replyTimeout, o.logger);
    try {
      let greeting = await conn.read();
      // 120: "service ready in nnn minutes" (RFC 959 §4.2.2), then 220.
      while (greeting.code < 200) greeting = await conn.read();
      if (greeting.code !== 220) throw new FtpReplyError(greeting, undefined);
      if (o.secure === 'explicit' && tls !== undefined) {
        await this.#expect(conn, ['AUTH', 'TLS'], [234], signal);
        await channel.upgradeClient({ ...tls, ...(signal === undefined ? {} : { signal }) });
      }
      await this.#login(conn, signal);
      if (o.secure !== false) {
        // RFC 4217 §9: PBSZ 0 then PROT P protects every data connection.
        await this.#expect(conn, ['PBSZ', '0'], [200], signal);
        await this.#expect(conn, ['PROT', 'P'], [200], signal);
      }
      if (this.#features === undefined) {
        const feat = await conn.request('FEAT', undefined, signal);
        try {
          this.#features = parseFeatReply(feat);
        } catch {
          this.#features = new Map();
        }
      }
      // RFC 2640 §3.1 as most servers implement it; a refusal changes nothing.
      if (this.#has('UTF8')) await conn.request('OPTS', 'UTF8 ON', signal);
      await this.#expect(conn, ['TYPE', 'I'], [200], signal);
      if (this.#cwd !== undefined) await this.#expect(conn, ['CWD', this.#cwd], [250, 200], signal);
      // No wait for a TLS session here: a TLS 1.2 session exists once the handshake is done, and a
      // server sends its TLS 1.3 tickets right after the handshake, ahead of any reply, so the
      // replies read since have brought them. A server that issued none (Pure-FTPd under TLS 1.3)
      // never will: its data connections handshake in full, and waiting would only delay login.
      if (o.secure !== false && channel.tlsSession === undefined) {
        o.logger.debug(
          { host: o.host, protocol: (channel.socket as TLSSocket).getProtocol?.() },
          'ftp server issued no TLS session',
        );
      }
      o.logger.debug({ host: o.host, port: o.port, user: o.user }, 'ftp logged in');
      return conn;
    } catch (error) {
      conn.fail(error as Error);
      throw error;
    }
  }

  async #login(conn: ControlConnection, signal: AbortSignal | undefined): Promise<void> {
    const o = this.#o;
    let reply = await conn.request('USER', o.user, signal);
    if (reply.code === 331) reply = await conn.request('PASS', o.password, signal);
    if (reply.code === 332) {
      if (o.account === undefined) throw new FtpReplyError(reply, 'PASS ****');
      reply = await conn.request('ACCT', o.account, signal);
    }
    if (reply.code !== 230 && reply.code !== 202) throw new FtpReplyError(reply, redactCommandLine('PASS x'));
  }

  // ---------------------------------------------------------------- internals: commands

  #has(feature: string): boolean {
    return this.#features?.has(feature) === true;
  }

  async #expect(
    conn: ControlConnection,
    [verb, argument]: [string, string?],
    codes: readonly number[],
    signal: AbortSignal | undefined,
  ): Promise<Reply> {
    const reply = await conn.request(verb, argument, signal);
    if (!codes.includes(reply.code)) {
      throw new FtpReplyError(
        reply,
        redactCommandLine(argument === undefined ? verb : `${verb} ${argument}`),
      );
    }
    return reply;
  }

  async #pwd(conn: ControlConnection, signal: AbortSignal | undefined): Promise<string> {
    const reply = await this.#expect(conn, ['PWD'], [257], signal);
    return parsePathnameReply(reply);
  }

  /** Built once: every field is fixed for the client's life (the shared memories are objects). */
  #transferContext(): TransferContext {
    this.#context ??= this.#buildTransferContext();
    return this.#context;
  }

  #buildTransferContext(): TransferContext {
    const o = this.#o;
    return {
      mode: o.dataMode,
      trustPassiveAddress: o.trustPassiveAddress,
      activeAddress: o.activeAddress,
      connectTimeout: o.connectTimeout,
      acceptTimeout: o.connectTimeout + o.replyTimeout,
      dataTimeout: o.dataTimeout,
      tls: o.secure === false ? undefined : this.#tlsOptions(),
      refused: this.#refused,
      tlsTiming: this.#tlsTiming,
      replyTimeout: o.replyTimeout,
      progressInterval: o.progressInterval,
      keepaliveInterval: o.keepaliveDuringTransfer ? o.keepaliveInterval : 0,
      onKeepalive: () => {
        this.#keepalives++;
        this.emit('keepalive');
      },
    };
  }

  #transfer(
    conn: ControlConnection,
    spec: Omit<TransferSpec, 'onProgress'> & { onProgress: TransferSpec['onProgress'] },
  ): Promise<number> {
    const own = spec.onProgress;
    const listening = this.listenerCount('progress') > 0;
    const onProgress =
      own === undefined && !listening
        ? undefined
        : (p: TransferProgress) => {
            own?.(p);
            this.emit('progress', p);
          };
    return runTransfer(conn, this.#transferContext(), { ...spec, onProgress });
  }

  async #list(
    conn: ControlConnection,
    path: string | undefined,
    signal: AbortSignal | undefined,
  ): Promise<Listing> {
    const mlsd = this.#o.useMlsd && this.#has('MLST');
    const limit = this.#o.maxListingBytes;
    // Parsed as it arrives: the parse overlaps the transfer, and no copy of the whole is held.
    const parser = new ListingParser(mlsd ? { format: 'mlsd' } : {});
    let size = 0;
    const inner = new AbortController();
    const combined = signal === undefined ? inner.signal : AbortSignal.any([signal, inner.signal]);
    const sink = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        size += chunk.length;
        if (size > limit) {
          callback(
            new ClientError(
              ClientErrorCodes.LISTING_TOO_LARGE,
              `Listing exceeds ${limit} bytes (maxListingBytes)`,
            ),
          );
          return;
        }
        parser.push(chunk);
        callback();
      },
    });
    try {
      await runTransfer(conn, this.#transferContext(), {
        verb: mlsd ? 'MLSD' : 'LIST',
        path: path === '' ? undefined : path,
        direction: 'list',
        start: 0,
        total: undefined,
        signal: combined,
        onProgress: undefined,
        run: (data: DataChannel, s) => data.receive(sink, signalOption(s)),
      });
    } catch (error) {
      if (size > limit) {
        throw new ClientError(
          ClientErrorCodes.LISTING_TOO_LARGE,
          `Listing exceeds ${limit} bytes (maxListingBytes)`,
          {
            cause: error,
          },
        );
      }
      throw error;
    }
    const parsed = parser.end();
    const isSelfOrParent = (e: ListingEntry) =>
      e.type === 'cdir' || e.type === 'pdir' || e.name === '.' || e.name === '..';
    // Most listings hold no `.`/`..` (and MLSD's only at the top): return the parser's fresh
    // array itself rather than a copy of thousands of entries.
    const entries = parsed.entries.some(isSelfOrParent)
      ? parsed.entries.filter((e) => !isSelfOrParent(e))
      : parsed.entries;
    return { entries, unparsed: parsed.unparsed, format: parsed.format };
  }

  async #stat(conn: ControlConnection, path: string, signal: AbortSignal | undefined): Promise<ListingEntry> {
    if (this.#o.useMlsd && this.#has('MLST')) {
      const reply = await this.#expect(conn, ['MLST', path], [250], signal);
      // RFC 3659 §7.2: the entry is the line that starts with one space, between the first and last.
      const line = reply.lines.slice(1, -1).find((l) => l.startsWith(' ')) ?? reply.lines[1];
      if (line === undefined)
        throw new ClientError(ClientErrorCodes.PROTOCOL, 'MLST: the reply has no entry line');
      try {
        const entry = parseMlsxLine(line.startsWith(' ') ? line.slice(1) : line);
        // RFC 3659 §7.2: MLST names the entry by its pathname; callers want the name, as in a listing.
        const { name } = splitRemote(entry.name);
        return name === '' || name === entry.name ? entry : { ...entry, name };
      } catch (error) {
        throw new ClientError(ClientErrorCodes.PROTOCOL, `MLST: unreadable entry ${line.slice(0, 80)}`, {
          cause: error,
        });
      }
    }
    const { parent, name } = splitRemote(path);
    if (name === '' || path === '/') {
      return { name: '/', type: 'dir', raw: '' };
    }
    const listing = await this.#list(conn, parent === '' ? undefined : parent, signal);
    const entry = listing.entries.find((e) => e.name === name);
    if (entry === undefined)
      throw new ClientError(
        ClientErrorCodes.NOT_FOUND,
        `${path}: not found in the listing of ${parent || '.'}`,
      );
    return entry;
  }

  async #mkdirp(conn: ControlConnection, path: string, signal: AbortSignal | undefined): Promise<void> {
    const absolute = path.startsWith('/');
    const parts = path.split('/').filter((p) => p !== '' && p !== '.');
    let current = absolute ? '/' : '';
    for (let i = 0; i < parts.length; i++) {
      current = joinRemote(current, parts[i]!);
      const reply = await conn.request('MKD', current, signal);
      if (reply.code === 257 || reply.code === 250) continue;
      // Exists already (or a parent we cannot create): only the last one must really be a directory.
      if (i < parts.length - 1) continue;
      const here = await this.#pwd(conn, signal);
      const cwd = await conn.request('CWD', current, signal);
      if (cwd.code !== 250 && cwd.code !== 200) throw new FtpReplyError(reply, `MKD ${current}`);
      await this.#expect(conn, ['CWD', here], [250, 200], signal);
    }
  }

  async #clearDir(conn: ControlConnection, path: string, signal: AbortSignal | undefined): Promise<void> {
    const listing = await this.#list(conn, path, signal);
    for (const entry of listing.entries) {
      if (!isSafeEntryName(entry.name)) continue;
      const child = joinRemote(path, entry.name);
      if (entry.type === 'dir') {
        await this.#clearDir(conn, child, signal);
        await this.#expect(conn, ['RMD', child], [250, 200], signal);
      } else {
        await this.#expect(conn, ['DELE', child], [250, 200], signal);
      }
    }
  }
}

/** Connects and logs in: `connect('ftp://user:pass@host/')`, `connect({ host, secure: true })`. */
export async function connect(
  target: string | URL | ClientOptions = {},
  options: ClientOptions & OperationOptions = {},
): Promise<Client> {
  let base: ClientOptions;
  if (typeof target === 'string' || target instanceof URL) base = parseFtpUrl(target).options;
  else base = target;
  const client = new Client({ ...base, ...stripSignal(options) });
  try {
    await client.connect(options.signal === undefined ? {} : { signal: options.signal });
  } catch (error) {
    await client.close();
    throw error;
  }
  return client;
}

export type { ParsedFtpUrl };

function stripSignal(options: ClientOptions & OperationOptions): ClientOptions {
  const { signal: _signal, ...rest } = options;
  return rest;
}

function checkPath(path: unknown): asserts path is string {
  if (typeof path !== 'string' || path === '') throw invalidArgument('a non-empty path is required');
  if (/[\r\n\0]/.test(path)) throw invalidArgument('a path must not contain CR, LF or NUL (RFC 959 §4.1.3)');
}

function checkStart(start: number | undefined): number {
  const value = start ?? 0;
  if (!Number.isSafeInteger(value) || value < 0)
    throw invalidArgument('start must be a non-negative integer');
  return value;
}

function notSupported(what: string): ClientError {
  return new ClientError(ClientErrorCodes.NOT_SUPPORTED, `The server does not offer ${what}`);
}

function isConnectionLost(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && CONNECTION_LOST.has(code);
}

function signalOption(signal: AbortSignal | undefined): { signal?: AbortSignal } {
  return signal === undefined ? {} : { signal };
}

/**
 * Read size for an upload source: 1 MiB reads (one thread-pool round trip and one socket write per
 * MiB; the default is 64 KiB), but no larger than the file needs. Every read allocates a buffer of
 * this size, and 1 MiB per 4 KiB file made GC most of a small-file upload's CPU.
 */
function readSize(size: number | undefined, offset: number): number {
  const max = 1024 * 1024;
  if (size === undefined) return max;
  return Math.min(max, Math.max(16 * 1024, size - offset + 1));
}

async function localSize(path: string): Promise<number> {
  try {
    return (await fsStat(path)).size;
  } catch {
    return 0;
  }
}

function delay(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortedError(signal, 'Reconnect'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function raceAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abortedError(signal, 'Operation'));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(signal.aborted ? abortedError(signal, 'Operation') : error);
      },
    );
  });
}

export type { TransferResult };
export { isSafeEntryName, joinRemote };
