/**
 * The interop matrix: real peers × transfer scenarios. ftpkit's server driven by curl, lftp and
 * Python's ftplib; ftpkit's client against vsftpd, pyftpdlib, ProFTPD and Pure-FTPd; curl against
 * vsftpd and pyftpdlib as a reference for the peers' own quirks. Each scenario uploads a random file,
 * downloads it back, and compares SHA-256 on the server's disk and locally — plain and explicit
 * FTPS, passive and active.
 *
 * Known peer quirks are part of the matrix, each with the check that it failed the documented way
 * (a refusal that published nothing, a 522) — never a silent pass. Results are `TargetRun`s, so
 * the HTML and JUnit reports show them like transcripts (pairs × scenarios).
 *
 * Repository-only: it starts `@ftpkit/server` and the Debian peers through `@ftpkit/test-utils`
 * (both loaded on demand), and needs /usr/bin/curl, /usr/bin/lftp, /usr/bin/python3, root for the
 * daemons.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCommand } from '../replay/targets.js';
import type { ExchangeEntry, TargetRun, TranscriptResult } from '../result.js';

export type InteropClient = 'curl' | 'lftp' | 'ftplib' | 'ftpkit';
export type InteropServer = 'ftpkit' | 'vsftpd' | 'pyftpdlib' | 'proftpd' | 'pure-ftpd';

export interface Scenario {
  readonly id: string;
  readonly title: string;
  readonly tls: boolean;
  readonly active: boolean;
  /** ftpkit's server only: `requireTlsSessionReuse: false`. */
  readonly noReuse?: boolean;
}

export const SCENARIOS: readonly Scenario[] = [
  {
    id: 'interop/plain-passive',
    title: 'plain FTP, passive: upload + download, SHA-256',
    tls: false,
    active: false,
  },
  {
    id: 'interop/plain-active',
    title: 'plain FTP, active: upload + download, SHA-256',
    tls: false,
    active: true,
  },
  { id: 'interop/ftps-passive', title: 'explicit FTPS + PROT P, passive, SHA-256', tls: true, active: false },
  { id: 'interop/ftps-active', title: 'explicit FTPS + PROT P, active, SHA-256', tls: true, active: true },
  {
    id: 'interop/ftps-passive-no-reuse',
    title: 'explicit FTPS, passive, server with requireTlsSessionReuse: false',
    tls: true,
    active: false,
    noReuse: true,
  },
];

export interface Pair {
  readonly client: InteropClient;
  readonly server: InteropServer;
}

export const PAIRS: readonly Pair[] = [
  { client: 'curl', server: 'ftpkit' },
  { client: 'lftp', server: 'ftpkit' },
  { client: 'ftplib', server: 'ftpkit' },
  { client: 'ftpkit', server: 'vsftpd' },
  { client: 'ftpkit', server: 'pyftpdlib' },
  { client: 'ftpkit', server: 'proftpd' },
  { client: 'ftpkit', server: 'pure-ftpd' },
  { client: 'curl', server: 'vsftpd' },
  { client: 'curl', server: 'pyftpdlib' },
];

export function pairName(pair: Pair): string {
  return `${pair.client} → ${pair.server}`;
}

/** What one scenario saw. */
export interface Observation {
  readonly uploaded: boolean;
  readonly downloaded: boolean;
  /** The upload is on the server's disk with the right SHA-256. */
  readonly serverSha: boolean;
  /** The file exists on the server's disk at all (published). */
  readonly published: boolean;
  /** The downloaded copy has the right SHA-256. */
  readonly localSha: boolean;
  /** What the client printed (stderr, errors), for quirk checks. */
  readonly text: string;
}

interface Quirk {
  readonly text: string;
  /** Undefined when the failure is the documented one; else why it is not. */
  check(o: Observation): string | undefined;
}

const refusedNothingPublished = (o: Observation) =>
  o.uploaded || o.published ? 'the server accepted or published the upload' : undefined;

