/**
 * `ftpkit serve` settings: flags and the JSON config file (same fields), validated up front so
 * that a bad value is a clear message and exit code 2 before anything listens.
 *
 * Owns: the flag table, the config file format (README "Config file"), precedence (a flag
 * replaces the config's field; `--user` flags replace the config's whole `users` list), and the
 * defaults: 127.0.0.1, port 2121 (falling back to a free port only when the port was not asked
 * for), root `./ftp-root` (created), and when no user and no anonymous setting is given:
 * anonymous read-only plus a generated read-write user.
 */
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { dirname, resolve } from 'node:path';
import { integer, list, type OptionSpec, type Parsed, str } from '../args.js';
import { UsageError } from '../exit-codes.js';
import { LOG_LEVELS, type LogLevel } from './logger.js';

export const DEFAULT_PORT = 2121;
export const DEFAULT_ROOT = 'ftp-root';

export const SERVE_OPTIONS: OptionSpec = {
  root: { type: 'string' },
  host: { type: 'string' },
  port: { type: 'string', short: 'p' },
  'passive-ports': { type: 'string' },
  'passive-address': { type: 'string' },
  user: { type: 'string', multiple: true, short: 'u' },
  anonymous: { type: 'string' },
  tls: { type: 'boolean' },
  'tls-cert': { type: 'string' },
  'tls-key': { type: 'string' },
  'implicit-port': { type: 'string' },
  'require-tls': { type: 'boolean' },
  config: { type: 'string', short: 'c' },
  'log-level': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
};

export type Access = 'ro' | 'rw';

export interface ServeUser {
  readonly name: string;
  /** Plain text, or a `hashPassword()` string (`scrypt$...`). */
  readonly password: string;
  readonly access: Access;
  /** Absolute directory; default: the server's root. */
  readonly root: string | undefined;
}

export interface ServeSettings {
  readonly root: string;
  /** True when the root was not given (then it is created if missing). */
  readonly defaultRoot: boolean;
  readonly host: string;
  /** undefined: the default port (2121, or a free one if that is taken). */
  readonly port: number | undefined;
  readonly passivePorts: { readonly min: number; readonly max: number } | undefined;
  readonly passiveAddress: string | undefined;
  readonly users: readonly ServeUser[];
  /** undefined: not configured (the default: read-only, plus a generated user when no users are given). */
  readonly anonymous: Access | false | undefined;
  readonly tls: boolean;
  readonly tlsCert: string | undefined;
  readonly tlsKey: string | undefined;
  readonly implicitPort: number | undefined;
  readonly requireTls: boolean;
  readonly logLevel: LogLevel;
}

/** The config file: every field optional, the same meaning as the flag of the same name. */
export interface ServeConfig {
  root?: string;
  host?: string;
  port?: number;
  passivePorts?: string | [number, number];
  passiveAddress?: string;
  users?: (string | { name: string; password: string; access?: Access; root?: string })[];
  anonymous?: boolean | Access;
  tls?: boolean;
  tlsCert?: string;
  tlsKey?: string;
  implicitPort?: number;
  requireTls?: boolean;
  logLevel?: LogLevel;
}

const CONFIG_KEYS = new Set([
  'root',
  'host',
  'port',
  'passivePorts',
  'passiveAddress',
  'users',
  'anonymous',
  'tls',
  'tlsCert',
  'tlsKey',
  'implicitPort',
  'requireTls',
  'logLevel',
]);

/** `--anonymous` alone means read-only (parseArgs has no optional values). */
export function normaliseServeArgs(args: readonly string[]): string[] {
  return args.map((a) => (a === '--anonymous' ? '--anonymous=ro' : a));
}

/** Reads and checks a config file. Relative paths in it are relative to the file. */
export function loadServeConfig(file: string): { config: ServeConfig; dir: string } {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(`--config: cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? error}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`--config: ${file} is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new UsageError(`--config: ${file} must hold a JSON object`);
  }
  for (const key of Object.keys(value)) {
    if (!CONFIG_KEYS.has(key)) {
      throw new UsageError(
        `--config: unknown field "${key}" in ${file} (fields: ${[...CONFIG_KEYS].join(', ')})`,
      );
    }
  }
  return { config: value as ServeConfig, dir: dirname(resolve(file)) };
}

function configError(field: string, message: string): never {
  throw new UsageError(`--config: "${field}" ${message}`);
}

