/**
 * The one options object of `createServer`, its documented defaults, and its validation.
 *
 * Owns: `FtpServerOptions` (every field optional, every default safe), `resolveOptions` (which
 * turns it into the fully populated `ResolvedServerOptions` the server and sessions read, or
 * throws `InvalidArgumentError` at construction: STYLE habit 11). Never opens a socket.
 *
 * The defaults follow vsftpd/pyftpdlib where they are safe and the safer choice where they differ
 * (ARCHITECTURE "Security by default"): loopback bind, anonymous off (the authenticator's job),
 * TLS 1.2 minimum, data peer must match, PORT only to the control peer and unprivileged ports,
 * session reuse on PROT P data, failed-login delay and per-IP ban, session limits, timeouts.
 * The table in README.md ("Options") lists every field with its default; keep the two in step.
 */

import type tls from 'node:tls';
import type { Authenticator } from './auth/authenticator.js';
import { StaticUserAuthenticator } from './auth/static-users.js';
import type { CommandDefinition, SiteCommandDefinition } from './commands/types.js';
import { InvalidArgumentError } from './errors.js';
import { type Logger, silentLogger } from './logger.js';

/** TLS material and policy (RFC 4217). Give `cert` + `key`, or a prebuilt `secureContext`. */
export interface ServerTlsConfig {
  /** PEM certificate chain. */
  readonly cert?: string | Buffer | ReadonlyArray<string | Buffer>;
  /** PEM private key. */
  readonly key?: string | Buffer | ReadonlyArray<string | Buffer>;
  readonly passphrase?: string;
  /** Trust anchors for client certificates (with `requestCert`). */
  readonly ca?: string | Buffer | ReadonlyArray<string | Buffer>;
  /** Default 'TLSv1.2'. */
  readonly minVersion?: tls.SecureVersion;
  readonly maxVersion?: tls.SecureVersion;
  /** OpenSSL cipher list. Default: the transport's `DEFAULT_CIPHERS` (forward secrecy, AEAD only). */
  readonly ciphers?: string;
  /** Ask clients for a certificate. Default false. */
  readonly requestCert?: boolean;
  /** With `requestCert`, refuse unverified clients. Default true. */
  readonly rejectUnauthorized?: boolean;
  /** Session ticket lifetime, seconds. Default 300. */
  readonly sessionTimeout?: number;
  /** 48 bytes of ticket keys (to share tickets between processes). Default random. */
  readonly ticketKeys?: Buffer;
  /** A prebuilt context; the PEM fields are then ignored. */
  readonly secureContext?: tls.SecureContext;
}

export interface PortRangeOption {
  readonly min: number;
  readonly max: number;
}

export interface PassiveOptions {
  /** Ports for PASV/EPSV listeners, inclusive. Default: any free port the kernel picks. */
  readonly portRange?: PortRangeOption;
  /** Address advertised in 227 replies instead of the bound one (NAT; vsftpd's pasv_address). */
  readonly masqueradeAddress?: string;
  /**
   * Passive listeners (waiting or carrying a transfer) one client IP may hold at once; more → 425.
   * Keeps one client (many sessions from one IP) from exhausting `portRange` and starving the
   * others. Default: half of `portRange` (at least 1); no cap without a range (kernel-chosen ports).
   */
  readonly maxPerIp?: number;
  /**
   * How long (ms) a session's passive port stays open after a transfer, for its next PASV/EPSV:
   * a batch of files then costs one listen instead of one per file (each listen and close is
   * about a tenth of a small file's time). Between transfers the port refuses every connection;
   * an armed one takes only the control peer. 0 opens a fresh port per transfer, as vsftpd does.
   * Never used when `dataPeerMustMatch` is false. A lingering port still counts against
   * `maxPerIp`. Default 2000 when neither `portRange` nor `maxPerIp` is set (kernel-chosen ports
   * are plenty), else 0 (a range is usually small and shared by every session).
   */
  readonly keepListening?: number;
}

