/**
 * One FTP session per control connection: the read loop, the dispatcher, login, data
 * connections and the transfer task.
 *
 * Owns: the session's state (through `state.ts`'s table only), its settings, the pending data
 * connection (PASV/EPSV listener or PORT/EPRT target), the one running transfer, and cleanup.
 * Never parses a line by hand (the codec does), never formats a listing (the codec does), never
 * touches a file except through the user's `FileSystem`.
 *
 * Concurrency: the loop reads one control line at a time. A transfer command (`transfer: true` in
 * its definition) runs as a background task so the loop keeps reading: ABOR, STAT and NOOP are
 * answered during the transfer (RFC 959 §4.1.3, §5.4: ABOR gets 426 from the transfer and then
 * 226); any other command waits for the transfer to end, which keeps replies in order.
 */

import type { Readable, Transform, Writable } from 'node:stream';
import type tls from 'node:tls';
import {
  CodecErrorCodes,
  formatReply,
  isCodecError,
  NOT_IMPLEMENTED_VERBS,
  parseCommand,
  type ReplyText,
  refuseTelnetOption,
} from '@ftpkit/codec';
import {
  AsciiDecoder,
  AsciiEncoder,
  type ControlChannel,
  connectActive,
  type DataChannel,
  isTransportError,
  openPassiveListener,
  openPassivePort,
  type PassiveListener,
  type PassivePort,
  type PassivePortPool,
  TransportErrorCodes,
} from '@ftpkit/transport';
import type { AuthenticatedUser, TlsInfo } from '../auth/authenticator.js';
import type { CommandRegistry } from '../commands/registry.js';
import {
  type AnyCommand,
  type CommandContext,
  type DataTransferOptions,
  ReplyError,
  type SessionInternals,
  type SessionSettings,
} from '../commands/types.js';
import { InvalidStateError, isAuthenticationError } from '../errors.js';
import type { ServerEventName, ServerEvents, TypedEmitter } from '../events.js';
import { isFileSystemError } from '../fs/errors.js';
import type { FileSystem } from '../fs/file-system.js';
import { childLogger, type Logger } from '../logger.js';
import type { ResolvedServerOptions } from '../options.js';
import { resolveVirtualPath } from '../paths/virtual-path.js';
import type { LoginGuard } from '../security/login-guard.js';
import { DEFAULT_MLST_FACTS } from './mlst-facts.js';
import { nextState, type SessionEvent, type SessionState } from './state.js';

/** What every session of one server shares. */
export interface SessionShared {
  readonly options: ResolvedServerOptions;
  readonly events: TypedEmitter<ServerEvents>;
  readonly registry: CommandRegistry;
  readonly loginGuard: LoginGuard;
  readonly pool: PassivePortPool;
  /** Passive listeners held per client IP (`passive.maxPerIp`), across sessions. */
  readonly passiveLeases: Map<string, number>;
  readonly secureContext: tls.SecureContext | undefined;
  /** Called once when a session has ended and cleaned up (before `run()` resolves). */
  readonly onSessionEnd?: (session: Session) => void;
}

type PendingData =
  | { readonly kind: 'passive'; readonly listener: PassiveListener; readonly tls: boolean }
  | { readonly kind: 'active'; readonly host: string; readonly port: number };

interface TransferTask {
  readonly verb: string;
  readonly controller: AbortController;
  readonly started: number;
  aborted: boolean;
  data: DataChannel | undefined;
  done: Promise<void>;
}

/** Why a transfer failed, as the upload/download events report it. */
export type TransferFailureKind = 'aborted' | 'connection-lost' | 'storage' | 'tls' | 'setup';

/** A failed transfer: the reply to send plus what the events need. */
export class TransferError extends ReplyError {
  override name = 'ReplyError';
  readonly kind: TransferFailureKind;
  readonly bytes: number;

  constructor(code: number, text: string, kind: TransferFailureKind, bytes: number, cause: unknown) {
    super(code, text, { cause });
    this.kind = kind;
    this.bytes = bytes;
  }
}

