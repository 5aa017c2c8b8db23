/**
 * The connection flags every client command shares, and turning URL + flags + environment into
 * `ClientOptions` and a remote path.
 *
 * Credentials, first found wins: `--user NAME[:PASS]`, then the URL's `user:pass@`, then the
 * `FTPKIT_PASSWORD` environment variable for the password (so it stays out of `ps` and shell
 * history). No user at all means anonymous. Passwords are never printed.
 */
import { readFileSync } from 'node:fs';
import { type Client, type ClientOptions, connect, type ParsedFtpUrl, parseFtpUrl } from '@ftpkit/client';
import { flag, integer, type OptionSpec, type Parsed, str } from './args.js';
import { UsageError } from './exit-codes.js';
import type { CliIo } from './io.js';

export const CONNECTION_OPTIONS: OptionSpec = {
  user: { type: 'string', short: 'u' },
  tls: { type: 'boolean' },
  active: { type: 'boolean' },
  insecure: { type: 'boolean', short: 'k' },
  ca: { type: 'string' },
  timeout: { type: 'string' },
  quiet: { type: 'boolean', short: 'q' },
  help: { type: 'boolean', short: 'h' },
};

export const CONNECTION_HELP = `Connection options:
  -u, --user NAME[:PASS]  log in as NAME (password: PASS, else the URL's, else $FTPKIT_PASSWORD)
      --tls               explicit FTPS (AUTH TLS, then PROT P) on an ftp:// URL
                          (ftps:// URLs are implicit FTPS, ftpes:// explicit)
  -k, --insecure          do not verify the server's certificate
      --ca FILE           trust the PEM certificate(s) in FILE (self-signed or private CA)
      --active            active mode (EPRT/PORT) instead of passive
      --timeout SECONDS   connect and reply timeout (default: 10 s connect, 30 s reply)
  -q, --quiet             no progress bar, no summary; only errors
  -h, --help              this help`;

export interface Remote {
  readonly options: ClientOptions;
  /** The URL's path: relative to the login directory (RFC 1738), absolute with `%2F`; '' for none. */
  readonly path: string;
  readonly endsWithSlash: boolean;
  /** `ftp://user@host:port` without the password, for messages. */
  readonly display: string;
}

export function resolveRemote(url: string, values: Parsed['values'], io: CliIo): Remote {
  let parsed: ParsedFtpUrl;
  try {
    parsed = parseFtpUrl(url);
  } catch (error) {
    throw new UsageError(`bad URL "${redactUrl(url)}": ${(error as Error).message}`);
  }
  const options: { -readonly [K in keyof ClientOptions]: ClientOptions[K] } = { ...parsed.options };
  const userFlag = str(values, 'user');
  if (userFlag !== undefined) {
    const colon = userFlag.indexOf(':');
    const name = colon === -1 ? userFlag : userFlag.slice(0, colon);
    if (name === '') throw new UsageError('--user needs a name: --user NAME[:PASS]');
    if (name !== options.user) delete options.password;
    options.user = name;
    if (colon !== -1) options.password = userFlag.slice(colon + 1);
  }
  const envPassword = io.env.FTPKIT_PASSWORD;
  if (options.password === undefined && options.user !== undefined && envPassword !== undefined) {
    options.password = envPassword;
  }
  const tlsWanted = flag(values, 'tls');
  if (tlsWanted && options.secure === false) options.secure = true;
  const secure = options.secure !== false && options.secure !== undefined;
  const caFile = str(values, 'ca');
  const insecure = flag(values, 'insecure');
  if (caFile !== undefined && insecure) throw new UsageError('--ca and --insecure exclude each other');
  if ((caFile !== undefined || insecure) && !secure) {
    throw new UsageError(
      `${caFile !== undefined ? '--ca' : '--insecure'} needs TLS: add --tls, or use an ftps:// or ftpes:// URL`,
    );
  }
  if (caFile !== undefined) {
    let ca: string;
    try {
      ca = readFileSync(caFile, 'utf8');
    } catch (error) {
      throw new UsageError(`--ca: cannot read ${caFile}: ${(error as NodeJS.ErrnoException).code ?? error}`);
    }
    if (!ca.includes('-----BEGIN CERTIFICATE-----'))
      throw new UsageError(`--ca: ${caFile} holds no PEM certificate`);
    options.tls = { ca };
  }
  if (insecure) options.tls = { rejectUnauthorized: false };
  if (flag(values, 'active')) options.dataMode = 'active';
  const timeout = str(values, 'timeout');
  if (timeout !== undefined) {
    const ms = integer('--timeout', timeout, 1, 86_400) * 1000;
    options.connectTimeout = ms;
    options.replyTimeout = ms;
  }
  const host = options.host ?? '127.0.0.1';
  const hostText = host.includes(':') ? `[${host}]` : host;
  const scheme = new URL(url).protocol;
  const display = `${scheme}//${options.user === undefined ? '' : `${encodeURIComponent(options.user)}@`}${hostText}${
    options.port === undefined ? '' : `:${options.port}`
  }`;
  return { options, path: parsed.path, endsWithSlash: parsed.endsWithSlash, display };
}

/** Connects and logs in, or throws (classified by `describeFailure`). */
export function open(remote: Remote, io: CliIo, extra: ClientOptions = {}): Promise<Client> {
  return connect({ ...remote.options, ...extra }, { signal: io.signal });
}

/** The URL with any password replaced by `****`, for messages. */
export function redactUrl(url: string): string {
  return url.replace(/^([a-z]+:\/\/[^/:@]*:)[^/@]*@/i, '$1****@');
}

/** The last path component (`a/b/c.txt` → `c.txt`). */
export function baseName(path: string): string {
  const trimmed = path.endsWith('/') ? path.slice(0, -1) : path;
  return trimmed.slice(trimmed.lastIndexOf('/') + 1);
}