export interface ActiveOptions {
  /** Allow PORT/EPRT at all. Default true. */
  readonly enabled?: boolean;
  /** Allow data connections to ports below 1024. Default false (RFC 2577 §3, bounce attacks). */
  readonly allowPrivilegedPorts?: boolean;
  /** Allow PORT/EPRT to an IP other than the control peer's (FXP). Default false (RFC 2577 §3). */
  readonly allowThirdParty?: boolean;
}

export interface LoginDelayOptions {
  /** Delay before answering the first failed PASS, ms; doubles per failure from the same IP. Default 1000. */
  readonly base?: number;
  /** Longest delay, ms. Default 8000. */
  readonly max?: number;
}

export interface BanOptions {
  /** Failed logins from one IP (without a success in between) that trigger a ban. Default 10. */
  readonly after?: number;
  /** How long the IP is refused (421 before the greeting), ms. Default 300 000. */
  readonly duration?: number;
}

export interface LimitOptions {
  /** Control connections at once; more get 421 before the greeting. Default 1024. */
  readonly maxSessions?: number;
  /** Control connections at once from one IP; more get 421 before the greeting. Default 32. */
  readonly maxSessionsPerIp?: number;
  /** Longest command line in bytes (CRLF excluded); longer lines get 500. Default 4096. */
  readonly maxLineLength?: number;
  /** Close an idle control connection (421) after this many ms; 0 disables. Default 300 000. */
  readonly idleTimeout?: number;
  /**
   * Time from the greeting (or REIN) to a successful login, ms; then 421 and close. Bounds an
   * unauthenticated client that keeps its session alive with NOOPs (ProFTPD's TimeoutLogin).
   * 0 disables. Default 60 000.
   */
  readonly loginTimeout?: number;
  /**
   * A started command line must be finished within this many ms, else the connection closes;
   * bounds a peer trickling one byte at a time (slowloris). 0 disables. Default 60 000.
   */
  readonly lineTimeout?: number;
  /** Time for a data connection to be established (PASV accept / PORT connect), ms. Default 30 000. */
  readonly dataConnectTimeout?: number;
  /** Abort a transfer after this many ms without bytes moving; 0 disables. Default 300 000. */
  readonly dataStallTimeout?: number;
  /** Failed-login delay; `false` disables it. Default `{ base: 1000, max: 8000 }`. */
  readonly loginDelay?: LoginDelayOptions | false;
  /** Temporary per-IP ban after repeated failed logins; `false` disables it. Default `{ after: 10, duration: 300 000 }`. */
  readonly ban?: BanOptions | false;
}

/** What a `HOST` command (RFC 7151) selects. Unset fields fall back to the server's own. */
export interface VirtualHostOptions {
  /** Text of the 220 reply to HOST. Default: the server's greeting. */
  readonly greeting?: string | readonly string[];
  /** Who may log in on this host. Default: the server's authenticator. */
  readonly authenticator?: Authenticator;
}