export function isTransferError(value: unknown): value is TransferError {
  return value instanceof TransferError;
}

/** `DataChannel.close()` without its `end()`, for a socket whose write side already ended. */
function closeWhenPeerDoes(data: DataChannel): void {
  const socket = data.socket;
  socket.resume();
  const timer = setTimeout(() => socket.destroy(), 5_000);
  timer.unref();
  void data.whenClosed().then(() => clearTimeout(timer));
}

/** Longest a small transfer's 150 waits to leave with the final reply (DataTransferOptions.small). */
const HELD_PRELIMINARY_MS = 5;

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (ms <= 0 || signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });

let makeInternals: (session: Session) => SessionInternals;

export class Session implements CommandContext {
  readonly id: number;
  readonly remoteAddress: string;
  readonly localAddress: string;
  readonly logger: Logger;
  readonly settings: SessionSettings;
  readonly options: ResolvedServerOptions;
  cwd = '/';
  readonly #shared: SessionShared;
  readonly #channel: ControlChannel;
  readonly #connectedAt = Date.now();
  /** Created on first use (`signal`, login): most idle sessions never need one. */
  #closeController: AbortController | undefined;
  #closed = false;
  #state: SessionState = 'awaiting-user';
  #user: AuthenticatedUser | undefined;
  #loginAt = 0;
  #pendingData: PendingData | undefined;
  /** Kept open between transfers (`passive.keepListening`); closed when it lingered unused. */
  #passivePort: PassivePort | undefined;
  #passivePortTimer: NodeJS.Timeout | undefined;
  #transfer: TransferTask | undefined;
  #commandStart = Date.now();
  #shuttingDown = false;
  #finished: Promise<void> | undefined;
  #loginTimer: NodeJS.Timeout | undefined;
  #internals: SessionInternals | undefined;
  /** A 150 not yet written: see DataTransferOptions.small. */
  #heldPreliminary: string | undefined;

  constructor(shared: SessionShared, channel: ControlChannel, id: number) {
    this.#shared = shared;
    this.#channel = channel;
    this.id = id;
    this.options = shared.options;
    this.remoteAddress = channel.remoteAddress ?? 'unknown';
    this.localAddress = channel.localAddress ?? '127.0.0.1';
    this.logger = childLogger(shared.options.logger, { session: id, remoteAddress: this.remoteAddress });
    this.settings = {
      type: 'A', // RFC 959 §3.1.1.1: ASCII is the default type
      restOffset: 0,
      renameFrom: undefined,
      pbsz: false,
      prot: 'C',
      epsvAll: false,
      mlstFacts: DEFAULT_MLST_FACTS,
      hashAlgorithm: shared.options.hashAlgorithms[0] ?? 'SHA-256',
      pendingUser: undefined,
      virtualHost: undefined,
      clientName: undefined,
    };
  }

  /** Created on first use; a small object whose methods live on its prototype. */
  get internals(): SessionInternals {
    this.#internals ??= makeInternals(this);
    return this.#internals;
  }

  /** The session's close signal (aborted when the session ends), created on first use. */
  #closeSignal(): AbortSignal {
    let controller = this.#closeController;
    if (controller === undefined) {
      controller = new AbortController();
      if (this.#closed) controller.abort();
      this.#closeController = controller;
    }
    return controller.signal;
  }

  // ── CommandContext ────────────────────────────────────────────────────────────────────────

  get secure(): boolean {
    return this.#channel.secure;
  }

  get state(): SessionState {
    return this.#state;
  }

  get user(): AuthenticatedUser | undefined {
    return this.#user;
  }