/** Documented failures, by `client→server/scenario`. */
const QUIRKS: Record<string, Quirk> = {
  'curl→ftpkit/interop/ftps-active': {
    text: 'curl 7.88.1 sends plaintext on ACTIVE-mode FTPS data connections (curl bug #10666, fixed in curl PR #10669). RFC 4217 §9: under PROT P the data connection must be protected; the server refuses it and publishes nothing (checked).',
    check: refusedNothingPublished,
  },
  'ftplib→ftpkit/interop/ftps-passive': {
    text: "stock Python ftplib does not resume the control connection's TLS session on data connections; ftpkit's server requires it by default (RFC 4217 §10 data connection security, vsftpd's require_ssl_reuse) and answers 522 (checked); with requireTlsSessionReuse: false the same client passes.",
    check: (o) => (/\b522\b/.test(o.text) ? refusedNothingPublished(o) : 'no 522 reply seen'),
  },
  'ftplib→ftpkit/interop/ftps-active': {
    text: "stock Python ftplib does not resume TLS sessions on data connections; ftpkit's server requires it by default (RFC 4217 §10) and answers 522 (checked).",
    check: (o) => (/\b522\b/.test(o.text) ? refusedNothingPublished(o) : 'no 522 reply seen'),
  },
  'curl→pyftpdlib/interop/ftps-passive': {
    text: "pyftpdlib 1.5.7 closes a PROT P data connection whose TLS handshake starts before the transfer command, which is curl's order (RFC 4217 §9 leaves the order open): a peer incompatibility, not ftpkit's.",
    check: (o) => (o.uploaded && o.downloaded ? 'curl succeeded' : undefined),
  },
  'curl→pyftpdlib/interop/ftps-active': {
    text: 'curl 7.88.1 sends plaintext on ACTIVE-mode FTPS data connections (curl bug #10666); RFC 4217 §9 requires the protected data connection.',
    check: () => undefined,
  },
  'curl→vsftpd/interop/ftps-active': {
    text: 'curl 7.88.1 sends plaintext on ACTIVE-mode FTPS data connections (curl bug #10666); RFC 4217 §9 requires the protected data connection.',
    check: () => undefined,
  },
};

export interface MatrixOptions {
  readonly pairs?: readonly Pair[];
  readonly scenarios?: readonly Scenario[];
  /** Payload size in bytes. Default 300 000 + a few. */
  readonly size?: number;
  readonly onResult?: (result: TranscriptResult) => void;
}

interface Endpoint {
  readonly name: InteropServer;
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly password: string;
  readonly root: string;
  stop(): Promise<void>;
}

/** Runs the matrix; one `TargetRun` per pair (its results: the scenarios). */
export async function runInteropMatrix(options: MatrixOptions = {}): Promise<TargetRun[]> {
  const pairs = options.pairs ?? PAIRS;
  const scenarios = options.scenarios ?? SCENARIOS;
  const runs: TargetRun[] = [];
  for (const pair of pairs) {
    const results: TranscriptResult[] = [];
    const missing = missingTool(pair);
    for (const scenario of scenarios) {
      let result: TranscriptResult;
      if (missing !== undefined) result = notApplicable(pair, scenario, missing);
      else if (scenario.noReuse === true && pair.server !== 'ftpkit')
        result = notApplicable(pair, scenario, "a setting of ftpkit's server");
      else result = await runScenario(pair, scenario, options.size ?? 300_007);
      results.push(result);
      options.onResult?.(result);
    }
    runs.push({
      target: pairName(pair),
      description: `${pair.client} (client) against ${pair.server} (server)`,
      results,
    });
  }
  return runs;
}

function missingTool(pair: Pair): string | undefined {
  const tools: Record<InteropClient, string | undefined> = {
    curl: '/usr/bin/curl',
    lftp: '/usr/bin/lftp',
    ftplib: '/usr/bin/python3',
    ftpkit: undefined,
  };
  const tool = tools[pair.client];
  if (tool !== undefined && !existsSync(tool)) return `${tool} is not installed`;
  return undefined;
}

function base(pair: Pair, scenario: Scenario) {
  return {
    id: scenario.id,
    title: scenario.title,
    rfc: scenario.tls ? 'RFC 4217 §9 (protected data connections)' : 'RFC 959 §3.2, §5.4 (STOR, RETR)',
    rfcNumber: scenario.tls ? 4217 : 959,
    level: 'MUST' as const,
    target: pairName(pair),
  };
}

function notApplicable(pair: Pair, scenario: Scenario, reason: string): TranscriptResult {
  return { ...base(pair, scenario), status: 'n/a', reason, durationMs: 0, exchange: [] };
}

const sha = (data: Buffer) => createHash('sha256').update(data).digest('hex');

