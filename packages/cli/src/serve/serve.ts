/**
 * `ftpkit serve`: the ftpkit server on a safe default, from flags or a config file.
 *
 * Owns: building `createServer` options from `ServeSettings` (users with scrypt-hashed
 * passwords, anonymous access, TLS from files or self-signed), the default-port fallback, the
 * start-up banner with the URLs (stdout), JSON-lines logs (stderr) with the audit events, and the
 * graceful close on SIGINT/SIGTERM (exit 0).
 */
import { randomBytes, X509Certificate } from 'node:crypto';
import { mkdirSync, readFileSync, statSync } from 'node:fs';
import { isIP } from 'node:net';
import {
  type AnonymousAccessOptions,
  createServer,
  type FtpServer,
  type FtpServerOptions,
  hashPassword,
  isPasswordHash,
  type Logger,
  READ_ONLY_PERMISSIONS,
  READ_WRITE_PERMISSIONS,
  type ServerAddress,
  type StaticUser,
  StaticUserAuthenticator,
} from '@ftpkit/server';
import { flag, parse } from '../args.js';
import type { Command } from '../commands/command.js';
import { CliError, EXIT_CODES, UsageError } from '../exit-codes.js';
import type { CliIo } from '../io.js';
import {
  DEFAULT_PORT,
  DEFAULT_ROOT,
  normaliseServeArgs,
  resolveServeSettings,
  SERVE_OPTIONS,
  type ServeSettings,
} from './config.js';
import { createJsonLogger } from './logger.js';

const GENERATED_USER = 'ftpkit';
/** How long running transfers may finish after SIGINT/SIGTERM before they are cut (426). */
const CLOSE_DEADLINE = 10_000;

export const serve: Command = {
  name: 'serve',
  summary: 'run an FTP/FTPS server',
  help: `Usage: ftpkit serve [options]

Serve a directory over FTP (and FTPS with --tls). With no options: 127.0.0.1 only, port ${DEFAULT_PORT}
(a free port if ${DEFAULT_PORT} is taken), the directory ./${DEFAULT_ROOT} (created if missing),
anonymous read-only access, and a generated read-write user "${GENERATED_USER}" whose password is printed.
The URLs to use are printed at start-up; logs are JSON lines on stderr.

  --root DIR                  directory to serve (must exist; default ./${DEFAULT_ROOT}, created)
  --host H                    address to listen on (default 127.0.0.1; 0.0.0.0 exposes the server)
  -p, --port N                control port, 0 = any free port (default ${DEFAULT_PORT})
  --passive-ports A-B         passive data ports, inclusive, 1024-65535 (default: any free port)
  --passive-address IP        address announced in PASV replies (behind NAT)
  -u, --user NAME:PASSWORD[:ro|:rw]
                              a user (repeatable; default rw); replaces the generated user
  --anonymous[=ro|rw]         anonymous login (anonymous/ftp, any password), default ro;
                              given alone (without --user), no user is generated
  --tls                       explicit FTPS (AUTH TLS); self-signed certificate unless given
  --tls-cert FILE --tls-key FILE
                              PEM certificate chain and key (imply --tls)
  --implicit-port N           also listen for implicit FTPS on N (implies --tls)
  --require-tls               refuse logins before AUTH TLS (implies --tls)
  -c, --config FILE           JSON config file with the same fields (flags win; see README)
  --log-level L               debug, info (default), warn, error or silent
  -h, --help                  this help

Examples:
  ftpkit serve
  ftpkit serve --root /srv/ftp --port 0 --user alice:s3cret --user bob:pw:ro
  ftpkit serve --host 0.0.0.0 --passive-ports 50000-50100 --passive-address 203.0.113.5 --tls \\
               --tls-cert cert.pem --tls-key key.pem --require-tls --user alice:s3cret
  ftpkit serve --config ftpkit.json`,
  async run(args, io) {
    const { values, positionals } = parse('serve', normaliseServeArgs(args), SERVE_OPTIONS);
    if (flag(values, 'help')) {
      io.stdout.write(`${serve.help}\n`);
      return EXIT_CODES.OK;
    }
    if (positionals.length > 0) {
      throw new UsageError(
        `serve: unexpected argument "${positionals[0]}" (did you mean --root ${positionals[0]}?)`,
      );
    }
    const settings = resolveServeSettings(values, io.cwd);
    return runServer(settings, io);
  },
};