  get fileSystem(): FileSystem {
    if (this.#user === undefined) throw new InvalidStateError('Not logged in');
    return this.#user.fileSystem;
  }

  get signal(): AbortSignal {
    return this.#transfer?.controller.signal ?? this.#closeSignal();
  }

  elapsed(): number {
    return Date.now() - (this.#transfer?.started ?? this.#commandStart);
  }

  async reply(code: number, text: ReplyText): Promise<void> {
    let wire: string;
    try {
      wire = formatReply(code, text);
    } catch {
      // A handler produced text the codec refuses (CR/LF/NUL): never send it raw.
      wire = formatReply(code, 'Reply text withheld.');
    }
    const held = this.#heldPreliminary;
    if (held !== undefined) {
      this.#heldPreliminary = undefined;
      wire = held + wire;
    }
    try {
      await this.#channel.write(wire);
    } catch {
      // The connection is gone; the read loop notices and cleans up.
    }
  }

  resolvePath(input?: string): string {
    return resolveVirtualPath(this.cwd, input ?? '');
  }

  transition(event: SessionEvent): void {
    const next = nextState(this.#state, event);
    if (next === undefined) {
      throw new InvalidStateError(`Illegal session transition: ${this.#state} --${event}-->`);
    }
    this.#state = next;
  }

  emit<K extends ServerEventName>(event: K, payload: ServerEvents[K]): void {
    this.#shared.events.emit(event, payload);
  }

  async sendData(source: Readable, options: DataTransferOptions): Promise<{ bytes: number }> {
    const transforms: Transform[] = [];
    if (options.ascii === true && this.settings.type === 'A') transforms.push(new AsciiEncoder());
    transforms.push(...(options.transforms ?? []));
    return this.#transferData(
      options.preliminary,
      (data) => data.send(source, { transforms, signal: this.signal }),
      options.small === true && transforms.length === 0,
    );
  }

  async receiveData(destination: Writable, options: DataTransferOptions): Promise<{ bytes: number }> {
    const transforms: Transform[] = [];
    if (options.ascii === true && this.settings.type === 'A') transforms.push(new AsciiDecoder());
    transforms.push(...(options.transforms ?? []));
    return this.#transferData(options.preliminary, (data) =>
      data.receive(destination, { transforms, signal: this.signal }),
    );
  }

  // ── Lifecycle ─────────────────────────────────────────────────────────────────────────────

  /** Runs the session to its end (greeting, command loop, cleanup). Never rejects. */
  run(): Promise<void> {
    this.#finished ??= this.#run();
    return this.#finished;
  }

  /**
   * Graceful shutdown for `server.close()`: lets a running transfer finish until `deadline`
   * (epoch ms), aborts it after that (426), then says 421 and closes.
   */
  async shutdown(deadline: number): Promise<void> {
    this.#shuttingDown = true;
    const task = this.#transfer;
    if (task !== undefined) {
      const timeout = new AbortController();
      await Promise.race([task.done, sleep(deadline - Date.now(), timeout.signal)]);
      timeout.abort();
      if (this.#transfer === task) await this.#abortTransfer();
    }
    if (this.#state !== 'closing') {
      await this.reply(421, 'Service not available: server shutting down.');
      this.#state = nextState(this.#state, 'disconnect') ?? 'closing';
    }
    await this.#channel.close().catch(() => {});
    await this.run();
  }

  async #run(): Promise<void> {
    try {
      await this.reply(220, this.options.greeting);
      this.#armLoginTimer();
      while (this.#state !== 'closing' && !this.#shuttingDown) {
        const result = await this.#channel.next();
        if (result.done === true) break;
        const item = result.value;
        if (item.type === 'telnet') {
          // IAC IP / IAC DM (the synch before ABOR, RFC 959 §4.1.3) need no action: the ABOR line
          // that follows is read at once because the loop never blocks on a transfer.
          const answer = refuseTelnetOption(item);
          if (answer !== undefined) await this.#channel.write(answer).catch(() => {});
          continue;
        }
        if (item.type === 'error') {
          const tooLong = item.error.code === CodecErrorCodes.LINE_TOO_LONG;
          await this.reply(
            item.error.replyCode,
            tooLong ? 'Command line too long.' : 'Invalid command line.',
          );
          continue;
        }
        await this.#handleLine(item.text);
      }
    } catch (error) {
      if (!isTransportError(error)) {
        this.logger.error({ err: error }, 'session failed');
        this.emit('error', { sessionId: this.id, remoteAddress: this.remoteAddress, error });
      }
    } finally {
      await this.#cleanup();
      this.#shared.onSessionEnd?.(this);
    }
  }

  async #handleLine(line: string): Promise<void> {
    const arrived = Date.now();
    let command: AnyCommand;
    try {
      command = parseCommand(line, { allowUnknown: true });
    } catch (error) {
      if (this.#transfer !== undefined) await this.#transfer.done;
      if (isCodecError(error)) await this.reply(error.replyCode, error.message);
      else throw error;
      return;
    }
    const verb = command.verb;
    const entry = this.#shared.registry.lookup(verb);
    if (this.#transfer !== undefined && entry?.definition.duringTransfer !== true) {
      await this.#transfer.done;
      if (this.#shuttingDown || this.#state === 'closing') return;
    }
    if (this.#state === 'rename-pending' && verb !== 'RNTO' && verb !== 'RNFR') {
      this.settings.renameFrom = undefined;
      this.transition('other-command');
    }
    if (entry === undefined) {
      if (NOT_IMPLEMENTED_VERBS.has(verb)) await this.reply(502, `${verb} not implemented.`);
      else await this.reply(500, `Unknown command ${JSON.stringify(verb).slice(1, -1)}.`);
      return;
    }
    if (entry.definition.transfer === true && entry.enabled) {
      this.#startTransfer(verb, arrived, () => entry.handler(this, command));
      return;
    }
    this.#commandStart = arrived;
    await entry.handler(this, command);
  }

  #startTransfer(verb: string, started: number, run: () => Promise<void>): void {
    const controller = new AbortController();
    // The session's end aborts it (#cleanup), without a listener on the close signal.
    if (this.#closed) controller.abort();
    const task: TransferTask = {
      verb,
      controller,
      started,
      aborted: false,
      data: undefined,
      done: Promise.resolve(),
    };
    this.#transfer = task;
    // The control connection is legitimately silent during a long transfer.
    this.#channel.setIdleTimeout(0);
    task.done = (async () => {
      try {
        await run();
      } finally {
        this.#transfer = undefined;
        if (!this.#channel.closed) this.#channel.setIdleTimeout(this.options.limits.idleTimeout);
      }
    })();
  }

  async #abortTransfer(): Promise<boolean> {
    const task = this.#transfer;
    if (task === undefined) return false;
    task.aborted = true;
    task.controller.abort();
    task.data?.abort();
    await task.done;
    return true;
  }

  /**
   * `limits.loginTimeout`: from the greeting (or REIN) to a successful login. Without it an
   * unauthenticated client could hold a session slot forever with NOOPs, which reset the idle
   * timer (ProFTPD's TimeoutLogin; vsftpd and pyftpdlib bound this too).
   */
  #armLoginTimer(): void {
    this.#clearLoginTimer();
    const limit = this.options.limits.loginTimeout;
    if (limit === 0 || this.#state === 'closing') return;
    this.#loginTimer = setTimeout(() => {
      this.#loginTimer = undefined;
      if (this.#user !== undefined || this.#state === 'closing') return;
      this.logger.info({ limit }, 'login timeout');
      void (async () => {
        // A running PASS (authenticator, failed-login delay) is cut short by the close.
        await this.reply(421, 'Login timeout: closing control connection.');
        await this.#close();
      })();
    }, limit);
  }

  #clearLoginTimer(): void {
    if (this.#loginTimer !== undefined) clearTimeout(this.#loginTimer);
    this.#loginTimer = undefined;
  }

  async #cleanup(): Promise<void> {
    this.#clearLoginTimer();
    if (this.#state !== 'closing') this.#state = nextState(this.#state, 'disconnect') ?? 'closing';
    this.#closed = true;
    this.#closeController?.abort();
    const task = this.#transfer;
    if (task !== undefined) {
      task.controller.abort();
      task.aborted = true;
      task.data?.abort();
      await task.done.catch(() => {});
    }
    await this.#clearPendingData();
    this.#logout('disconnect');
    if (!this.#channel.closed) await this.#channel.close().catch(() => {});
    this.emit('disconnect', {
      sessionId: this.id,
      remoteAddress: this.remoteAddress,
      duration: Date.now() - this.#connectedAt,
    });
  }

  #logout(reason: 'quit' | 'rein' | 'disconnect'): void {
    const user = this.#user;
    if (user === undefined) return; // REIN before a login must not restart the login clock
    if (reason === 'rein') this.#armLoginTimer();
    this.#user = undefined;
    this.logger.info({ user: user.username, reason }, 'logout');
    this.emit('logout', {
      sessionId: this.id,
      remoteAddress: this.remoteAddress,
      user: user.username,
      duration: Date.now() - this.#loginAt,
    });
  }

  // ── Login ─────────────────────────────────────────────────────────────────────────────────

  #tlsInfo(): TlsInfo {
    if (!this.#channel.secure) return { secure: false };
    const socket = this.#channel.socket as tls.TLSSocket;
    const protocol = socket.getProtocol?.() ?? undefined;
    const cipher = socket.getCipher?.()?.name;
    return {
      secure: true,
      ...(protocol == null ? {} : { protocol }),
      ...(cipher === undefined ? {} : { cipher }),
    };
  }

  async #login(username: string, password: string): Promise<void> {
    const authenticator = this.settings.virtualHost?.options.authenticator ?? this.options.authenticator;
    const guard = this.#shared.loginGuard;
    let user: AuthenticatedUser;
    const hadSignal = this.#closeController !== undefined;
    try {
      user = await authenticator.authenticate({
        username,
        password,
        remoteAddress: this.remoteAddress,
        tls: this.#tlsInfo(),
        signal: this.#closeSignal(),
      });
    } catch (error) {
      const backendFailure = !isAuthenticationError(error);
      if (backendFailure) {
        this.logger.error({ err: error }, 'authenticator failed');
        this.emit('error', { sessionId: this.id, remoteAddress: this.remoteAddress, error });
      }
      const outcome = guard.recordFailure(this.remoteAddress);
      this.settings.pendingUser = undefined;
      this.transition('login-failed');
      this.logger.warn(
        { user: username, attempts: outcome.attempts, banned: outcome.banned },
        'login failed',
      );
      this.emit('login-failed', {
        sessionId: this.id,
        remoteAddress: this.remoteAddress,
        user: username,
        attempts: outcome.attempts,
        delay: outcome.delay,
        banned: outcome.banned,
      });
      // The delay slows guessing on this connection; the ban stops new ones (421 before greeting).
      await sleep(outcome.delay, this.#closeSignal());
      if (backendFailure) {
        await this.reply(421, 'Service not available: authentication backend failed.');
        await this.#close();
        return;
      }
      await this.reply(530, 'Login incorrect.');
      if (outcome.banned) {
        await this.reply(421, 'Too many failed logins: try again later.');
        await this.#close();
      }
      return;
    }
    // The signal was only for the authenticator: an idle logged-in session need not keep it.
    if (!hadSignal && !this.#closed) this.#closeController = undefined;
    guard.recordSuccess(this.remoteAddress);
    this.#clearLoginTimer();
    this.#user = user;
    this.#loginAt = Date.now();
    this.settings.pendingUser = undefined;
    this.cwd = await this.#validHome(user);
    this.transition('login');
    this.logger.info({ user: user.username, anonymous: user.anonymous }, 'login');
    this.emit('login', {
      sessionId: this.id,
      remoteAddress: this.remoteAddress,
      user: user.username,
      anonymous: user.anonymous,
      secure: this.secure,
    });
    await this.reply(230, 'Login successful.');
  }

  async #validHome(user: AuthenticatedUser): Promise<string> {
    try {
      const home = resolveVirtualPath('/', user.home);
      const stat = await user.fileSystem.stat(home);
      return stat.type === 'dir' ? home : '/';
    } catch {
      return '/';
    }
  }

  async #close(): Promise<void> {
    if (this.#state !== 'closing') this.#state = nextState(this.#state, 'quit') ?? 'closing';
    await this.#channel.close().catch(() => {});
  }

  // ── Data connections ──────────────────────────────────────────────────────────────────────

  async #clearPendingData(): Promise<void> {
    const pending = this.#pendingData;
    this.#pendingData = undefined;
    if (pending?.kind === 'passive') await pending.listener.close().catch(() => {});
    this.#lingerPassivePort();
  }

