/**
 * Client targets: what performs a client transcript's operation against the replayer's scripted
 * server. A command template (`curl -s -o {local} {url}`) run once per transcript without a
 * shell, the built-in `curl` templates, or ftpkit's own client (`@ftpkit/client`) in-process.
 *
 * Owns: placeholder expansion, running a command with a hard limit (killing only the process
 * group it started), and the outcome (exit status, output) the transcript's `@outcome` checks.
 */
import { spawn } from 'node:child_process';
import { stat } from 'node:fs/promises';
import type { ClientOperation } from '../format/types.js';

/** Everything a client needs to perform one operation; also the command placeholders. */
export interface Invocation {
  readonly operation: ClientOperation;
  readonly host: string;
  readonly port: number;
  /** The local file: where a download goes, what an upload sends. */
  readonly local: string;
  /** The PEM certificate of the scripted server (self-signed), as a file. */
  readonly caFile: string;
  /** The replayer's step timeout, a bound for the client's own timeouts. */
  readonly timeout: number;
}

export interface ClientOutcome {
  /** 0 for success. null: killed (timeout, or the transcript already failed). */
  readonly exitCode: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface ClientTarget {
  /** Shown in reports and matched against `justification:` entries. */
  readonly name: string;
  readonly description: string;
  /** Why this target cannot perform `operation` (not applicable), or undefined. */
  unsupported(operation: ClientOperation): string | undefined;
  run(invocation: Invocation, signal: AbortSignal): Promise<ClientOutcome>;
}

/** Placeholder values of a command template (documented in README.md and FORMAT.md). */
export function placeholders(inv: Invocation): Map<string, string> {
  const op = inv.operation;
  const path = op.path;
  const encodedPath = path
    .split('/')
    .map((segment) => encodeURIComponent(segment))
    .join('/');
  const listing = op.name === 'list' && path !== '' && !path.endsWith('/') ? '/' : '';
  const auth = `${encodeURIComponent(op.user)}:${encodeURIComponent(op.password)}`;
  return new Map([
    ['host', inv.host],
    ['port', String(inv.port)],
    ['user', op.user],
    ['password', op.password],
    ['path', path],
    ['url', `ftp://${auth}@${inv.host}:${inv.port}/${encodedPath}${listing}`],
    ['local', inv.local],
    ['ca_file', inv.caFile],
    ['operation', op.name],
    ['tls', op.tls ? '1' : ''],
    ['active', op.active ? '1' : ''],
    ['resume', op.resume ? '1' : ''],
    ['timeout', String(Math.ceil(inv.timeout / 1000))],
  ]);
}

/** Splits a template into words: whitespace separates, '…' and "…" quote, no shell. */
export function splitWords(text: string): string[] {
  const words: string[] = [];
  let current = '';
  let inWord = false;
  let quote: string | undefined;
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote !== undefined) {
      if (c === quote) quote = undefined;
      else current += c;
      continue;
    }
    // A {cond?text} placeholder is one word even with spaces inside.
    if (c === '{') depth++;
    if (c === '}') depth = Math.max(0, depth - 1);
    if (depth === 0 && (c === '"' || c === "'")) {
      quote = c;
      inWord = true;
    } else if (depth === 0 && /\s/.test(c)) {
      if (inWord) words.push(current);
      current = '';
      inWord = false;
    } else {
      current += c;
      inWord = true;
    }
  }
  if (quote !== undefined) throw new Error(`unclosed ${quote} in the command template`);
  if (inWord) words.push(current);
  return words;
}

/**
 * Expands one command template into argv. `{name}` is a placeholder's value; a word that is a
 * whole `{name?text}` becomes the words of `text` when the placeholder is set and non-empty,
 * and disappears otherwise (`{tls?--ssl-reqd -k}`). Unknown placeholders are an error.
 */
export function expandCommand(template: string, values: ReadonlyMap<string, string>): string[] {
  const value = (name: string): string => {
    const v = values.get(name);
    if (v === undefined) throw new Error(`unknown placeholder {${name}} in the command template`);
    return v;
  };
  const substitute = (word: string) => word.replace(/\{([a-z_]+)\}/g, (_, name: string) => value(name));
  const argv: string[] = [];
  for (const word of splitWords(template)) {
    const conditional = /^\{([a-z_]+)\?(.*)\}$/s.exec(word);
    if (conditional !== null) {
      if (value(conditional[1]!) !== '') argv.push(...splitWords(conditional[2]!).map(substitute));
      continue;
    }
    argv.push(substitute(word));
  }
  if (argv.length === 0) throw new Error('the command template is empty');
  return argv;
}

/**
 * Templates per operation: `{ default?: string, download?: string, ... }`. An operation without
 * its own template uses `default`; with neither, its transcripts are not applicable.
 */
export type CommandTemplates = Readonly<Partial<Record<ClientOperation['name'] | 'default', string>>>;

