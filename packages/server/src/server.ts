/**
 * `createServer(options)` → `FtpServer`: the listeners, the session set, limits before the
 * greeting, graceful shutdown, and the typed audit events.
 *
 * Owns: the control listener (and the implicit-FTPS one), the one TLS secure context shared by
 * control and data sockets (required for PROT P session reuse), the passive port pool, the
 * failed-login guard, per-IP and total session counts. Sessions own everything per connection.
 *
 * Limits are checked before the greeting (ARCHITECTURE step 1): a banned IP, a full server or an
 * IP over its quota gets `421` instead of `220` and the connection is closed.
 */

import type tls from 'node:tls';
import {
  type ControlChannel,
  type ControlListener,
  createSelfSignedCertificate,
  createServerSecureContext,
  listenControl,
  PassivePortPool,
} from '@ftpkit/transport';
import { BUILTIN_COMMANDS, BUILTIN_SITE_COMMANDS } from './commands/index.js';
import { CommandRegistry } from './commands/registry.js';
import { InvalidStateError } from './errors.js';
import { type ServerEvents, TypedEmitter } from './events.js';
import { type FtpServerOptions, type ResolvedServerOptions, resolveOptions } from './options.js';
import { LoginGuard } from './security/login-guard.js';
import { Session, type SessionShared } from './session/session.js';

/** Where the server listens, as `listen()` reports it. */
export interface ServerAddress {
  readonly host: string;
  readonly port: number;
  /** The implicit-FTPS listener, when configured. */
  readonly implicitTls?: { readonly host: string; readonly port: number };
}

export interface CloseOptions {
  /**
   * How long running transfers may continue, ms. After it they are aborted (426). Idle sessions
   * get 421 at once. Default 10 000.
   */
  readonly deadline?: number;
}

const REJECT_TEXT = {
  closing: 'Service not available: server shutting down.',
  banned: 'Too many failed logins from your address: try again later.',
  'max-sessions': 'Too many connections: try again later.',
  'max-sessions-per-ip': 'Too many connections from your address.',
} as const;

export class FtpServer extends TypedEmitter<ServerEvents> {
  readonly options: ResolvedServerOptions;
  /** The PEM certificate in use when `tls: true` generated one (for clients to pin in development). */
  readonly generatedCertificate: string | undefined;
  readonly #secureContext: tls.SecureContext | undefined;
  readonly #shared: SessionShared;
  readonly #sessions = new Set<Session>();
  readonly #perIp = new Map<string, number>();
  readonly #pending = new Set<Promise<void>>();
  #control: ControlListener | undefined;
  #implicit: ControlListener | undefined;
  #nextId = 1;
  #state: 'new' | 'listening' | 'closing' | 'closed' = 'new';