export interface FtpServerOptions {
  /** Control listener address. Default '127.0.0.1' (exposing a server is an explicit choice). */
  readonly host?: string;
  /** Control listener port. Default 0 (any free port; `listen()` returns it). Use 21 for the standard port. */
  readonly port?: number;
  /**
   * A second listener for implicit FTPS (TLS from the first byte, port-990 style). Off by default.
   * Needs TLS (given or generated). `port` default 0.
   */
  readonly implicitTls?: { readonly host?: string; readonly port?: number };
  /**
   * TLS for `AUTH TLS` (explicit FTPS) and implicit FTPS. `true` generates a self-signed
   * certificate for localhost (development only: clients must trust it explicitly). Off by default.
   */
  readonly tls?: ServerTlsConfig | true;
  /** Refuse USER/PASS (530) until `AUTH TLS`. Default false. Needs `tls`. */
  readonly requireTls?: boolean;
  /** Refuse data transfers unless `PROT P` (521) and refuse `PROT C` (534). Default false. Needs `tls`. */
  readonly requireProtP?: boolean;
  /**
   * Require PROT P data connections to resume the control connection's TLS session (vsftpd's
   * require_ssl_reuse). Clients that do not resume (Python's ftplib) get 522. Default true.
   */
  readonly requireTlsSessionReuse?: boolean;
  readonly passive?: PassiveOptions;
  readonly active?: ActiveOptions;
  /** Refuse passive data connections from any IP but the control peer's (RFC 2577 §3). Default true. */
  readonly dataPeerMustMatch?: boolean;
  readonly limits?: LimitOptions;
  /** Who may log in. Default: a `StaticUserAuthenticator` with no users (every login refused). */
  readonly authenticator?: Authenticator;
  /** RFC 7151 virtual hosts: host name (case-insensitive) → configuration. Default none. */
  readonly virtualHosts?: Readonly<Record<string, VirtualHostOptions>>;
  /** The 220 greeting text (a string, or lines). Default 'ftpkit FTP server ready.' Never names software versions. */
  readonly greeting?: string | readonly string[];
  /** pino-compatible logger. Default silent. */
  readonly logger?: Logger;
  /** Extra or overriding command definitions (by verb). See `CommandDefinition`. */
  readonly commands?: readonly CommandDefinition[];
  /** Extra or overriding `SITE` subcommands. */
  readonly siteCommands?: readonly SiteCommandDefinition[];
  /** Verbs answered 502 and left out of FEAT/HELP (e.g. `['SITE', 'MFMT']`). Default none. */
  readonly disabledCommands?: readonly string[];
  /** HASH algorithms offered, first is the default (draft-bryan-ftpext-hash). Default SHA-256, SHA-1, MD5, CRC32. */
  readonly hashAlgorithms?: readonly HashAlgorithmName[];
}

/** HASH algorithm names as they appear on the wire. */
export type HashAlgorithmName = 'SHA-256' | 'SHA-512' | 'SHA-1' | 'MD5' | 'CRC32';

export const HASH_ALGORITHM_NAMES: readonly HashAlgorithmName[] = [
  'SHA-256',
  'SHA-512',
  'SHA-1',
  'MD5',
  'CRC32',
];

/** Every field populated: what sessions read. */
export interface ResolvedServerOptions {
  readonly host: string;
  readonly port: number;
  readonly implicitTls: { readonly host: string; readonly port: number } | undefined;
  readonly tls: ServerTlsConfig | true | undefined;
  readonly requireTls: boolean;
  readonly requireProtP: boolean;
  readonly requireTlsSessionReuse: boolean;
  readonly passive: {
    readonly portRange: PortRangeOption | undefined;
    readonly masqueradeAddress: string | undefined;
    readonly maxPerIp: number;
    readonly keepListening: number;
  };
  readonly active: {
    readonly enabled: boolean;
    readonly allowPrivilegedPorts: boolean;
    readonly allowThirdParty: boolean;
  };
  readonly dataPeerMustMatch: boolean;
  readonly limits: {
    readonly maxSessions: number;
    readonly maxSessionsPerIp: number;
    readonly maxLineLength: number;
    readonly idleTimeout: number;
    readonly loginTimeout: number;
    readonly lineTimeout: number;
    readonly dataConnectTimeout: number;
    readonly dataStallTimeout: number;
    readonly loginDelay: { readonly base: number; readonly max: number } | false;
    readonly ban: { readonly after: number; readonly duration: number } | false;
  };
  readonly authenticator: Authenticator;
  readonly virtualHosts: ReadonlyMap<string, VirtualHostOptions>;
  readonly greeting: string | readonly string[];
  readonly logger: Logger;
  readonly commands: readonly CommandDefinition[];
  readonly siteCommands: readonly SiteCommandDefinition[];
  readonly disabledCommands: ReadonlySet<string>;
  readonly hashAlgorithms: readonly HashAlgorithmName[];
}

