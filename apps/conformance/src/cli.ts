#!/usr/bin/env node
/**
 * ftpkit-conformance: replay the transcript corpus against any FTP server or client.
 *
 *   ftpkit-conformance server ftp://user:pass@host:port [--tls explicit|implicit] [--filter ...] [--report DIR]
 *   ftpkit-conformance client --command "curl -s -o {local} {url}" [--filter ...] [--report DIR]
 *   ftpkit-conformance client --target ftpkit|curl [--filter ...] [--report DIR]
 *   ftpkit-conformance list [--filter ...]
 *
 * Exit status: 0 when no MUST transcript failed without a justification, 1 otherwise, 2 on usage errors.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { filterTranscripts, loadCorpus } from './corpus.js';
import { replayAgainstClient } from './replay/client.js';
import { replayAgainstServer, type ServerTarget, type TlsMode } from './replay/server.js';
import {
  type ClientTarget,
  commandTarget,
  curlTarget,
  ftpkitTarget,
  parseCommandOptions,
} from './replay/targets.js';
import { formatHtml, type HtmlSection } from './report/html.js';
import { formatJUnit } from './report/junit.js';
import { formatSummary } from './report/terminal.js';
import { counts, type TargetRun, unjustifiedMustFailures } from './result.js';

const USAGE = `usage:
  ftpkit-conformance server ftp://user:pass@host:port [options]
  ftpkit-conformance client --command TEMPLATE [--command OP=TEMPLATE ...] [options]
  ftpkit-conformance client --target ftpkit|curl [options]
  ftpkit-conformance matrix --report DIR   (from the repository: ftpkit, vsftpd, pyftpdlib, proftpd, pure-ftpd, curl, lftp, ftplib)
  ftpkit-conformance list [--filter ...]

client direction (the suite plays a scripted server; TEMPLATE runs once per transcript, no shell):
  --command TEMPLATE        e.g. "curl -sS -o {local} {url}"; OP=TEMPLATE for one operation
                            (download, upload, list). Placeholders: {host} {port} {user} {password}
                            {path} {url} {local} {ca_file} {operation} {timeout}; {tls?WORDS}
                            {active?WORDS} {resume?WORDS} expand to WORDS only for such operations
  --target ftpkit|curl      built-in targets: @ftpkit/client in-process, or /usr/bin/curl

options:
  --tls explicit|implicit   explicit: @login negotiates AUTH TLS, PBSZ 0, PROT P; implicit: TLS from the first byte
  --filter TERMS            comma-separated: id substring, tag, level (MUST, SHOULD, SECURITY), rfcNNNN; !TERM excludes
  --report DIR              write DIR/junit.xml and DIR/index.html
  --name NAME               the target's name in reports and for justifications (default: host:port)
  --ca FILE                 PEM file of the CA (or self-signed certificate) to trust
  --insecure                do not verify the server's certificate
  --read-only               the account cannot write (transcripts that need writing are not applicable)
  --step-timeout MS         longest wait for one step (default 10000)
  --concurrency N           transcripts run at once (default 4)
  --foreign-address IP      a second local address for "foreign" data connections (default 127.0.0.2 for loopback targets)
  --corpus DIR              transcripts to use instead of the bundled corpus
  --verbose                 list passed and not-applicable transcripts too
  --no-color`;

export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

/** Runs the CLI; resolves with the exit status. Exported for tests. */
export async function main(argv: readonly string[], io: CliIo = defaultIo): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    io.stderr(`${(error as Error).message}\n${USAGE}\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  const [command, url] = positionals;
  let transcripts: ReturnType<typeof loadCorpus>;
  try {
    transcripts = filterTranscripts(loadCorpus(values.corpus), values.filter);
  } catch (error) {
    io.stderr(`${(error as Error).message}\n`);
    return 2;
  }
  if (command === 'list') {
    for (const t of transcripts) io.stdout(`${t.id}\t${t.level}\t${t.rfc}\t${t.title}\n`);
    io.stdout(`${transcripts.length} transcripts\n`);
    return 0;
  }
  if (command === 'matrix') {
    const { runFullMatrix } = await import('./interop/full-report.js');
    const numbers = options(values, 4);
    const sections = await runFullMatrix(transcripts, {
      ...(numbers === undefined ? {} : { stepTimeout: numbers.stepTimeout }),
      progress: (text) => io.stderr(`${text}\n`),
    });
    return finish(
      sections.flatMap((s) => s.runs),
      values,
      io,
      sections,
    );
  }
  if (command === 'client') {
    let target: ClientTarget;
    try {
      target = clientTarget(values);
    } catch (error) {
      io.stderr(`${(error as Error).message}\n${USAGE}\n`);
      return 2;
    }
    const numbers = options(values, 2);
    if (numbers === undefined) {
      io.stderr('--concurrency and --step-timeout take positive integers\n');
      return 2;
    }
    const run = await replayAgainstClient(transcripts, target, numbers);
    return finish([run], values, io);
  }
  if (command !== 'server' || url === undefined) {
    io.stderr(`${USAGE}\n`);
    return 2;
  }
  let target: ServerTarget;
  try {
    target = targetFromUrl(url, values);
  } catch (error) {
    io.stderr(`${(error as Error).message}\n`);
    return 2;
  }
  const numbers = options(values, 4);
  if (numbers === undefined) {
    io.stderr('--concurrency and --step-timeout take positive integers\n');
    return 2;
  }
  const run = await replayAgainstServer(transcripts, target, {
    ...numbers,
    ...(values['foreign-address'] === undefined ? {} : { foreignAddress: values['foreign-address'] }),
  });
  return finish([run], values, io);
}

function options(
  values: Values,
  defaultConcurrency: number,
): { concurrency: number; stepTimeout: number } | undefined {
  const concurrency = Number(values.concurrency ?? defaultConcurrency);
  const stepTimeout = Number(values['step-timeout'] ?? 10_000);
  if (
    !Number.isInteger(concurrency) ||
    concurrency < 1 ||
    !Number.isInteger(stepTimeout) ||
    stepTimeout < 1
  ) {
    return undefined;
  }
  return { concurrency, stepTimeout };
}

/** `--target ftpkit|curl` or `--command TEMPLATE` (repeatable, `OP=TEMPLATE`), named by `--name`. */
export function clientTarget(values: Values): ClientTarget {
  const commands = values.command ?? [];
  if (values.target !== undefined && commands.length > 0)
    throw new Error('give --target or --command, not both');
  let target: ClientTarget;
  if (values.target === 'ftpkit') target = ftpkitTarget();
  else if (values.target === 'curl') target = curlTarget();
  else if (values.target !== undefined) throw new Error('--target takes ftpkit or curl');
  else if (commands.length === 0) throw new Error('client: give --command TEMPLATE or --target ftpkit|curl');
  else {
    const templates = parseCommandOptions(commands);
    target = commandTarget(values.name ?? commands[0]!.replace(/^\w+=/, '').split(/\s+/)[0]!, templates);
  }
  return values.name === undefined ? target : { ...target, name: values.name };
}

function finish(runs: TargetRun[], values: Values, io: CliIo, sections?: HtmlSection[]): number {
  io.stdout(
    `${formatSummary(runs, { color: values['no-color'] !== true && process.stdout.isTTY === true, verbose: values.verbose === true })}\n`,
  );
  if (values.report !== undefined) {
    mkdirSync(values.report, { recursive: true });
    writeFileSync(join(values.report, 'junit.xml'), formatJUnit(runs));
    writeFileSync(
      join(values.report, 'index.html'),
      formatHtml(
        runs,
        sections === undefined
          ? {}
          : { sections, title: 'ftpkit conformance and interop matrix', exchanges: 'failures' },
      ),
    );
    io.stdout(`reports: ${join(values.report, 'junit.xml')}, ${join(values.report, 'index.html')}\n`);
  }
  const failedMust = runs.flatMap(unjustifiedMustFailures);
  const total = counts(runs.flatMap((r) => r.results));
  return failedMust.length > 0 || (total.passed === 0 && total.failed > 0) ? 1 : 0;
}

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      tls: { type: 'string' },
      command: { type: 'string', multiple: true },
      target: { type: 'string' },
      filter: { type: 'string' },
      report: { type: 'string' },
      name: { type: 'string' },
      ca: { type: 'string' },
      insecure: { type: 'boolean' },
      'read-only': { type: 'boolean' },
      'step-timeout': { type: 'string' },
      concurrency: { type: 'string' },
      'foreign-address': { type: 'string' },
      corpus: { type: 'string' },
      verbose: { type: 'boolean' },
      'no-color': { type: 'boolean' },
    },
  });
}

type Values = ReturnType<typeof parse>['values'];

export function targetFromUrl(url: string, values: Values): ServerTarget {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`not a URL: ${url} (want ftp://user:pass@host:port)`);
  }
  if (parsed.protocol !== 'ftp:' && parsed.protocol !== 'ftps:')
    throw new Error('the URL must start with ftp:// or ftps://');
  const tls = (values.tls ?? (parsed.protocol === 'ftps:' ? 'implicit' : 'none')) as TlsMode;
  if (tls !== 'none' && tls !== 'explicit' && tls !== 'implicit')
    throw new Error('--tls takes explicit or implicit');
  const host = parsed.hostname.replace(/^\[|\]$/g, '');
  const port = parsed.port === '' ? (tls === 'implicit' ? 990 : 21) : Number(parsed.port);
  return {
    name: values.name ?? `${host}:${port}`,
    host,
    port,
    user: parsed.username === '' ? 'anonymous' : decodeURIComponent(parsed.username),
    password: parsed.password === '' ? 'anonymous@' : decodeURIComponent(parsed.password),
    tls,
    ...(values.ca === undefined ? {} : { ca: readFileSync(values.ca, 'utf8') }),
    ...(values.insecure === true ? { rejectUnauthorized: false } : {}),
    ...(values['read-only'] === true ? { writable: false } : {}),
  };
}

const defaultIo: CliIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
};

// Run when executed directly (the bin, or `node dist/cli.js`), not when imported by tests.
const invoked = process.argv[1] ?? '';
if (/cli\.(js|ts)$/.test(invoked) || invoked.endsWith('ftpkit-conformance')) {
  main(process.argv.slice(2)).then(
    (status) => {
      // Exit explicitly: a remote target may leave a data socket half-closed, and the summary is written.
      process.exitCode = status;
      setTimeout(() => process.exit(status), 100).unref();
    },
    (error: unknown) => {
      process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
      process.exit(2);
    },
  );
}
