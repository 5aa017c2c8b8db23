/**
 * The benchmark's clients, each run as its own process: curl, lftp, Python's ftplib, basic-ftp and
 * ftpkit's client (the last two through node-client.mjs), and the bare Node client
 * (limits/bare-client.mjs) as Node's floor for small files.
 *
 * Owns: the command lines. FTPS is explicit (AUTH TLS, PROT P) with AES-128-GCM everywhere
 * (TLS 1.3 TLS_AES_128_GCM_SHA256, or ECDHE-…-AES128-GCM-SHA256 on 1.2), so that every figure
 * compares with `openssl speed -evp aes-128-gcm`; certificates are self-signed, so not verified.
 */
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PYTHON } from '@ftpkit/test-utils';
import { runCommand } from '../command.ts';

const here = dirname(fileURLToPath(import.meta.url));

export interface Endpoint {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly password: string;
  readonly tls: boolean;
}

export interface ClientRun {
  readonly seconds: number;
  readonly cpuSeconds: number;
}

export const CLIENT_NAMES = [
  'ftpkit',
  'ftpkit ×4',
  'basic-ftp',
  'basic-ftp ×4',
  'curl',
  'lftp',
  'ftplib',
  'limit: bare Node client',
  'limit: bare Node client ×4',
] as const;
export type ClientName = (typeof CLIENT_NAMES)[number];

const base = (e: Endpoint) =>
  `ftp://${encodeURIComponent(e.user)}:${encodeURIComponent(e.password)}@${e.host}:${e.port}/`;

const CURL_TLS = [
  '--ssl-reqd',
  '--insecure',
  '--tls13-ciphers',
  'TLS_AES_128_GCM_SHA256',
  '--ciphers',
  'ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES128-GCM-SHA256',
];

export interface TransferJob {
  readonly op: 'download' | 'upload';
  /** Remote names to download, or local paths to upload. */
  readonly files: readonly string[];
  /** Appended to an uploaded file's base name (each target writes its own names). */
  readonly uploadSuffix?: string;
  /** Scratch directory for config files. */
  readonly work: string;
  readonly timeoutMs: number;
}

/** One curl process, one control connection, every file on its own data connection. */
export async function curlTransfer(
  e: Endpoint,
  job: TransferJob,
  extra: readonly string[] = [],
): Promise<ClientRun> {
  // A config file keeps 1 000 URLs off the command line; curl reuses the control connection.
  const lines: string[] = [];
  for (const file of job.files) {
    if (job.op === 'download') lines.push(`url = "${base(e)}${file}"`, 'output = "/dev/null"');
    else
      lines.push(`upload-file = "${file}"`, `url = "${base(e)}${basename(file)}${job.uploadSuffix ?? ''}"`);
  }
  const config = join(job.work, `curl-${process.hrtime.bigint()}.conf`);
  writeFileSync(config, `${lines.join('\n')}\n`);
  const result = await runCommand(
    'curl',
    [
      '--silent',
      '--show-error',
      '--fail',
      '--ftp-pasv',
      ...(e.tls ? CURL_TLS : []),
      ...extra,
      '--config',
      config,
    ],
    { timeoutMs: job.timeoutMs },
  );
  return { seconds: result.seconds, cpuSeconds: result.cpuSeconds };
}

/** curl with `--parallel`: one connection per URL, `max` at a time (the concurrency scenario). */
export async function curlParallel(
  e: Endpoint,
  files: readonly string[],
  max: number,
  work: string,
  timeoutMs: number,
) {
  return curlTransfer(e, { op: 'download', files, work, timeoutMs }, [
    '--parallel',
    '--parallel-max',
    String(max),
  ]);
}

const basename = (path: string) => path.slice(path.lastIndexOf('/') + 1);

export async function lftpTransfer(e: Endpoint, job: TransferJob): Promise<ClientRun> {
  const commands = [
    'set cmd:fail-exit yes',
    'set net:max-retries 1',
    'set net:reconnect-interval-base 1',
    'set ftp:passive-mode yes',
    'set xfer:clobber yes',
    ...(e.tls
      ? ['set ftp:ssl-force yes', 'set ftp:ssl-protect-data yes', 'set ssl:verify-certificate no']
      : ['set ftp:ssl-allow no']),
    `open -u '${e.user}','${e.password}' -p ${e.port} ${e.host}`,
  ];
  for (const file of job.files) {
    if (job.op === 'download') commands.push(`get ${file} -o /dev/null`);
    else commands.push(`put ${file} -o ${basename(file)}${job.uploadSuffix ?? ''}`);
  }
  commands.push('bye');
  const script = join(job.work, `lftp-${process.hrtime.bigint()}.lftp`);
  writeFileSync(script, `${commands.join('\n')}\n`);
  const result = await runCommand('lftp', ['-f', script], {
    timeoutMs: job.timeoutMs,
    env: { ...process.env, HOME: job.work },
  });
  return { seconds: result.seconds, cpuSeconds: result.cpuSeconds };
}