async function runScenario(pair: Pair, scenario: Scenario, size: number): Promise<TranscriptResult> {
  const started = Date.now();
  const log: ExchangeEntry[] = [];
  const note = (kind: ExchangeEntry['kind'], text: string) =>
    log.push({ at: Date.now() - started, kind, text });
  const work = await mkdtemp(join(tmpdir(), 'ftpkit-interop-'));
  const root = join(work, 'root');
  const local = join(work, 'local');
  let endpoint: Endpoint | undefined;
  let observation: Observation | undefined;
  let failure: string | undefined;
  try {
    await Promise.all([mkdirp(root), mkdirp(local)]);
    // vsftpd serves the root as the test account: it must be able to reach it.
    await chmod(work, 0o755);
    const payload = randomBytes(size);
    const source = join(local, 'source.bin');
    const down = join(local, 'down.bin');
    await writeFile(source, payload);
    endpoint = await startServer(pair.server, root, scenario);
    note(
      '*',
      `${pair.server} on ${endpoint.host}:${endpoint.port}; ${pair.client}: upload ${size} bytes, download them back`,
    );
    const remote = `up-${scenario.id.replace(/^interop\//, '')}.bin`;
    const driven = await drive(pair, endpoint, scenario, { source, down, remote, work }, note);
    const onServer = await readFile(join(root, remote)).catch(() => undefined);
    const downloaded = await readFile(down).catch(() => undefined);
    observation = {
      uploaded: driven.uploaded,
      downloaded: driven.downloaded,
      published: onServer !== undefined,
      serverSha: onServer !== undefined && sha(onServer) === sha(payload),
      localSha: downloaded !== undefined && sha(downloaded) === sha(payload),
      text: driven.text,
    };
    note(
      '*',
      `SHA-256: server copy ${onServer === undefined ? 'missing' : observation.serverSha ? 'matches' : 'DIFFERS'}, downloaded copy ${downloaded === undefined ? 'missing' : observation.localSha ? 'matches' : 'DIFFERS'}`,
    );
    if (!(observation.uploaded && observation.downloaded && observation.serverSha && observation.localSha)) {
      failure = !observation.uploaded
        ? 'the upload failed'
        : !observation.serverSha
          ? 'the server copy does not match the upload'
          : !observation.downloaded
            ? 'the download failed'
            : 'the downloaded copy does not match';
    }
  } catch (error) {
    failure = `harness error: ${error instanceof Error ? error.message : String(error)}`;
  } finally {
    await endpoint?.stop().catch(() => {});
    await rm(work, { recursive: true, force: true }).catch(() => {});
  }
  const durationMs = Date.now() - started;
  const quirk = QUIRKS[`${pair.client}→${pair.server}/${scenario.id}`];
  if (failure === undefined) {
    if (quirk !== undefined) note('*', 'a known peer quirk did not show this time');
    return { ...base(pair, scenario), status: 'pass', durationMs, exchange: log };
  }
  note('!', failure);
  const mismatch = quirk === undefined || observation === undefined ? 'no quirk' : quirk.check(observation);
  if (quirk !== undefined && mismatch === undefined) {
    return {
      ...base(pair, scenario),
      status: 'fail',
      reason: failure,
      justification: quirk.text,
      durationMs,
      exchange: log,
    };
  }
  if (quirk !== undefined) note('!', `not the documented quirk: ${mismatch}`);
  return { ...base(pair, scenario), status: 'fail', reason: failure, durationMs, exchange: log };
}

async function mkdirp(path: string): Promise<void> {
  await mkdir(path, { recursive: true });
}

const USER = 'ftpkit';
const PASSWORD = 'ftpkit-interop-secret';

async function startServer(name: InteropServer, root: string, scenario: Scenario): Promise<Endpoint> {
  if (name === 'ftpkit') {
    const { createServer, StaticUserAuthenticator } = await import('@ftpkit/server');
    const server = createServer({
      authenticator: new StaticUserAuthenticator({
        users: [{ username: USER, password: PASSWORD, root }],
        allowPlaintextPasswords: true,
      }),
      tls: true,
      ...(scenario.noReuse === true ? { requireTlsSessionReuse: false } : {}),
    });
    const address = await server.listen();
    return {
      name,
      host: address.host,
      port: address.port,
      user: USER,
      password: PASSWORD,
      root,
      stop: () => server.close({ deadline: 1000 }),
    };
  }
  const { startPeerServer } = await import('@ftpkit/test-utils');
  const peer = await startPeerServer(name, { root, tls: true });
  return {
    name,
    host: peer.host,
    port: peer.port,
    user: peer.user,
    password: peer.password,
    root,
    stop: () => peer.stop(),
  };
}