/** The documented defaults, in one place (README's options table repeats them). */
export const DEFAULT_SERVER_OPTIONS = Object.freeze({
  host: '127.0.0.1',
  port: 0,
  greeting: 'ftpkit FTP server ready.',
  requireTls: false,
  requireProtP: false,
  requireTlsSessionReuse: true,
  dataPeerMustMatch: true,
  hashAlgorithms: ['SHA-256', 'SHA-1', 'MD5', 'CRC32'] as readonly HashAlgorithmName[],
  active: Object.freeze({ enabled: true, allowPrivilegedPorts: false, allowThirdParty: false }),
  limits: Object.freeze({
    maxSessions: 1024,
    maxSessionsPerIp: 32,
    maxLineLength: 4096,
    idleTimeout: 300_000,
    loginTimeout: 60_000,
    lineTimeout: 60_000,
    dataConnectTimeout: 30_000,
    dataStallTimeout: 300_000,
    loginDelay: Object.freeze({ base: 1000, max: 8000 }),
    ban: Object.freeze({ after: 10, duration: 300_000 }),
  }),
});

function fail(message: string): never {
  throw new InvalidArgumentError(`createServer: ${message}`);
}

function bool(name: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') fail(`${name} must be a boolean`);
  return value;
}

function int(
  name: string,
  value: unknown,
  fallback: number,
  min: number,
  max = Number.MAX_SAFE_INTEGER,
): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    fail(`${name} must be an integer from ${min} to ${max}`);
  }
  return value;
}

function text(name: string, value: unknown, fallback: string): string {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || value === '') fail(`${name} must be a non-empty string`);
  return value;
}

function greetingOf(
  name: string,
  value: unknown,
  fallback: string | readonly string[],
): string | readonly string[] {
  if (value === undefined) return fallback;
  const lines = typeof value === 'string' ? value.split(/\r?\n/) : value;
  if (!Array.isArray(lines) || lines.length === 0)
    fail(`${name} must be a string or a non-empty array of lines`);
  for (const line of lines as unknown[]) {
    if (typeof line !== 'string' || /[\r\n\0]/.test(line))
      fail(`${name} lines must be strings without CR, LF or NUL`);
  }
  return value as string | readonly string[];
}

function object(name: string, value: unknown): Record<string, unknown> {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(`${name} must be an object`);
  return value as Record<string, unknown>;
}

function isAuthenticator(value: unknown): value is Authenticator {
  return (
    typeof value === 'object' && value !== null && typeof (value as Authenticator).authenticate === 'function'
  );
}

function isLogger(value: unknown): value is Logger {
  if (typeof value !== 'object' || value === null) return false;
  const l = value as Record<string, unknown>;
  return ['debug', 'info', 'warn', 'error'].every((m) => typeof l[m] === 'function');
}