/** `NAME:PASSWORD[:ro|:rw]`; the password may contain ":" (add `:rw` to end one that ends in `:ro`). */
export function parseUserSpec(spec: string, what = '--user'): Omit<ServeUser, 'root'> {
  let access: Access = 'rw';
  let rest = spec;
  const suffix = /:(ro|rw)$/.exec(spec);
  if (suffix !== null && spec.indexOf(':') < suffix.index) {
    access = suffix[1] as Access;
    rest = spec.slice(0, suffix.index);
  }
  const colon = rest.indexOf(':');
  const name = colon === -1 ? rest : rest.slice(0, colon);
  const password = colon === -1 ? '' : rest.slice(colon + 1);
  if (colon === -1 || name === '' || password === '') {
    throw new UsageError(`${what} expects NAME:PASSWORD[:ro|:rw], got "${spec.replace(/:.*/, ':…')}"`);
  }
  checkUserName(name, what);
  return { name, password, access };
}

function checkUserName(name: string, what: string): void {
  if (!/^[^\s:/\\\0]{1,64}$/u.test(name)) {
    throw new UsageError(
      `${what}: user name "${name}" must be 1-64 characters without spaces, ":" or slashes`,
    );
  }
  if (/^(anonymous|ftp)$/i.test(name)) {
    throw new UsageError(`${what}: "${name}" is the anonymous login; use --anonymous[=ro|rw] instead`);
  }
}

function parsePortRange(what: string, text: string): { min: number; max: number } {
  const match = /^(\d+)-(\d+)$/.exec(text);
  if (match === null) throw new UsageError(`${what} must be a range A-B (e.g. 50000-50100), got "${text}"`);
  if (Number(match[1]) > Number(match[2])) {
    throw new UsageError(`${what}: the range ${text} is empty (A must not be greater than B)`);
  }
  const min = integer(`${what} start`, match[1]!, 1024, 65_535);
  const max = integer(`${what} end`, match[2]!, 1024, 65_535);
  return { min, max };
}

function access(what: string, text: string): Access {
  if (text === 'ro' || text === 'rw') return text;
  throw new UsageError(`${what} must be ro or rw, got "${text}"`);
}

