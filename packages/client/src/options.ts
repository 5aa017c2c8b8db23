/**
 * Client options: the one options object, its documented defaults, validation up front (STYLE
 * habit 11), and `ftp://` / `ftps://` URL parsing for callers such as the CLI.
 *
 * Owns: turning what a caller wrote into `ResolvedOptions`, or an `FTPKIT_ERR_INVALID_ARGUMENT`
 * before any socket is opened. Never opens a socket.
 */
import type tls from 'node:tls';
import { invalidArgument } from './errors.js';
import { type Logger, silentLogger } from './logger.js';

/** TLS settings of the control and data connections (the same for both). */
export interface ClientTlsSettings {
  /** Trust anchors (PEM). Default: Node's bundled CA store. */
  readonly ca?: string | Buffer | readonly (string | Buffer)[];
  /** Client certificate and key (PEM), for servers that ask for one. */
  readonly cert?: string | Buffer;
  readonly key?: string | Buffer;
  readonly passphrase?: string;
  /** Verify the server's certificate. Default true; false only when asked (`--insecure`). */
  readonly rejectUnauthorized?: boolean;
  /** SNI and identity-check name. Default: `host` when it is a name (never sent for an IP). */
  readonly servername?: string;
  /** Default 'TLSv1.2'. */
  readonly minVersion?: tls.SecureVersion;
  /** Default: the highest Node supports (TLSv1.3). */
  readonly maxVersion?: tls.SecureVersion;
  /** Custom identity check (pinning). Default: Node's hostname check. */
  readonly checkServerIdentity?: (hostname: string, cert: tls.PeerCertificate) => Error | undefined;
}

export interface AutoReconnectOptions {
  /** Attempts per failed operation. Default 3. */
  readonly retries?: number;
  /** Pause before each attempt, ms. Default 500. */
  readonly delay?: number;
}

export interface ClientOptions {
  /** Server host name or IP. Default '127.0.0.1'. */
  readonly host?: string;
  /** Default 21, or 990 with `secure: 'implicit'`. */
  readonly port?: number;
  /** Default 'anonymous'. */
  readonly user?: string;
  /** Default 'anonymous@' for the anonymous user, '' otherwise. Never logged, never inspected. */
  readonly password?: string;
  /** ACCT information, sent only when the server asks (332). */
  readonly account?: string;
  /**
   * `false` (default): plain FTP. `true`: explicit FTPS (`AUTH TLS`, `PBSZ 0`, `PROT P`, RFC 4217).
   * `'implicit'`: TLS from the first byte (port 990 style, `ftps://` URLs).
   */
  readonly secure?: boolean | 'implicit';
  /** Certificates and verification. */
  readonly tls?: ClientTlsSettings;
  /** `'passive'` (default: EPSV, then PASV) or `'active'` (EPRT, then PORT, over a local listener). */
  readonly dataMode?: 'passive' | 'active';
  /**
   * Connect to the address a 227 reply advertises instead of the control host. Default false:
   * the data connection goes to the control connection's peer (as basic-ftp and curl do), which
   * fixes NAT'd servers that advertise private addresses and refuses being pointed elsewhere.
   * With true, a private or unroutable advertised address different from the control peer's is
   * still replaced by the control host.
   */
  readonly trustPassiveAddress?: boolean;
  /** Local address the active-mode listener binds. Default: the control connection's local address. */
  readonly activeAddress?: string;
  /** TCP connect (and implicit TLS handshake) limit, ms. Default 10 000. */
  readonly connectTimeout?: number;
  /** Limit for each control reply, ms. Default 30 000. When it runs out the connection is closed. */
  readonly replyTimeout?: number;
  /** A data connection that moves no byte for this long is aborted, ms. Default 60 000. 0 disables. */
  readonly dataTimeout?: number;
  /** Send NOOP after this many idle ms (and this often during transfers). Default 30 000; 0 disables. */
  readonly keepaliveInterval?: number;
  /** NOOP on the control connection while a long transfer runs. Default true (with `keepaliveInterval`). */
  readonly keepaliveDuringTransfer?: boolean;
  /** Re-establish a dropped control connection and retry (resuming transfers with REST). Default false. */
  readonly autoReconnect?: boolean | AutoReconnectOptions;
  /** Largest directory listing accepted, bytes. Default 64 MiB. */
  readonly maxListingBytes?: number;
  /** Most entries a tree operation walks. Default 1 000 000. */
  readonly maxTreeEntries?: number;
  /** How often progress events fire during a transfer, ms. Default 250. */
  readonly progressInterval?: number;
  /** Use MLSD/MLST when FEAT offers them. Default true. */
  readonly useMlsd?: boolean;
  /** A pino-compatible logger. Default: silent. Passwords are redacted. */
  readonly logger?: Logger;
}