interface Files {
  readonly source: string;
  readonly down: string;
  readonly remote: string;
  readonly work: string;
}

interface Driven {
  readonly uploaded: boolean;
  readonly downloaded: boolean;
  readonly text: string;
}

type Note = (kind: ExchangeEntry['kind'], text: string) => void;

const LIMIT = 40_000;

async function command(argv: string[], note: Note, shown: string): Promise<{ ok: boolean; text: string }> {
  note('C', shown);
  const outcome = await runCommand(argv, new AbortController().signal, LIMIT);
  const text = `${outcome.stdout}${outcome.stderr}`.trim();
  note('S', `exit ${outcome.exitCode ?? 'killed'}${text === '' ? '' : `: ${text.slice(0, 500)}`}`);
  return { ok: outcome.exitCode === 0, text };
}

function drive(pair: Pair, ep: Endpoint, scenario: Scenario, files: Files, note: Note): Promise<Driven> {
  switch (pair.client) {
    case 'curl':
      return driveCurl(ep, scenario, files, note);
    case 'lftp':
      return driveLftp(ep, scenario, files, note);
    case 'ftplib':
      return driveFtplib(ep, scenario, files, note);
    case 'ftpkit':
      return driveFtpkit(ep, scenario, files, note);
  }
}

async function driveCurl(ep: Endpoint, s: Scenario, f: Files, note: Note): Promise<Driven> {
  const url = `ftp://${ep.host}:${ep.port}/${f.remote}`;
  const common = [
    '-sS',
    // 300 KB on loopback takes milliseconds; a hang is a quirk (curl #10666), not worth waiting for.
    '--max-time',
    '8',
    '--user',
    `${ep.user}:${ep.password}`,
    ...(s.tls ? ['--ssl-reqd', '-k'] : []),
    ...(s.active ? ['-P', '127.0.0.1'] : []),
    // vsftpd 3.0.3 answers 426 to about a quarter of curl's TLS 1.3 uploads; with TLS 1.2 every
    // transfer completes.
    ...(s.tls && ep.name === 'vsftpd' ? ['--tls-max', '1.2'] : []),
  ];
  const flags = `${s.tls ? '--ssl-reqd -k ' : ''}${s.active ? '-P 127.0.0.1 ' : ''}${s.tls && ep.name === 'vsftpd' ? '--tls-max 1.2 ' : ''}`;
  const up = await command(
    ['/usr/bin/curl', ...common, '-T', f.source, url],
    note,
    `curl ${flags}-T source.bin ${url}`,
  );
  const down = await command(
    ['/usr/bin/curl', ...common, '-o', f.down, url],
    note,
    `curl ${flags}-o down.bin ${url}`,
  );
  return { uploaded: up.ok, downloaded: down.ok, text: `${up.text}\n${down.text}` };
}

async function driveLftp(ep: Endpoint, s: Scenario, f: Files, note: Note): Promise<Driven> {
  const settings = [
    'set net:max-retries 1',
    'set net:timeout 10',
    'set cmd:fail-exit true',
    `set ftp:ssl-allow ${s.tls}`,
    `set ftp:ssl-force ${s.tls}`,
    `set ftp:ssl-protect-data ${s.tls}`,
    'set ssl:verify-certificate false',
    `set ftp:passive-mode ${!s.active}`,
    'set ftp:port-ipv4 127.0.0.1',
    `open -u ${ep.user},${ep.password} ftp://${ep.host}:${ep.port}`,
  ];
  const up = await command(
    ['/usr/bin/lftp', '-c', [...settings, `put ${f.source} -o ${f.remote}`].join('; ')],
    note,
    `lftp -c "…ftp:ssl-force ${s.tls}; ftp:passive-mode ${!s.active}…; put source.bin -o ${f.remote}"`,
  );
  const down = await command(
    ['/usr/bin/lftp', '-c', [...settings, `get ${f.remote} -o ${f.down}`].join('; ')],
    note,
    `lftp -c "…; get ${f.remote} -o down.bin"`,
  );
  return { uploaded: up.ok, downloaded: down.ok, text: `${up.text}\n${down.text}` };
}