async function runServer(settings: ServeSettings, io: CliIo): Promise<number> {
  const logger = createJsonLogger(io.stderr, settings.logLevel);
  prepareRoot(settings);
  const { authenticator, logins } = await buildAuthenticator(settings);
  const tls = readTls(settings);
  const base: FtpServerOptions = {
    host: settings.host,
    authenticator,
    logger,
    requireTls: settings.requireTls,
    passive: {
      ...(settings.passivePorts === undefined ? {} : { portRange: settings.passivePorts }),
      ...(settings.passiveAddress === undefined ? {} : { masqueradeAddress: settings.passiveAddress }),
    },
    ...(tls === undefined ? {} : { tls }),
    ...(settings.implicitPort === undefined ? {} : { implicitTls: { port: settings.implicitPort } }),
  };
  let server: FtpServer;
  let address: ServerAddress;
  try {
    ({ server, address } = await listen(base, settings.port ?? DEFAULT_PORT));
  } catch (error) {
    if (settings.port !== undefined || !isAddressInUse(error)) throw listenFailure(error, settings);
    logger.warn({ port: DEFAULT_PORT }, `port ${DEFAULT_PORT} is in use; listening on a free port instead`);
    try {
      ({ server, address } = await listen(base, 0));
    } catch (again) {
      throw listenFailure(again, settings);
    }
  }
  auditToLog(server, logger);
  printBanner(io, settings, address, logins, server.generatedCertificate);
  logger.info(
    {
      host: address.host,
      port: address.port,
      ...(address.implicitTls === undefined ? {} : { implicitTlsPort: address.implicitTls.port }),
      root: settings.root,
      tls: settings.tls,
    },
    'listening',
  );
  if (!isLoopback(settings.host)) {
    logger.warn(
      { host: settings.host },
      'listening on a non-loopback address: the server is reachable from the network',
    );
  }
  await new Promise<void>((resolve) => {
    if (io.signal.aborted) resolve();
    else io.signal.addEventListener('abort', () => resolve(), { once: true });
  });
  logger.info({ sessions: server.sessionCount, deadline: CLOSE_DEADLINE }, 'shutting down');
  await server.close({ deadline: CLOSE_DEADLINE });
  logger.info({}, 'closed');
  return EXIT_CODES.OK;
}

async function listen(
  options: FtpServerOptions,
  port: number,
): Promise<{ server: FtpServer; address: ServerAddress }> {
  let server: FtpServer;
  try {
    server = createServer({ ...options, port });
  } catch (error) {
    throw new UsageError(`serve: ${(error as Error).message.replace(/^createServer: /, '')}`);
  }
  const address = await server.listen();
  return { server, address };
}

function isAddressInUse(error: unknown): boolean {
  for (let e = error, depth = 0; e !== undefined && e !== null && depth < 5; depth++) {
    const x = e as { code?: unknown; syscallCode?: unknown; cause?: unknown };
    if (x.code === 'EADDRINUSE' || x.syscallCode === 'EADDRINUSE') return true;
    e = x.cause;
  }
  return false;
}

function listenFailure(error: unknown, settings: ServeSettings): Error {
  if (isAddressInUse(error)) {
    return new CliError(
      `serve: the port is already in use (try --port 0 for any free port)`,
      EXIT_CODES.FAILURE,
    );
  }
  const syscall = (error as { syscallCode?: unknown }).syscallCode;
  if (syscall === 'EACCES') {
    return new CliError(
      `serve: no permission to listen on that port (ports below 1024 need root)`,
      EXIT_CODES.FAILURE,
    );
  }
  if (syscall === 'EADDRNOTAVAIL' || syscall === 'ENOTFOUND') {
    return new CliError(
      `serve: cannot listen on ${settings.host}: no such local address`,
      EXIT_CODES.FAILURE,
    );
  }
  return error instanceof Error ? error : new Error(String(error));
}

function prepareRoot(settings: ServeSettings): void {
  if (settings.defaultRoot) mkdirSync(settings.root, { recursive: true });
  const dirs = [settings.root, ...settings.users.flatMap((u) => (u.root === undefined ? [] : [u.root]))];
  for (const dir of dirs) {
    const s = statSync(dir, { throwIfNoEntry: false });
    if (s === undefined) throw new UsageError(`serve: the directory ${dir} does not exist`);
    if (!s.isDirectory()) throw new UsageError(`serve: ${dir} is not a directory`);
  }
}

interface Login {
  readonly name: string;
  readonly access: 'ro' | 'rw';
  /** Only for the generated user: the only way to learn it is the banner. */
  readonly password: string | undefined;
}