interface ChildReport {
  readonly seconds: number;
  readonly cpu: number;
}

/** Python's ftplib: one session; seconds as measured inside (from connect to QUIT). */
export async function ftplibTransfer(e: Endpoint, job: TransferJob): Promise<ClientRun> {
  const task = { ...e, op: job.op, files: job.files, uploadSuffix: job.uploadSuffix ?? '' };
  const result = await runCommand(PYTHON, [join(here, 'ftplib-client.py'), JSON.stringify(task)], {
    timeoutMs: job.timeoutMs,
  });
  const report = JSON.parse(result.stdout.trim().split('\n').pop()!) as ChildReport;
  return { seconds: report.seconds, cpuSeconds: report.cpu };
}

export async function ftplibListings(
  e: Endpoint,
  verb: 'LIST' | 'MLSD',
  path: string,
  repeat: number,
  timeoutMs: number,
): Promise<{ listings: number[]; bytes: number }> {
  const task = { ...e, op: 'list', verb, path, repeat };
  const result = await runCommand(PYTHON, [join(here, 'ftplib-client.py'), JSON.stringify(task)], {
    timeoutMs,
  });
  return JSON.parse(result.stdout.trim().split('\n').pop()!) as { listings: number[]; bytes: number };
}

/** ftpkit's client or basic-ftp in a Node child; seconds as measured inside (connect to close). */
export async function nodeTransfer(
  client: 'ftpkit' | 'basic-ftp',
  parallel: number,
  e: Endpoint,
  job: TransferJob,
  nodeArgs: readonly string[] = [],
): Promise<ClientRun> {
  const task = { client, parallel, ...e, op: job.op, files: job.files, uploadSuffix: job.uploadSuffix ?? '' };
  const result = await runCommand(
    process.execPath,
    [
      ...nodeArgs,
      // Plain JavaScript on @ftpkit/client's build (dist), as users run it (see node-client.mjs).
      join(here, 'node-client.mjs'),
      JSON.stringify(task),
    ],
    { timeoutMs: job.timeoutMs, cwd: join(here, '..', '..') },
  );
  const report = JSON.parse(result.stdout.trim().split('\n').pop()!) as ChildReport;
  return { seconds: report.seconds, cpuSeconds: report.cpu };
}

/** ftpkit's client or basic-ftp listing `path` (parsed) `repeat` times; the median listing. */
export async function nodeListing(
  client: 'ftpkit' | 'basic-ftp',
  e: Endpoint,
  path: string,
  repeat: number,
  timeoutMs: number,
): Promise<ClientRun & { entries: number }> {
  const task = { client, parallel: 1, ...e, op: 'list', files: [path], repeat };
  const result = await runCommand(process.execPath, [join(here, 'node-client.mjs'), JSON.stringify(task)], {
    timeoutMs,
    cwd: join(here, '..', '..'),
  });
  const report = JSON.parse(result.stdout.trim().split('\n').pop()!) as ChildReport & { bytes: number };
  return { seconds: report.seconds, cpuSeconds: report.cpu, entries: report.bytes };
}

/** The bare Node client (limits/bare-client.mjs), `parallel` connections; timed like nodeTransfer. */
export async function bareNodeTransfer(parallel: number, e: Endpoint, job: TransferJob): Promise<ClientRun> {
  const task = { parallel, ...e, op: job.op, files: job.files, uploadSuffix: job.uploadSuffix ?? '' };
  const result = await runCommand(
    process.execPath,
    [join(here, '..', 'limits', 'bare-client.mjs'), JSON.stringify(task)],
    {
      timeoutMs: job.timeoutMs,
    },
  );
  const report = JSON.parse(result.stdout.trim().split('\n').pop()!) as ChildReport;
  return { seconds: report.seconds, cpuSeconds: report.cpu };
}

export function runClient(name: ClientName, e: Endpoint, job: TransferJob): Promise<ClientRun> {
  switch (name) {
    case 'ftpkit':
      return nodeTransfer('ftpkit', 1, e, job);
    case 'ftpkit ×4':
      return nodeTransfer('ftpkit', 4, e, job);
    case 'basic-ftp':
      return nodeTransfer('basic-ftp', 1, e, job);
    case 'basic-ftp ×4':
      return nodeTransfer('basic-ftp', 4, e, job);
    case 'curl':
      return curlTransfer(e, job);
    case 'lftp':
      return lftpTransfer(e, job);
    case 'ftplib':
      return ftplibTransfer(e, job);
    case 'limit: bare Node client':
      return bareNodeTransfer(1, e, job);
    case 'limit: bare Node client ×4':
      return bareNodeTransfer(4, e, job);
  }
}