/** Validates `options` and fills every default. Throws `InvalidArgumentError` (FTPKIT_ERR_INVALID_ARGUMENT). */
export function resolveOptions(options: FtpServerOptions = {}): ResolvedServerOptions {
  if (typeof options !== 'object' || options === null) fail('options must be an object');
  const d = DEFAULT_SERVER_OPTIONS;

  let tlsConfig: ServerTlsConfig | true | undefined;
  if (options.tls !== undefined) {
    if (options.tls === true) tlsConfig = true;
    else {
      const t = object('tls', options.tls) as ServerTlsConfig;
      if (t.secureContext === undefined && (t.cert === undefined || t.key === undefined)) {
        fail(
          'tls needs `cert` and `key` (or `secureContext`); pass `tls: true` for a generated self-signed certificate',
        );
      }
      tlsConfig = t;
    }
  }
  const requireTls = bool('requireTls', options.requireTls, d.requireTls);
  const requireProtP = bool('requireProtP', options.requireProtP, d.requireProtP);
  if ((requireTls || requireProtP) && tlsConfig === undefined) fail('requireTls and requireProtP need `tls`');

  let implicitTls: ResolvedServerOptions['implicitTls'];
  if (options.implicitTls !== undefined) {
    const it = object('implicitTls', options.implicitTls);
    if (tlsConfig === undefined) fail('implicitTls needs `tls` (or `tls: true`)');
    implicitTls = {
      host: text('implicitTls.host', it.host, text('host', options.host, d.host)),
      port: int('implicitTls.port', it.port, 0, 0, 65_535),
    };
  }

  const passive = object('passive', options.passive);
  let portRange: PortRangeOption | undefined;
  if (passive.portRange !== undefined) {
    const r = object('passive.portRange', passive.portRange);
    const min = int('passive.portRange.min', r.min, -1, 1, 65_535);
    const max = int('passive.portRange.max', r.max, -1, 1, 65_535);
    if (min === -1 || max === -1 || min > max)
      fail('passive.portRange needs integers 1 <= min <= max <= 65535');
    portRange = { min, max };
  }
  const masqueradeAddress =
    passive.masqueradeAddress === undefined
      ? undefined
      : text('passive.masqueradeAddress', passive.masqueradeAddress, '');

  const active = object('active', options.active);
  const limits = object('limits', options.limits);
  const dl = d.limits;

  let loginDelay: ResolvedServerOptions['limits']['loginDelay'] = dl.loginDelay;
  if (limits.loginDelay === false) loginDelay = false;
  else if (limits.loginDelay !== undefined) {
    const ld = object('limits.loginDelay', limits.loginDelay);
    const base = int('limits.loginDelay.base', ld.base, dl.loginDelay.base, 0, 600_000);
    const max = int('limits.loginDelay.max', ld.max, Math.max(base, dl.loginDelay.max), 0, 600_000);
    if (max < base) fail('limits.loginDelay.max must be >= base');
    loginDelay = { base, max };
  }
  let ban: ResolvedServerOptions['limits']['ban'] = dl.ban;
  if (limits.ban === false) ban = false;
  else if (limits.ban !== undefined) {
    const b = object('limits.ban', limits.ban);
    ban = {
      after: int('limits.ban.after', b.after, dl.ban.after, 1),
      duration: int('limits.ban.duration', b.duration, dl.ban.duration, 1),
    };
  }

  if (options.authenticator !== undefined && !isAuthenticator(options.authenticator)) {
    fail('authenticator must have an authenticate(request) method');
  }
  if (options.logger !== undefined && !isLogger(options.logger))
    fail('logger must have debug/info/warn/error methods');

  const virtualHosts = new Map<string, VirtualHostOptions>();
  for (const [name, value] of Object.entries(object('virtualHosts', options.virtualHosts))) {
    const vh = object(`virtualHosts.${name}`, value) as VirtualHostOptions;
    if (vh.authenticator !== undefined && !isAuthenticator(vh.authenticator)) {
      fail(`virtualHosts.${name}.authenticator must have an authenticate(request) method`);
    }
    if (vh.greeting !== undefined) greetingOf(`virtualHosts.${name}.greeting`, vh.greeting, '');
    virtualHosts.set(name.toLowerCase(), vh);
  }

  const commands = options.commands ?? [];
  if (!Array.isArray(commands)) fail('commands must be an array of command definitions');
  for (const c of commands as CommandDefinition[]) {
    if (typeof c?.verb !== 'string' || !/^[A-Za-z]{1,16}$/.test(c.verb) || typeof c.handle !== 'function') {
      fail('each command needs a `verb` (1-16 letters) and a `handle(ctx, command)` function');
    }
  }
  const siteCommands = options.siteCommands ?? [];
  if (!Array.isArray(siteCommands)) fail('siteCommands must be an array');
  for (const c of siteCommands as SiteCommandDefinition[]) {
    if (
      typeof c?.name !== 'string' ||
      !/^[\x21-\x7e]{1,32}$/.test(c.name) ||
      typeof c.handle !== 'function'
    ) {
      fail('each SITE command needs a `name` (printable ASCII) and a `handle(ctx, argument)` function');
    }
  }
  const disabled = options.disabledCommands ?? [];
  if (!Array.isArray(disabled) || disabled.some((v) => typeof v !== 'string'))
    fail('disabledCommands must be strings');

  const hashAlgorithms = options.hashAlgorithms ?? d.hashAlgorithms;
  if (
    !Array.isArray(hashAlgorithms) ||
    hashAlgorithms.some((a) => !(HASH_ALGORITHM_NAMES as readonly string[]).includes(a as string))
  ) {
    fail(`hashAlgorithms must be a list of ${HASH_ALGORITHM_NAMES.join(', ')}`);
  }

  return {
    host: text('host', options.host, d.host),
    port: int('port', options.port, d.port, 0, 65_535),
    implicitTls,
    tls: tlsConfig,
    requireTls,
    requireProtP,
    requireTlsSessionReuse: bool(
      'requireTlsSessionReuse',
      options.requireTlsSessionReuse,
      d.requireTlsSessionReuse,
    ),
    passive: {
      portRange,
      masqueradeAddress,
      // Without a range the kernel's ephemeral ports are plenty and each session holds at most
      // one listener (sessions per IP are capped): no cap. With a range: half of it, at least 1.
      maxPerIp:
        passive.maxPerIp !== undefined
          ? int('passive.maxPerIp', passive.maxPerIp, 1, 1)
          : portRange === undefined
            ? Number.POSITIVE_INFINITY
            : Math.max(1, Math.floor((portRange.max - portRange.min + 1) / 2)),
      keepListening:
        passive.keepListening !== undefined
          ? int('passive.keepListening', passive.keepListening, 0, 0)
          : portRange === undefined && passive.maxPerIp === undefined
            ? 2000
            : 0,
    },
    active: {
      enabled: bool('active.enabled', active.enabled, d.active.enabled),
      allowPrivilegedPorts: bool(
        'active.allowPrivilegedPorts',
        active.allowPrivilegedPorts,
        d.active.allowPrivilegedPorts,
      ),
      allowThirdParty: bool('active.allowThirdParty', active.allowThirdParty, d.active.allowThirdParty),
    },
    dataPeerMustMatch: bool('dataPeerMustMatch', options.dataPeerMustMatch, d.dataPeerMustMatch),
    limits: {
      maxSessions: int('limits.maxSessions', limits.maxSessions, dl.maxSessions, 1),
      maxSessionsPerIp: int('limits.maxSessionsPerIp', limits.maxSessionsPerIp, dl.maxSessionsPerIp, 1),
      maxLineLength: int('limits.maxLineLength', limits.maxLineLength, dl.maxLineLength, 64, 1_048_576),
      idleTimeout: int('limits.idleTimeout', limits.idleTimeout, dl.idleTimeout, 0),
      loginTimeout: int('limits.loginTimeout', limits.loginTimeout, dl.loginTimeout, 0),
      lineTimeout: int('limits.lineTimeout', limits.lineTimeout, dl.lineTimeout, 0),
      dataConnectTimeout: int(
        'limits.dataConnectTimeout',
        limits.dataConnectTimeout,
        dl.dataConnectTimeout,
        1,
      ),
      dataStallTimeout: int('limits.dataStallTimeout', limits.dataStallTimeout, dl.dataStallTimeout, 0),
      loginDelay,
      ban,
    },
    authenticator: options.authenticator ?? new StaticUserAuthenticator({ users: [] }),
    virtualHosts,
    greeting: greetingOf('greeting', options.greeting, d.greeting),
    logger: options.logger ?? silentLogger,
    commands: commands as readonly CommandDefinition[],
    siteCommands: siteCommands as readonly SiteCommandDefinition[],
    disabledCommands: new Set((disabled as string[]).map((v) => v.toUpperCase())),
    hashAlgorithms: [...new Set(hashAlgorithms)],
  };
}