async function buildAuthenticator(
  settings: ServeSettings,
): Promise<{ authenticator: StaticUserAuthenticator; logins: Login[] }> {
  const defaults = settings.users.length === 0 && settings.anonymous === undefined;
  const specs = [...settings.users];
  const logins: Login[] = [];
  let generated: string | undefined;
  if (defaults) {
    generated = randomBytes(12).toString('base64url');
    specs.push({ name: GENERATED_USER, password: generated, access: 'rw', root: undefined });
  }
  const users: StaticUser[] = [];
  for (const spec of specs) {
    users.push({
      username: spec.name,
      password: isPasswordHash(spec.password) ? spec.password : await hashPassword(spec.password),
      root: spec.root ?? settings.root,
      permissions: spec.access === 'rw' ? READ_WRITE_PERMISSIONS : READ_ONLY_PERMISSIONS,
    });
  }
  const anonymousAccess = defaults ? 'ro' : settings.anonymous;
  let anonymous: AnonymousAccessOptions | false = false;
  if (anonymousAccess === 'ro' || anonymousAccess === 'rw') {
    anonymous = {
      root: settings.root,
      permissions: anonymousAccess === 'rw' ? READ_WRITE_PERMISSIONS : READ_ONLY_PERMISSIONS,
    };
    logins.push({ name: 'anonymous', access: anonymousAccess, password: undefined });
  }
  for (const spec of specs) {
    logins.push({
      name: spec.name,
      access: spec.access,
      password: spec.name === GENERATED_USER ? generated : undefined,
    });
  }
  return { authenticator: new StaticUserAuthenticator({ users, anonymous }), logins };
}

function readTls(settings: ServeSettings): FtpServerOptions['tls'] {
  if (!settings.tls) return undefined;
  if (settings.tlsCert === undefined || settings.tlsKey === undefined) return true;
  const read = (flagName: string, file: string) => {
    try {
      return readFileSync(file, 'utf8');
    } catch (error) {
      throw new UsageError(
        `${flagName}: cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? error}`,
      );
    }
  };
  const cert = read('--tls-cert', settings.tlsCert);
  const key = read('--tls-key', settings.tlsKey);
  if (!cert.includes('-----BEGIN CERTIFICATE-----'))
    throw new UsageError(`--tls-cert: ${settings.tlsCert} holds no PEM certificate`);
  if (!/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(key))
    throw new UsageError(`--tls-key: ${settings.tlsKey} holds no PEM private key`);
  return { cert, key };
}

function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '::') return '127.0.0.1';
  return isIP(host) === 6 ? `[${host}]` : host;
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\./.test(host);
}

function printBanner(
  io: CliIo,
  settings: ServeSettings,
  address: ServerAddress,
  logins: readonly Login[],
  generatedCertificate: string | undefined,
): void {
  const host = urlHost(address.host);
  const base = `ftp://${host}:${address.port}/`;
  const lines = [`ftpkit serve: serving ${settings.root} on ${address.host}:${address.port}`];
  const width = Math.max(
    ...logins.map((l) => `${l.name} (${l.access === 'rw' ? 'read-write' : 'read-only'}):`.length),
  );
  for (const login of logins) {
    const label = `${login.name} (${login.access === 'rw' ? 'read-write' : 'read-only'}):`.padEnd(width);
    const url =
      login.name === 'anonymous'
        ? base
        : `ftp://${encodeURIComponent(login.name)}${login.password === undefined ? '' : `:${encodeURIComponent(login.password)}`}@${host}:${address.port}/`;
    lines.push(`  ${label}  ${url}`);
  }
  if (settings.tls) {
    lines.push(
      `  FTPS: explicit (AUTH TLS) on port ${address.port}${settings.requireTls ? ', required' : ''}`,
    );
    if (address.implicitTls !== undefined)
      lines.push(`  FTPS: implicit on ftps://${host}:${address.implicitTls.port}/`);
    if (generatedCertificate !== undefined) {
      const fingerprint = new X509Certificate(generatedCertificate).fingerprint256;
      lines.push(
        `  certificate: self-signed for localhost (SHA-256 ${fingerprint}); clients need --insecure`,
      );
    }
  }
  if (address.host === '0.0.0.0' || address.host === '::') lines.push('  listening on every interface');
  lines.push('Press Ctrl+C to stop.');
  io.stdout.write(`${lines.join('\n')}\n`);
}

const AUDIT_EVENTS = [
  'upload',
  'upload-aborted',
  'upload-connection-lost',
  'upload-failed',
  'download',
  'download-failed',
  'delete',
  'rename',
  'mkdir',
  'rmdir',
  'reject',
  'error',
] as const;

/** Audit events as log records (login/logout are logged by the sessions themselves). */
function auditToLog(server: FtpServer, logger: Logger): void {
  for (const name of AUDIT_EVENTS) {
    const failure =
      name.endsWith('-failed') || name.endsWith('-aborted') || name.endsWith('-lost') || name === 'reject';
    server.on(name, (event: object) => {
      const { error, ...rest } = event as { error?: unknown };
      const record = error === undefined ? { event: name, ...rest } : { event: name, ...rest, err: error };
      if (name === 'error') logger.error(record, name);
      else if (failure) logger.warn(record, name);
      else logger.info(record, name);
    });
  }
}