  constructor(options: FtpServerOptions = {}) {
    super();
    this.options = resolveOptions(options);
    const tlsOption = this.options.tls;
    if (tlsOption === true) {
      const { cert, key } = createSelfSignedCertificate();
      this.generatedCertificate = cert;
      this.#secureContext = createServerSecureContext({ cert, key });
    } else {
      this.generatedCertificate = undefined;
      this.#secureContext = tlsOption === undefined ? undefined : createServerSecureContext(tlsOption);
    }
    const { limits, passive } = this.options;
    this.#shared = {
      options: this.options,
      events: this,
      registry: new CommandRegistry(
        [...BUILTIN_COMMANDS, ...this.options.commands],
        [...BUILTIN_SITE_COMMANDS, ...this.options.siteCommands],
        this.options.disabledCommands,
      ),
      loginGuard: new LoginGuard({ delay: limits.loginDelay, ban: limits.ban }),
      pool: new PassivePortPool(passive.portRange),
      passiveLeases: new Map(),
      secureContext: this.#secureContext,
      // One server-wide callback instead of a promise chain and closures per session.
      onSessionEnd: (session) => this.#onSessionEnd(session),
    };
  }

  /** Open control sessions. */
  get sessionCount(): number {
    return this.#sessions.size;
  }

  /** Starts listening. Resolves with the bound addresses (read the port when `port: 0`). */
  async listen(): Promise<ServerAddress> {
    if (this.#state !== 'new') throw new InvalidStateError('listen() can be called once');
    this.#state = 'listening';
    const { limits } = this.options;
    const channel = {
      maxLineLength: limits.maxLineLength,
      idleTimeout: limits.idleTimeout,
      lineTimeout: limits.lineTimeout,
      onIdle: (c: ControlChannel) => c.writeLine('421 Timeout: closing control connection.'),
    };
    const onConnection = (c: ControlChannel) => this.#onConnection(c);
    try {
      this.#control = await listenControl({
        host: this.options.host,
        port: this.options.port,
        channel,
        onConnection,
      });
      const implicit = this.options.implicitTls;
      if (implicit !== undefined) {
        this.#implicit = await listenControl({
          host: implicit.host,
          port: implicit.port,
          channel,
          onConnection,
          implicitTls: { secureContext: this.#secureContext! },
        });
      }
    } catch (error) {
      await this.#control?.close();
      this.#state = 'closed';
      throw error;
    }
    return this.address()!;
  }

  /** The bound addresses, or undefined before `listen()`. */
  address(): ServerAddress | undefined {
    const control = this.#control;
    if (control === undefined) return undefined;
    const implicit = this.#implicit;
    return {
      host: control.host,
      port: control.port,
      ...(implicit === undefined ? {} : { implicitTls: { host: implicit.host, port: implicit.port } }),
    };
  }

  /**
   * Graceful shutdown: stop accepting, let running transfers finish until the deadline (then
   * 426), say 421 to every session and close it. Resolves when every connection is closed.
   */
  async close(options: CloseOptions = {}): Promise<void> {
    if (this.#state === 'closed' || this.#state === 'closing') return;
    this.#state = 'closing';
    const deadline = Date.now() + (options.deadline ?? 10_000);
    await Promise.all([this.#control?.close(), this.#implicit?.close()]);
    await Promise.all([...this.#sessions].map((session) => session.shutdown(deadline)));
    await Promise.all([...this.#pending]);
    this.#state = 'closed';
  }

  #onConnection(channel: ControlChannel): void {
    const ip = channel.remoteAddress ?? 'unknown';
    const sessionId = this.#nextId++;
    this.emit('connect', { sessionId, remoteAddress: ip });
    const { limits } = this.options;
    let reason: keyof typeof REJECT_TEXT | undefined;
    if (this.#state !== 'listening') reason = 'closing';
    else if (this.#shared.loginGuard.isBanned(ip)) reason = 'banned';
    else if (this.#sessions.size >= limits.maxSessions) reason = 'max-sessions';
    else if ((this.#perIp.get(ip) ?? 0) >= limits.maxSessionsPerIp) reason = 'max-sessions-per-ip';
    if (reason !== undefined) {
      this.emit('reject', { sessionId, remoteAddress: ip, reason });
      this.options.logger.warn({ remoteAddress: ip, reason }, 'connection refused before greeting');
      const done = channel
        .writeLine(`421 ${REJECT_TEXT[reason]}`)
        .catch(() => {})
        .then(() => channel.close())
        .catch(() => {});
      this.#track(done);
      return;
    }
    const session = new Session(this.#shared, channel, sessionId);
    this.#sessions.add(session);
    this.#perIp.set(ip, (this.#perIp.get(ip) ?? 0) + 1);
    // Never rejects; `close()` waits for it through `session.shutdown()`, and `#onSessionEnd`
    // runs before it resolves.
    void session.run();
  }

  #onSessionEnd(session: Session): void {
    if (!this.#sessions.delete(session)) return;
    const ip = session.remoteAddress;
    const count = (this.#perIp.get(ip) ?? 1) - 1;
    if (count <= 0) this.#perIp.delete(ip);
    else this.#perIp.set(ip, count);
  }

  #track(promise: Promise<void>): void {
    this.#pending.add(promise);
    void promise.finally(() => this.#pending.delete(promise));
  }
}

/** Creates a server; nothing listens until `listen()`. Throws InvalidArgumentError for bad options. */
export function createServer(options: FtpServerOptions = {}): FtpServer {
  return new FtpServer(options);
}