/** Flags (already parsed) over the config file over the defaults. */
export function resolveServeSettings(values: Parsed['values'], cwd: string): ServeSettings {
  const configFile = str(values, 'config');
  const { config, dir } =
    configFile === undefined
      ? { config: {} as ServeConfig, dir: cwd }
      : loadServeConfig(resolve(cwd, configFile));
  const pick = <T>(flagValue: T | undefined, configValue: T | undefined): T | undefined =>
    flagValue ?? configValue;

  const rootFlag = str(values, 'root');
  if (config.root !== undefined && typeof config.root !== 'string') configError('root', 'must be a string');
  const rootText = pick(
    rootFlag === undefined ? undefined : resolve(cwd, rootFlag),
    config.root === undefined ? undefined : resolve(dir, config.root),
  );

  const hostFlag = str(values, 'host');
  if (config.host !== undefined && (typeof config.host !== 'string' || config.host === ''))
    configError('host', 'must be a host name or IP');
  const host = pick(hostFlag, config.host) ?? '127.0.0.1';
  if (host === '' || /[\s/]/.test(host))
    throw new UsageError(`--host must be a host name or IP address, got "${host}"`);

  const portFlag = str(values, 'port');
  let port: number | undefined;
  if (portFlag !== undefined) port = integer('--port', portFlag, 0, 65_535);
  else if (config.port !== undefined) {
    if (!Number.isInteger(config.port) || config.port < 0 || config.port > 65_535)
      configError('port', 'must be an integer from 0 to 65535');
    port = config.port;
  }

  let passivePorts: ServeSettings['passivePorts'];
  const rangeFlag = str(values, 'passive-ports');
  if (rangeFlag !== undefined) passivePorts = parsePortRange('--passive-ports', rangeFlag);
  else if (config.passivePorts !== undefined) {
    const r = config.passivePorts;
    if (typeof r === 'string') passivePorts = parsePortRange('--config "passivePorts"', r);
    else if (Array.isArray(r) && r.length === 2 && r.every((n) => Number.isInteger(n))) {
      passivePorts = parsePortRange('--config "passivePorts"', `${r[0]}-${r[1]}`);
    } else configError('passivePorts', 'must be "A-B" or [A, B]');
  }

  const passiveAddress = pick(str(values, 'passive-address'), config.passiveAddress);
  if (passiveAddress !== undefined && (typeof passiveAddress !== 'string' || isIP(passiveAddress) === 0)) {
    throw new UsageError(`--passive-address must be an IP address, got "${String(passiveAddress)}"`);
  }

  const userFlags = list(values, 'user');
  let users: ServeUser[];
  if (userFlags.length > 0) users = userFlags.map((spec) => ({ ...parseUserSpec(spec), root: undefined }));
  else {
    if (config.users !== undefined && !Array.isArray(config.users)) configError('users', 'must be an array');
    users = (config.users ?? []).map((u, i) => {
      const what = `--config "users[${i}]"`;
      if (typeof u === 'string') return { ...parseUserSpec(u, what), root: undefined };
      if (typeof u !== 'object' || u === null)
        throw new UsageError(`${what} must be "NAME:PASSWORD[:ro|:rw]" or an object`);
      const extra = Object.keys(u).filter((k) => !['name', 'password', 'access', 'root'].includes(k));
      if (extra.length > 0)
        throw new UsageError(`${what}: unknown field "${extra[0]}" (fields: name, password, access, root)`);
      if (typeof u.name !== 'string') throw new UsageError(`${what}: "name" must be a string`);
      checkUserName(u.name, what);
      if (typeof u.password !== 'string' || u.password === '')
        throw new UsageError(`${what}: "password" must be a non-empty string`);
      if (u.root !== undefined && typeof u.root !== 'string')
        throw new UsageError(`${what}: "root" must be a string`);
      return {
        name: u.name,
        password: u.password,
        access: u.access === undefined ? 'rw' : access(`${what}: "access"`, u.access),
        root: u.root === undefined ? undefined : resolve(dir, u.root),
      };
    });
  }
  const seen = new Set<string>();
  for (const u of users) {
    if (seen.has(u.name)) throw new UsageError(`--user: "${u.name}" is given twice`);
    seen.add(u.name);
  }

  let anonymous: ServeSettings['anonymous'];
  const anonFlag = str(values, 'anonymous');
  if (anonFlag !== undefined) anonymous = access('--anonymous', anonFlag);
  else if (config.anonymous !== undefined) {
    const a = config.anonymous;
    if (a === true) anonymous = 'ro';
    else if (a === false) anonymous = false;
    else if (a === 'ro' || a === 'rw') anonymous = a;
    else configError('anonymous', 'must be true, false, "ro" or "rw"');
  }

  const tlsCert = pick(str(values, 'tls-cert'), config.tlsCert);
  const tlsKey = pick(str(values, 'tls-key'), config.tlsKey);
  if ((tlsCert === undefined) !== (tlsKey === undefined))
    throw new UsageError('--tls-cert and --tls-key go together');
  const implicitFlag = str(values, 'implicit-port');
  let implicitPort: number | undefined;
  if (implicitFlag !== undefined) implicitPort = integer('--implicit-port', implicitFlag, 0, 65_535);
  else if (config.implicitPort !== undefined) {
    if (!Number.isInteger(config.implicitPort) || config.implicitPort < 0 || config.implicitPort > 65_535) {
      configError('implicitPort', 'must be an integer from 0 to 65535');
    }
    implicitPort = config.implicitPort;
  }
  const requireTls = values['require-tls'] === true || config.requireTls === true;
  const tls =
    values.tls === true ||
    config.tls === true ||
    tlsCert !== undefined ||
    implicitPort !== undefined ||
    requireTls;
  if (port !== undefined && implicitPort !== undefined && port === implicitPort && port !== 0) {
    throw new UsageError(`--implicit-port must differ from --port (${port})`);
  }

  const levelText = pick(str(values, 'log-level'), config.logLevel) ?? 'info';
  if (!(LOG_LEVELS as readonly string[]).includes(levelText)) {
    throw new UsageError(`--log-level must be one of ${LOG_LEVELS.join(', ')}, got "${levelText}"`);
  }

  return {
    root: rootText ?? resolve(cwd, DEFAULT_ROOT),
    defaultRoot: rootText === undefined,
    host,
    port,
    passivePorts,
    passiveAddress,
    users,
    anonymous,
    tls,
    tlsCert: tlsCert === undefined ? undefined : resolve(rootFlagBase(values, 'tls-cert', cwd, dir), tlsCert),
    tlsKey: tlsKey === undefined ? undefined : resolve(rootFlagBase(values, 'tls-key', cwd, dir), tlsKey),
    implicitPort,
    requireTls,
    logLevel: levelText as LogLevel,
  };
}

/** Paths from flags are relative to the working directory; from the config file, to its directory. */
function rootFlagBase(values: Parsed['values'], name: string, cwd: string, dir: string): string {
  return str(values, name) === undefined ? dir : cwd;
}