export interface ResolvedOptions {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly password: string;
  readonly account: string | undefined;
  readonly secure: false | 'explicit' | 'implicit';
  readonly tls: ClientTlsSettings;
  readonly dataMode: 'passive' | 'active';
  readonly trustPassiveAddress: boolean;
  readonly activeAddress: string | undefined;
  readonly connectTimeout: number;
  readonly replyTimeout: number;
  readonly dataTimeout: number;
  readonly keepaliveInterval: number;
  readonly keepaliveDuringTransfer: boolean;
  readonly autoReconnect: { readonly retries: number; readonly delay: number } | undefined;
  readonly maxListingBytes: number;
  readonly maxTreeEntries: number;
  readonly progressInterval: number;
  readonly useMlsd: boolean;
  readonly logger: Logger;
}

export const DEFAULTS = {
  host: '127.0.0.1',
  connectTimeout: 10_000,
  replyTimeout: 30_000,
  dataTimeout: 60_000,
  keepaliveInterval: 30_000,
  maxListingBytes: 64 * 1024 * 1024,
  maxTreeEntries: 1_000_000,
  progressInterval: 250,
  reconnectRetries: 3,
  reconnectDelay: 500,
} as const;

function ms(name: string, value: number | undefined, fallback: number): number {
  const v = value ?? fallback;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
    throw invalidArgument(`${name} must be a non-negative number of ms (0 = none), got ${String(value)}`);
  }
  return v;
}

function positiveInt(name: string, value: number | undefined, fallback: number): number {
  const v = value ?? fallback;
  if (!Number.isSafeInteger(v) || v < 1) throw invalidArgument(`${name} must be a positive integer`);
  return v;
}

function text(name: string, value: unknown, fallback: string): string {
  const v = value ?? fallback;
  if (typeof v !== 'string') throw invalidArgument(`${name} must be a string`);
  // RFC 959 §4.1.3: nothing may smuggle a second command onto the control connection.
  if (/[\r\n\0]/.test(v)) throw invalidArgument(`${name} must not contain CR, LF or NUL`);
  return v;
}

/** Validates and fills in defaults. Throws FTPKIT_ERR_INVALID_ARGUMENT. */
export function resolveOptions(options: ClientOptions = {}): ResolvedOptions {
  if (typeof options !== 'object' || options === null) throw invalidArgument('options must be an object');
  const secureOption = options.secure ?? false;
  if (secureOption !== false && secureOption !== true && secureOption !== 'implicit') {
    throw invalidArgument("secure must be false, true or 'implicit'");
  }
  const secure = secureOption === true ? 'explicit' : secureOption;
  const host = text('host', options.host, DEFAULTS.host);
  if (host === '') throw invalidArgument('host must not be empty');
  const port = options.port ?? (secure === 'implicit' ? 990 : 21);
  if (!Number.isInteger(port) || port < 1 || port > 65_535) throw invalidArgument('port must be 1-65535');
  const user = text('user', options.user, 'anonymous');
  if (user === '') throw invalidArgument('user must not be empty');
  const password = text('password', options.password, user === 'anonymous' ? 'anonymous@' : '');
  const account = options.account === undefined ? undefined : text('account', options.account, '');
  const dataMode = options.dataMode ?? 'passive';
  if (dataMode !== 'passive' && dataMode !== 'active')
    throw invalidArgument("dataMode must be 'passive' or 'active'");
  let autoReconnect: ResolvedOptions['autoReconnect'];
  const ar = options.autoReconnect ?? false;
  if (ar === true || (typeof ar === 'object' && ar !== null)) {
    const o = ar === true ? {} : ar;
    autoReconnect = {
      retries: positiveInt('autoReconnect.retries', o.retries, DEFAULTS.reconnectRetries),
      delay: ms('autoReconnect.delay', o.delay, DEFAULTS.reconnectDelay),
    };
  } else if (ar !== false) {
    throw invalidArgument('autoReconnect must be a boolean or an object');
  }
  const logger = options.logger ?? silentLogger;
  if (typeof logger.debug !== 'function') throw invalidArgument('logger must have debug/info/warn/error');
  return {
    host,
    port,
    user,
    password,
    account,
    secure,
    tls: options.tls ?? {},
    dataMode,
    trustPassiveAddress: options.trustPassiveAddress ?? false,
    activeAddress: options.activeAddress,
    connectTimeout: ms('connectTimeout', options.connectTimeout, DEFAULTS.connectTimeout),
    replyTimeout: ms('replyTimeout', options.replyTimeout, DEFAULTS.replyTimeout),
    dataTimeout: ms('dataTimeout', options.dataTimeout, DEFAULTS.dataTimeout),
    keepaliveInterval: ms('keepaliveInterval', options.keepaliveInterval, DEFAULTS.keepaliveInterval),
    keepaliveDuringTransfer: options.keepaliveDuringTransfer ?? true,
    autoReconnect,
    maxListingBytes: positiveInt('maxListingBytes', options.maxListingBytes, DEFAULTS.maxListingBytes),
    maxTreeEntries: positiveInt('maxTreeEntries', options.maxTreeEntries, DEFAULTS.maxTreeEntries),
    progressInterval: ms('progressInterval', options.progressInterval, DEFAULTS.progressInterval),
    useMlsd: options.useMlsd ?? true,
    logger,
  };
}