  /** A kept passive port that is not in use closes after `passive.keepListening` ms. */
  #lingerPassivePort(): void {
    const port = this.#passivePort;
    if (port === undefined) return;
    if (port.closed || this.#closed) {
      this.#closePassivePort();
      return;
    }
    if (this.#passivePortTimer !== undefined) return;
    this.#passivePortTimer = setTimeout(() => this.#closePassivePort(), this.options.passive.keepListening);
    this.#passivePortTimer.unref();
  }

  #closePassivePort(): void {
    if (this.#passivePortTimer !== undefined) clearTimeout(this.#passivePortTimer);
    this.#passivePortTimer = undefined;
    const port = this.#passivePort;
    this.#passivePort = undefined;
    void port?.close();
  }

  #dataTls() {
    const context = this.#shared.secureContext;
    if (this.settings.prot !== 'P' || context === undefined) return undefined;
    return {
      secureContext: context,
      requireSessionReuse: this.options.requireTlsSessionReuse,
      handshakeTimeout: this.options.limits.dataConnectTimeout,
    };
  }

  async #preparePassive(extended: boolean): Promise<{ host: string; port: number; family: 'IPv4' | 'IPv6' }> {
    if (this.settings.epsvAll && !extended) throw new ReplyError(501, 'PASV not allowed after EPSV ALL.');
    await this.#clearPendingData();
    const tlsOptions = this.#dataTls();
    const { passive, limits, dataPeerMustMatch } = this.options;
    // One client must not exhaust the shared port range (each session holds at most one
    // listener, but one IP may open many sessions).
    const leases = this.#shared.passiveLeases;
    const ip = this.remoteAddress;
    const accept = {
      controlPeerAddress: this.remoteAddress,
      requirePeerMatch: dataPeerMustMatch,
      acceptTimeout: limits.dataConnectTimeout,
      ...(tlsOptions === undefined ? {} : { tls: tlsOptions }),
      channel: { idleTimeout: limits.dataStallTimeout },
      onRefused: (error: Error) =>
        this.logger.warn({ err: error }, 'data connection from a foreign IP refused'),
    };
    const where = {
      host: this.localAddress,
      pool: this.#shared.pool,
      ...(passive.masqueradeAddress === undefined ? {} : { masqueradeAddress: passive.masqueradeAddress }),
    };
    // One port per session across transfers when allowed (see PassiveOptions.keepListening): a
    // listen and a close per file are a tenth of a small file's time. Only while the data peer
    // is checked: the port number stays the same from one PASV to the next.
    const keep = passive.keepListening > 0 && dataPeerMustMatch;
    if (this.#passivePortTimer !== undefined) clearTimeout(this.#passivePortTimer);
    this.#passivePortTimer = undefined;
    if (this.#passivePort?.closed) this.#passivePort = undefined;
    let listener: PassiveListener;
    try {
      if (keep && this.#passivePort !== undefined) listener = this.#passivePort.expect(accept);
      else {
        if ((leases.get(ip) ?? 0) >= passive.maxPerIp) {
          this.logger.warn({ maxPerIp: passive.maxPerIp }, 'passive listener refused: per-IP limit');
          throw new ReplyError(425, "Can't open passive connection: too many from your address.");
        }
        let released: Promise<void>;
        if (keep) {
          const port = await openPassivePort(where);
          released = port.whenReleased();
          // Closed while the port was being opened: nothing may keep it.
          if (this.#closed) {
            void port.close();
            throw new ReplyError(425, "Can't open passive connection.");
          }
          this.#passivePort = port;
          listener = port.expect(accept);
        } else {
          listener = await openPassiveListener({ ...where, ...accept });
          released = listener.whenReleased();
        }
        leases.set(ip, (leases.get(ip) ?? 0) + 1);
        void released.then(() => {
          const left = (leases.get(ip) ?? 1) - 1;
          if (left <= 0) leases.delete(ip);
          else leases.set(ip, left);
        });
      }
    } catch (error) {
      if (error instanceof ReplyError) throw error;
      this.logger.warn({ err: error }, 'passive listen failed');
      throw new ReplyError(425, "Can't open passive connection.");
    }
    this.#pendingData = { kind: 'passive', listener, tls: tlsOptions !== undefined };
    return { host: listener.advertisedAddress, port: listener.port, family: listener.family };
  }

  #prepareActive(host: string, port: number): void {
    void this.#clearPendingData();
    this.#pendingData = { kind: 'active', host, port };
  }

  async #openData(): Promise<DataChannel> {
    if (this.options.requireProtP && this.settings.prot !== 'P') {
      throw new TransferError(
        521,
        'Data connections must be protected: use PBSZ 0 and PROT P.',
        'setup',
        0,
        undefined,
      );
    }
    const pending = this.#pendingData;
    this.#pendingData = undefined;
    if (pending === undefined) {
      throw new TransferError(425, 'Use PORT, EPRT, PASV or EPSV first.', 'setup', 0, undefined);
    }
    const signal = this.signal;
    if (pending.kind === 'passive') {
      try {
        const data = await pending.listener.accept({ signal });
        if (!pending.tls) {
          const tlsOptions = this.#dataTls();
          if (tlsOptions !== undefined) void data.startTlsServer(tlsOptions).catch(() => {});
        }
        return data;
      } catch (error) {
        await pending.listener.close().catch(() => {});
        if (isTransportError(error) && error.code === TransportErrorCodes.DATA_PEER_MISMATCH) {
          throw new TransferError(
            425,
            'Security: data connection from a foreign address refused.',
            'setup',
            0,
            error,
          );
        }
        throw new TransferError(425, "Can't open data connection.", 'setup', 0, error);
      }
    }
    const { active, limits } = this.options;
    let data: DataChannel;
    try {
      data = await connectActive({
        host: pending.host,
        port: pending.port,
        controlPeerAddress: this.remoteAddress,
        allowThirdParty: active.allowThirdParty,
        allowPrivilegedPorts: active.allowPrivilegedPorts,
        localAddress: this.localAddress,
        connectTimeout: limits.dataConnectTimeout,
        signal,
        channel: { idleTimeout: limits.dataStallTimeout },
      });
    } catch (error) {
      throw new TransferError(425, "Can't open data connection.", 'setup', 0, error);
    }
    const tlsOptions = this.#dataTls();
    if (tlsOptions !== undefined) void data.startTlsServer(tlsOptions).catch(() => {});
    return data;
  }

  async #transferData(
    preliminary: string,
    move: (data: DataChannel) => Promise<{ bytes: number }>,
    small = false,
  ): Promise<{ bytes: number }> {
    const data = await this.#openData();
    const task = this.#transfer;
    if (task !== undefined) task.data = data;
    // The state says "a data transfer runs" from the 150 to the final reply's preparation.
    if (this.#state === 'ready') this.transition('transfer-start');
    // A small ready body on a plain connection: the 150 leaves with the final reply (reply()
    // prepends it), unless the transfer outlasts HELD_PRELIMINARY_MS. With TLS the client
    // handshakes after the 150, so it is never held there.
    let flush: NodeJS.Timeout | undefined;
    if (small && !data.secure && this.#dataTls() === undefined) {
      this.#heldPreliminary = formatReply(150, preliminary);
      flush = setTimeout(() => void this.#flushHeldPreliminary(), HELD_PRELIMINARY_MS);
    } else await this.reply(150, preliminary);
    try {
      const result = await move(data);
      return { bytes: result.bytes };
    } catch (error) {
      const failure = this.#classifyFailure(error, task?.aborted === true);
      this.logger.debug({ err: error, replyCode: failure.replyCode, kind: failure.kind }, 'transfer failed');
      throw failure;
    } finally {
      if (flush !== undefined) clearTimeout(flush);
      this.#lingerPassivePort();
      if (this.#state === 'transferring') this.transition('transfer-end');
      if (task !== undefined) task.data = undefined;
      if (!data.socket.destroyed) {
        // After a completed transfer our FIN is already queued: `close()` would call `end()` on a
        // finished socket, which builds an ERR_STREAM_ALREADY_FINISHED error every transfer. Only
        // bound how long the peer may take to close, as `close()` does.
        if (data.socket.writableEnded) closeWhenPeerDoes(data);
        else void data.close();
      }
    }
  }

  async #flushHeldPreliminary(): Promise<void> {
    const held = this.#heldPreliminary;
    if (held === undefined) return;
    this.#heldPreliminary = undefined;
    await this.#channel.write(held).catch(() => {});
  }

  #classifyFailure(error: unknown, aborted: boolean): TransferError {
    const bytes =
      typeof (error as { bytes?: unknown })?.bytes === 'number' ? (error as { bytes: number }).bytes : 0;
    if (aborted)
      return new TransferError(426, 'Connection closed; transfer aborted.', 'aborted', bytes, error);
    for (let e: unknown = error, depth = 0; e !== undefined && e !== null && depth < 8; depth++) {
      if (isFileSystemError(e)) return new TransferError(e.replyCode, e.message, 'storage', bytes, error);
      if (isTransportError(e)) {
        if (e.code === TransportErrorCodes.TLS_SESSION_NOT_REUSED) {
          return new TransferError(
            522,
            'SSL connection failed: session reuse required.',
            'tls',
            bytes,
            error,
          );
        }
        if (e.code === TransportErrorCodes.TLS_HANDSHAKE) {
          return new TransferError(522, 'SSL connection failed.', 'tls', bytes, error);
        }
        if (e.code === TransportErrorCodes.TIMEOUT) {
          return new TransferError(
            426,
            'Data connection stalled; transfer aborted.',
            'connection-lost',
            bytes,
            error,
          );
        }
      }
      e = (e as { cause?: unknown }).cause;
    }
    return new TransferError(426, 'Connection closed; transfer aborted.', 'connection-lost', bytes, error);
  }

  // ── Internals for built-in verbs ──────────────────────────────────────────────────────────

  static {
    /** One per session, holding only the session: the methods are shared on the prototype. */
    class Internals implements SessionInternals {
      readonly #session: Session;

      constructor(session: Session) {
        this.#session = session;
      }

      get registry() {
        return this.#session.#shared.registry;
      }

      preparePassive(extended: boolean) {
        return this.#session.#preparePassive(extended);
      }

      prepareActive(host: string, port: number) {
        this.#session.#prepareActive(host, port);
      }

      clearPendingData() {
        return this.#session.#clearPendingData();
      }

      get hasPendingData() {
        return this.#session.#pendingData !== undefined;
      }

      async upgradeTls() {
        const session = this.#session;
        const context = session.#shared.secureContext;
        if (context === undefined) throw new InvalidStateError('TLS is not configured');
        await session.#channel.upgradeServer({
          secureContext: context,
          handshakeTimeout: session.options.limits.dataConnectTimeout,
        });
      }

      get tlsAvailable() {
        return this.#session.#shared.secureContext !== undefined;
      }

      abortTransfer() {
        return this.#session.#abortTransfer();
      }

      get transferStatus() {
        const task = this.#session.#transfer;
        if (task === undefined) return undefined;
        return `${task.verb} in progress for ${Math.round((Date.now() - task.started) / 1000)} s.`;
      }

      login(username: string, password: string) {
        return this.#session.#login(username, password);
      }

      logout(reason: 'quit' | 'rein' | 'disconnect') {
        this.#session.#logout(reason);
      }

      close() {
        return this.#session.#close();
      }

      openData() {
        return this.#session.#openData();
      }
    }
    makeInternals = (session) => new Internals(session);
  }
}