const FTPLIB_SCRIPT = `
import ftplib, json, ssl, sys
host, port, user, password, tls, active, source, remote, down = sys.argv[1:10]
out = {"uploaded": False, "downloaded": False}
def late(ftp, e):
    # A data-connection failure leaves the transfer's final reply unread on the control connection.
    if not isinstance(e, ftplib.Error):
        try:
            out.setdefault("late", []).append(ftp.getresp())
        except ftplib.all_errors as l:
            out.setdefault("late", []).append(str(l))
if tls == "1":
    ctx = ssl.create_default_context(); ctx.check_hostname = False; ctx.verify_mode = ssl.CERT_NONE
    ftp = ftplib.FTP_TLS(context=ctx, timeout=15)
else:
    ftp = ftplib.FTP(timeout=15)
try:
    ftp.connect(host, int(port)); ftp.login(user, password)
    if tls == "1": ftp.prot_p()
    ftp.set_pasv(active != "1")
    try:
        with open(source, "rb") as f: ftp.storbinary("STOR " + remote, f)
        out["uploaded"] = True
    except ftplib.all_errors as e:
        out.setdefault("errors", []).append(str(e)); late(ftp, e)
    try:
        with open(down, "wb") as f: ftp.retrbinary("RETR " + remote, f.write)
        out["downloaded"] = True
    except ftplib.all_errors as e:
        out.setdefault("errors", []).append(str(e)); late(ftp, e)
    ftp.quit()
except ftplib.all_errors as e:
    out.setdefault("errors", []).append(str(e))
print(json.dumps(out))
`;

async function driveFtplib(ep: Endpoint, s: Scenario, f: Files, note: Note): Promise<Driven> {
  const script = join(f.work, 'ftplib_interop.py');
  await writeFile(script, FTPLIB_SCRIPT);
  const result = await command(
    [
      '/usr/bin/python3',
      script,
      ep.host,
      String(ep.port),
      ep.user,
      ep.password,
      s.tls ? '1' : '0',
      s.active ? '1' : '0',
      f.source,
      f.remote,
      f.down,
    ],
    note,
    `python3 ftplib: ${s.tls ? 'FTP_TLS + prot_p()' : 'FTP'}, set_pasv(${!s.active ? 'True' : 'False'}), storbinary, retrbinary`,
  );
  try {
    const out = JSON.parse(result.text.split('\n').at(-1) ?? '') as {
      uploaded: boolean;
      downloaded: boolean;
      errors?: string[];
      late?: string[];
    };
    return {
      uploaded: out.uploaded,
      downloaded: out.downloaded,
      text: [...(out.errors ?? []), ...(out.late ?? [])].join('\n'),
    };
  } catch {
    return { uploaded: false, downloaded: false, text: result.text };
  }
}

async function driveFtpkit(ep: Endpoint, s: Scenario, f: Files, note: Note): Promise<Driven> {
  const { connect } = await import('@ftpkit/client');
  note(
    'C',
    `@ftpkit/client connect({ secure: ${s.tls}, dataMode: '${s.active ? 'active' : 'passive'}' }), upload, download`,
  );
  let uploaded = false;
  let downloaded = false;
  const errors: string[] = [];
  try {
    const client = await connect({
      host: ep.host,
      port: ep.port,
      user: ep.user,
      password: ep.password,
      secure: s.tls,
      dataMode: s.active ? 'active' : 'passive',
      tls: { rejectUnauthorized: false },
      connectTimeout: 10_000,
      replyTimeout: 15_000,
      keepaliveInterval: 0,
    });
    try {
      await client.upload(f.source, f.remote).then(
        () => {
          uploaded = true;
        },
        (e: unknown) => errors.push(`upload: ${String(e)}`),
      );
      await client.download(f.remote, f.down).then(
        () => {
          downloaded = true;
        },
        (e: unknown) => errors.push(`download: ${String(e)}`),
      );
    } finally {
      await client.close().catch(() => {});
    }
  } catch (error) {
    errors.push(String(error));
  }
  note(
    'S',
    `upload ${uploaded ? 'ok' : 'failed'}, download ${downloaded ? 'ok' : 'failed'}${errors.length > 0 ? `: ${errors.join('; ')}` : ''}`,
  );
  return { uploaded, downloaded, text: errors.join('\n') };
}