/** What `parseFtpUrl` read from a URL. */
export interface ParsedFtpUrl {
  /** Connection options from the URL (host, port, user, password, secure). */
  readonly options: ClientOptions;
  /**
   * The URL's path, percent-decoded. RFC 1738 §3.2.2 makes it relative to the login directory
   * (`ftp://h/pub/x` → `pub/x`); an encoded leading slash makes it absolute (`ftp://h/%2Fetc` →
   * `/etc`). `''` when the URL has no path. `endsWithSlash` tells a directory URL apart.
   */
  readonly path: string;
  readonly endsWithSlash: boolean;
}

/**
 * Reads `ftp://user:pass@host:port/path`. Schemes: `ftp:` (plain), `ftps:` (implicit TLS, port
 * 990, as curl and lftp read it), `ftpes:` (explicit TLS, FileZilla's spelling). User and password
 * are percent-decoded. Throws FTPKIT_ERR_INVALID_ARGUMENT.
 */
export function parseFtpUrl(input: string | URL): ParsedFtpUrl {
  let url: URL;
  try {
    url = typeof input === 'string' ? new URL(input) : input;
  } catch {
    throw invalidArgument(`Not a URL: ${String(input).slice(0, 80)}`);
  }
  const scheme = url.protocol;
  const secure =
    scheme === 'ftp:' ? false : scheme === 'ftps:' ? 'implicit' : scheme === 'ftpes:' ? true : undefined;
  if (secure === undefined)
    throw invalidArgument(`Unsupported URL scheme ${scheme} (use ftp:, ftps: or ftpes:)`);
  if (url.hostname === '') throw invalidArgument('The URL has no host');
  const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  const decode = (s: string, what: string) => {
    try {
      return decodeURIComponent(s);
    } catch {
      throw invalidArgument(`The URL's ${what} is not valid percent-encoding`);
    }
  };
  const options: { -readonly [K in keyof ClientOptions]: ClientOptions[K] } = { host, secure };
  if (url.port !== '') options.port = Number(url.port);
  if (url.username !== '') options.user = decode(url.username, 'user');
  if (url.password !== '') options.password = decode(url.password, 'password');
  let raw = url.pathname;
  // `;type=i` (RFC 1738 §3.2.2) selects the representation; transfers here are always binary.
  const semicolon = raw.lastIndexOf(';type=');
  if (semicolon !== -1) raw = raw.slice(0, semicolon);
  const endsWithSlash = raw.length > 1 && raw.endsWith('/');
  const path = decode(raw.startsWith('/') ? raw.slice(1) : raw, 'path');
  resolveOptions(options);
  return { options, path: endsWithSlash ? path.slice(0, -1) || '/' : path, endsWithSlash };
}