/** `--command "TEMPLATE"` or `--command "upload=TEMPLATE"`, repeatable. */
export function parseCommandOptions(options: readonly string[]): CommandTemplates {
  const out: Record<string, string> = {};
  for (const option of options) {
    const match = /^(download|upload|list)=(.*)$/s.exec(option);
    if (match === null) out.default = option;
    else out[match[1]!] = match[2]!;
  }
  return out;
}

export function commandTarget(name: string, templates: CommandTemplates): ClientTarget {
  const shown = Object.entries(templates)
    .map(([op, t]) => (op === 'default' ? t : `${op}=${t}`))
    .join(' ; ');
  return {
    name,
    description: shown,
    unsupported(operation) {
      return (templates[operation.name] ?? templates.default) === undefined
        ? `no command template for ${operation.name}`
        : undefined;
    },
    async run(inv, signal) {
      const template = templates[inv.operation.name] ?? templates.default!;
      const argv = expandCommand(template, placeholders(inv));
      return runCommand(argv, signal, inv.timeout * 4);
    },
  };
}

/** Spawns argv[0] in its own process group; kills that group (only) on abort or after `limit` ms. */
export function runCommand(
  argv: readonly string[],
  signal: AbortSignal,
  limit: number,
): Promise<ClientOutcome> {
  return new Promise((resolve) => {
    let stdout = '';
    let stderr = '';
    const child = spawn(argv[0]!, argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const kill = () => {
      if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          child.kill('SIGKILL');
        }
      }
    };
    const timer = setTimeout(kill, limit);
    signal.addEventListener('abort', kill, { once: true });
    const cap = (text: string, chunk: Buffer) =>
      text.length > 1_000_000 ? text : text + chunk.toString('utf8');
    child.stdout.on('data', (c: Buffer) => {
      stdout = cap(stdout, c);
    });
    child.stderr.on('data', (c: Buffer) => {
      stderr = cap(stderr, c);
    });
    child.on('error', (error) => {
      clearTimeout(timer);
      resolve({ exitCode: 127, stdout, stderr: `${stderr}cannot run ${argv[0]}: ${error.message}` });
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      signal.removeEventListener('abort', kill);
      resolve({ exitCode: code, stdout, stderr });
    });
  });
}

/**
 * curl (7.x, 8.x). `--ftp-pasv` is curl's default; `-P {host}` makes it active (EPRT/PORT);
 * `-C -` resumes from the local file's size (REST); `--ssl-reqd` is explicit FTPS (curl tries
 * `AUTH SSL` before `AUTH TLS`). `-k`: the scripted server's certificate is self-signed.
 */
export const CURL_TEMPLATES: CommandTemplates = {
  download:
    'curl -sS --max-time {timeout} {tls?--ssl-reqd -k} {active?-P {host}} {resume?-C -} -o {local} {url}',
  upload: 'curl -sS --max-time {timeout} {tls?--ssl-reqd -k} {active?-P {host}} -T {local} {url}',
  list: 'curl -sS --max-time {timeout} {tls?--ssl-reqd -k} {active?-P {host}} {url}',
};

export function curlTarget(binary = '/usr/bin/curl'): ClientTarget {
  const templates = Object.fromEntries(
    Object.entries(CURL_TEMPLATES).map(([op, t]) => [op, t!.replace(/^curl\b/, binary)]),
  );
  return { ...commandTarget('curl', templates), name: 'curl' };
}

/**
 * ftpkit's own client, in this process: `connect`, then `download` (with `start` = the local
 * file's size when resuming), `upload` or `list` (names printed one per line), `close`.
 */
export function ftpkitTarget(): ClientTarget {
  return {
    name: 'ftpkit',
    description: '@ftpkit/client (in-process)',
    unsupported: () => undefined,
    async run(inv, signal) {
      // Loaded lazily: the server direction and `list` never need the client package.
      const { connect } = await import('@ftpkit/client');
      const op = inv.operation;
      let out = '';
      try {
        const client = await connect({
          host: inv.host,
          port: inv.port,
          user: op.user,
          password: op.password,
          secure: op.tls,
          dataMode: op.active ? 'active' : 'passive',
          tls: { rejectUnauthorized: false },
          connectTimeout: inv.timeout,
          replyTimeout: inv.timeout,
          dataTimeout: inv.timeout,
          keepaliveInterval: 0,
        });
        try {
          if (op.name === 'download') {
            const start = op.resume
              ? await stat(inv.local).then(
                  (s) => s.size,
                  () => 0,
                )
              : 0;
            await client.download(op.path, inv.local, { signal, ...(start > 0 ? { start } : {}) });
          } else if (op.name === 'upload') {
            await client.upload(inv.local, op.path, { signal });
          } else {
            const listing = await client.list(op.path === '' ? undefined : op.path, { signal });
            out = listing.entries.map((e: { name: string }) => `${e.name}\n`).join('');
          }
        } finally {
          await client.close().catch(() => {});
        }
        return { exitCode: 0, stdout: out, stderr: '' };
      } catch (error) {
        return { exitCode: 1, stdout: out, stderr: error instanceof Error ? error.message : String(error) };
      }
    },
  };
}
