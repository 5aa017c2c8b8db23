/**
 * The issue's scenarios, each a function from a config to a ScenarioResult.
 *
 * Owns: which targets run side by side in each scenario, how each is measured, and which of the
 * issue's targets each scenario checks. Servers of a scenario all run at once (each on its own
 * port, each with its own root of hard links into one tmpfs pool) and are stopped at its end.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import { dirname, join } from 'node:path';
import tls from 'node:tls';
import { fileURLToPath } from 'node:url';
import {
  type ClientName,
  curlParallel,
  curlTransfer,
  type Endpoint,
  ftplibListings,
  ftplibTransfer,
  nodeListing,
  runClient,
} from './clients/index.ts';
import { runCommand } from './command.ts';
import { type BenchConfig, formatBytes } from './config.ts';
import { createDataSet, type DataSet, writeFile } from './data.ts';
import {
  bestPeer,
  type Check,
  formatNumber,
  median,
  ratios,
  runRounds,
  type Sample,
  type ScenarioResult,
  type Target,
  type TargetResult,
} from './harness.ts';
import { iperf3Available, iperf3Target, nodePipeTarget, opensslSpeed } from './limits/index.ts';
import { CpuMeter, groupPssBytes, groupRssBytes } from './proc.ts';
import {
  type BenchServer,
  SERVER_NAMES,
  type ServerName,
  serverUnavailable,
  startBareNodeServer,
  startBenchServer,
} from './servers/index.ts';

const here = dirname(fileURLToPath(import.meta.url));
const GB = 1e9;

export interface ScenarioContext {
  readonly config: BenchConfig;
  /** Scratch space for client config files (not tmpfs data). */
  readonly work: string;
  readonly log: (line: string) => void;
}

export interface Scenario {
  readonly id: string;
  readonly title: string;
  run(ctx: ScenarioContext): Promise<ScenarioResult[]>;
}

// ---------------------------------------------------------------------------------------------
// Helpers

function serverNames(ctx: ScenarioContext, exclude: readonly ServerName[] = []): ServerName[] {
  const wanted = ctx.config.servers ?? SERVER_NAMES;
  return wanted.filter((name) => !exclude.includes(name));
}

interface Started {
  readonly servers: BenchServer[];
  readonly notes: string[];
}

/** Starts every available server of `names` on its own root; failures become notes. */
async function startServers(
  ctx: ScenarioContext,
  names: readonly ServerName[],
  data: DataSet,
  tlsOn: boolean,
  /** Also start the bare Node FTP server (a limit) when ftpkit runs: small files and listings. */
  bareNode = false,
): Promise<Started> {
  const servers: BenchServer[] = [];
  const notes: string[] = [];
  if (bareNode && names.includes('ftpkit')) {
    try {
      servers.push(await startBareNodeServer(data.rootFor('ftpkit')));
      notes.push(
        "limit: bare Node server is apps/bench/src/limits/bare-server.mjs: the least a Node process can do to serve these commands (plain `net`, no checks, no path resolution, one passive listener per session, files read synchronously), as Node's floor beside ftpkit's figure.",
      );
    } catch (error) {
      notes.push(`bare Node server did not start: ${(error as Error).message.split('\n')[0]}`);
    }
  }
  for (const name of names) {
    const unavailable = serverUnavailable(name);
    if (unavailable !== undefined) {
      notes.push(`${name} not run: ${unavailable}.`);
      continue;
    }
    try {
      const options = {
        root: data.rootFor(name),
        tls: tlsOn,
        ...(name === 'ftpkit' && ctx.config.cpuProfileDir !== undefined
          ? { cpuProfileDir: ctx.config.cpuProfileDir }
          : {}),
      };
      // Daemons that take a port from freePort() can lose it to a client's ephemeral port in
      // between (thousands of sessions make that likely): try again on a fresh port.
      for (let attempt = 1; ; attempt++) {
        try {
          servers.push(await startBenchServer(name, options));
          break;
        } catch (error) {
          if (attempt >= 3 || !/Address already in use|EADDRINUSE/i.test((error as Error).message))
            throw error;
        }
      }
    } catch (error) {
      notes.push(`${name} did not start: ${(error as Error).message.split('\n')[0]}`);
      ctx.log(`  ${name} did not start: ${(error as Error).message.slice(0, 400)}`);
    }
  }
  return { servers, notes };
}

async function stopServers(servers: readonly BenchServer[]): Promise<void> {
  for (const server of servers) await server.stop().catch(() => undefined);
}

const kindOf = (name: string) =>
  name.startsWith('ftpkit')
    ? ('ftpkit' as const)
    : name.startsWith('limit:')
      ? ('limit' as const)
      : ('peer' as const);

function endpoint(server: BenchServer): Endpoint {
  return {
    host: server.host,
    port: server.port,
    user: server.user,
    password: server.password,
    tls: server.tls,
  };
}

/** A server measured by a client run: value from the run's seconds, server CPU from /proc. */
function serverTarget(
  server: BenchServer,
  measure: (round: number) => Promise<{ seconds: number; cpuSeconds: number }>,
  value: (seconds: number) => number,
  after?: (round: number) => void,
): Target {
  return {
    name: server.name,
    kind: kindOf(server.name),
    async run(round) {
      const meter = new CpuMeter(server.pid);
      try {
        const run = await measure(round);
        const serverCpu = meter.stop();
        const sample: Sample = { value: value(run.seconds), seconds: run.seconds, serverCpu };
        return Number.isFinite(run.cpuSeconds) ? { ...sample, clientCpu: run.cpuSeconds } : sample;
      } finally {
        meter.stop();
        after?.(round);
      }
    },
  };
}

function result(
  id: string,
  title: string,
  unit: string,
  higherIsBetter: boolean,
  params: Record<string, string | number>,
  targets: readonly TargetResult[],
  checks: Check[],
  notes: string[],
  started: number,
): ScenarioResult {
  return {
    id,
    title,
    unit,
    higherIsBetter,
    params,
    targets,
    ratios: ratios(targets, higherIsBetter),
    checks,
    notes,
    seconds: (performance.now() - started) / 1000,
  };
}

function ratioTo(targets: readonly TargetResult[], mine: string, other: string, higherIsBetter: boolean) {
  return ratios(targets, higherIsBetter).find((r) => r.ftpkit === mine && r.versus === other)?.median ?? null;
}

/** "≥ factor × the fastest peer" (per-round ratio medians against each peer: the minimum counts). */
function checkAgainstBestPeer(
  label: string,
  targets: readonly TargetResult[],
  higherIsBetter: boolean,
  factor = 1,
  mine = 'ftpkit',
): Check {
  const best = bestPeer(targets, higherIsBetter);
  const own = targets.find((t) => t.name === mine);
  if (best === undefined || own === undefined || own.median === null)
    return { target: label, holds: null, detail: own?.median === null ? 'ftpkit failed' : 'no peer figure' };
  const ratio = ratioTo(targets, mine, best.name, higherIsBetter);
  return {
    target: label,
    holds: ratio !== null && ratio >= factor,
    detail: `${formatNumber(ratio)}× ${best.name} (fastest peer)`,
  };
}

function checkAgainst(
  label: string,
  targets: readonly TargetResult[],
  other: string,
  factor: number,
  higherIsBetter = true,
  mine = 'ftpkit',
): Check {
  const ratio = ratioTo(targets, mine, other, higherIsBetter);
  if (ratio === null) return { target: label, holds: null, detail: `no figure for ${mine} or ${other}` };
  return { target: label, holds: ratio >= factor, detail: `${formatNumber(ratio)}× ${other}` };
}

// ---------------------------------------------------------------------------------------------
// 1 + 2. Server download and upload of one big file, plain and FTPS

function bigFileScenario(op: 'download' | 'upload', tlsOn: boolean): Scenario {
  const id = `server-${op}${tlsOn ? '-tls' : ''}`;
  const verb = op === 'download' ? 'RETR' : 'STOR';
  const title = `Server ${verb} of one big file with curl${tlsOn ? ', explicit FTPS (PROT P)' : ', plain'}`;
  return {
    id,
    title,
    async run(ctx) {
      const started = performance.now();
      const { config } = ctx;
      const data = await createDataSet(id);
      writeFile(join(data.pool, 'big.bin'), config.bigBytes);
      // pyftpdlib resets a PROT P data connection whose TLS hello precedes the RETR/STOR, and curl
      // sends the hello as soon as it connects: the pair cannot do FTPS (client README, interop notes).
      const exclude: ServerName[] = tlsOn ? ['pyftpdlib'] : [];
      const { servers, notes } = await startServers(ctx, serverNames(ctx, exclude), data, tlsOn);
      if (tlsOn && (ctx.config.servers ?? SERVER_NAMES).includes('pyftpdlib'))
        notes.push(
          'pyftpdlib not run: it resets PROT P data connections whose TLS hello comes before RETR/STOR, as curl sends it.',
        );
      try {
        const gbps = (seconds: number) => config.bigBytes / seconds / GB;
        const targets: Target[] = servers.map((server) =>
          serverTarget(
            server,
            (round) =>
              curlTransfer(endpoint(server), {
                op,
                files: op === 'download' ? ['big.bin'] : [join(data.pool, 'big.bin')],
                uploadSuffix: `.up${round}`,
                work: ctx.work,
                timeoutMs: config.sampleTimeoutMs,
              }),
            gbps,
            (round) => {
              if (op === 'upload') {
                rmSync(join(server.root, `big.bin.up${round}`), { force: true });
                // ftpkit's atomic uploads and pure-ftpd's partial files use temp names.
              }
            },
          ),
        );
        if (op === 'download') {
          targets.push(
            nodePipeTarget(
              join(data.pool, 'big.bin'),
              config.bigBytes,
              tlsOn,
              config.sampleTimeoutMs,
              'node-sends',
              ctx.work,
            ),
          );
          if (!tlsOn && iperf3Available()) targets.push(iperf3Target(config.iperfSeconds));
        }
        const results = await runRounds(targets, {
          rounds: config.rounds,
          warmup: config.warmup,
          log: ctx.log,
        });
        const checks: Check[] = [
          checkAgainstBestPeer(
            `${verb}${tlsOn ? ' FTPS' : ''}: ≥ 1.0× the fastest peer server`,
            results,
            true,
          ),
        ];
        if (op === 'download' && !tlsOn)
          checks.push(
            checkAgainst(
              'plain RETR: ≥ 80% of iperf3 single-stream loopback',
              results,
              'limit: iperf3 (1 stream)',
              0.8,
            ),
          );
        if (op === 'download')
          checks.push(
            tlsOn
              ? checkAgainst(
                  'data path FTPS: ≥ 80% of the bare Node tls pipe',
                  results,
                  'limit: Node tls pipe',
                  0.8,
                )
              : checkAgainst(
                  'data path plain: ≥ 90% of the bare Node net pipe',
                  results,
                  'limit: Node net pipe',
                  0.9,
                ),
          );
        if (tlsOn) {
          const speed = opensslSpeed(2);
          if (speed !== null)
            notes.push(
              `openssl speed -evp aes-128-gcm (16 KiB blocks, one core): ${formatNumber(speed)} GB/s.`,
            );
        }
        notes.push(
          'curl -o /dev/null (or -T from tmpfs), passive, binary; one curl process per sample; FTPS ciphers: AES-128-GCM.',
        );
        return [
          result(
            id,
            title,
            'GB/s',
            true,
            { file: formatBytes(config.bigBytes), tls: String(tlsOn) },
            results,
            checks,
            notes,
            started,
          ),
        ];
      } finally {
        await stopServers(servers);
        data.cleanup();
      }
    },
  };
}

// ---------------------------------------------------------------------------------------------
// 3. Many small files in one control session

const smallFilesScenario: Scenario = {
  id: 'small-files',
  title: 'Server: many small files RETR in one control session (ftplib, one data connection each)',
  async run(ctx) {
    const started = performance.now();
    const { config } = ctx;
    const data = await createDataSet('small');
    const names = writeSmallFiles(data, config.smallFiles, config.smallBytes);
    const { servers, notes } = await startServers(ctx, serverNames(ctx), data, false, true);
    try {
      const targets = servers.map((server) =>
        serverTarget(
          server,
          () =>
            ftplibTransfer(endpoint(server), {
              op: 'download',
              files: names,
              work: ctx.work,
              timeoutMs: config.sampleTimeoutMs,
            }),
          (seconds) => config.smallFiles / seconds,
        ),
      );
      const results = await runRounds(targets, {
        rounds: config.rounds,
        warmup: config.warmup,
        log: ctx.log,
      });
      notes.push(
        'Python ftplib, one control connection, PASV + RETR per file (TYPE I), timed from connect to QUIT. Not curl: curl 7.88 stalls ~80 ms per file on a reused FTP connection with several of these servers, which would measure curl.',
      );
      return [
        result(
          'small-files',
          this.title,
          'files/s',
          true,
          { files: config.smallFiles, size: formatBytes(config.smallBytes) },
          results,
          [checkAgainstBestPeer('small files in one session: ≥ 1.0× the fastest peer server', results, true)],
          notes,
          started,
        ),
      ];
    } finally {
      await stopServers(servers);
      data.cleanup();
    }
  },
};

// ---------------------------------------------------------------------------------------------
// 4. Listings

const listingsScenario: Scenario = {
  id: 'listings',
  title: 'Server: LIST and MLSD of a large directory',
  async run(ctx) {
    const started = performance.now();
    const { config } = ctx;
    const data = await listingDataSet('list', config.listEntries);
    const { servers, notes } = await startServers(ctx, serverNames(ctx), data, false, true);
    const out: ScenarioResult[] = [];
    try {
      for (const verb of ['LIST', 'MLSD'] as const) {
        const verbNotes = [...notes];
        const targets = servers.map((server) => {
          const target = serverTarget(
            server,
            async () => {
              const r = await ftplibListings(
                endpoint(server),
                verb,
                'dir',
                config.listRepeat,
                config.sampleTimeoutMs,
              );
              // The median listing of this session; ms.
              return { seconds: median(r.listings)!, cpuSeconds: Number.NaN };
            },
            (seconds) => seconds * 1000,
          );
          return target;
        });
        const results = await runRounds(targets, {
          rounds: config.rounds,
          warmup: config.warmup,
          log: ctx.log,
        });
        verbNotes.push(
          `Python ftplib, one session per sample, ${config.listRepeat} ${verb}s of the directory (raw bytes, TYPE I); the figure is the median listing's time, login excluded. Server CPU covers the whole session.`,
        );
        if (verb === 'MLSD')
          verbNotes.push('vsftpd and ftp-srv do not implement MLSD (500/502), so they have no MLSD figure.');
        out.push(
          result(
            verb.toLowerCase(),
            `Server: ${verb} of a ${config.listEntries.toLocaleString('en-US')}-entry directory`,
            'ms',
            false,
            { entries: config.listEntries, repeat: config.listRepeat },
            results,
            [
              checkAgainstBestPeer(
                `${verb} of ${config.listEntries} entries: no slower than the fastest peer`,
                results,
                false,
              ),
            ],
            verbNotes,
            started,
          ),
        );
      }
      return out;
    } finally {
      await stopServers(servers);
      data.cleanup();
    }
  },
};

// ---------------------------------------------------------------------------------------------
// 5a. Idle sessions: memory per logged-in session

interface OpenedSessions {
  readonly sockets: net.Socket[];
  readonly failures: number;
  readonly firstError?: string;
}

/** Opens `count` logged-in control connections (with AUTH TLS first when `secure`). */
async function openSessions(
  server: BenchServer,
  count: number,
  secure: boolean,
  deadlineMs: number,
): Promise<OpenedSessions> {
  const sockets: net.Socket[] = [];
  let failures = 0;
  let firstError: string | undefined;
  const deadline = Date.now() + deadlineMs;
  const one = () =>
    new Promise<net.Socket>((resolve, reject) => {
      let socket: net.Socket = net.connect({ host: server.host, port: server.port });
      let buffer = '';
      let step = 0;
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new Error('session timed out'));
      }, 20_000);
      const fail = (error: Error) => {
        clearTimeout(timer);
        socket.destroy();
        reject(error);
      };
      const send = (line: string) => socket.write(`${line}\r\n`);
      const onData = (chunk: Buffer) => {
        buffer += chunk.toString('latin1');
        // Complete final reply lines only ("NNN text\r\n").
        for (;;) {
          const match = /(?:^|\n)(\d{3}) [^\n]*\n/.exec(buffer);
          if (match === null) return;
          buffer = buffer.slice(match.index + match[0].length);
          const code = Number(match[1]);
          if (step === 0 && code === 220) {
            if (secure) {
              step = 1;
              send('AUTH TLS');
            } else {
              step = 2;
              send(`USER ${server.user}`);
            }
          } else if (step === 1 && code === 234) {
            socket.off('data', onData);
            const plain = socket;
            socket = tls.connect({ socket: plain, rejectUnauthorized: false }, () => {
              step = 2;
              send(`USER ${server.user}`);
            });
            socket.on('data', onData);
            socket.on('error', fail);
            return;
          } else if (step === 2 && code === 331) {
            step = 3;
            send(`PASS ${server.password}`);
          } else if (step === 3 && code === 230) {
            clearTimeout(timer);
            socket.off('data', onData);
            socket.resume();
            resolve(socket);
            return;
          } else {
            fail(new Error(`unexpected reply ${code} at step ${step}`));
            return;
          }
        }
      };
      socket.on('data', onData);
      socket.on('error', fail);
    });
  const parallel = 64;
  let next = 0;
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next < count && Date.now() < deadline) {
        next++;
        try {
          sockets.push(await one());
        } catch (error) {
          failures++;
          firstError ??= (error as Error).message;
          if (failures > count / 10) return;
        }
      }
    }),
  );
  return firstError === undefined ? { sockets, failures } : { sockets, failures, firstError };
}

const settle = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface NodeMemory {
  readonly rss: number;
  readonly heapUsed: number;
  readonly external: number;
  readonly arrayBuffers: number;
}

/** ftpkit's server prints process.memoryUsage() (after a GC) on SIGUSR2. */
async function ftpkitMemory(server: BenchServer): Promise<NodeMemory | undefined> {
  const before = server.output().length;
  process.kill(server.pid, 'SIGUSR2');
  const deadline = Date.now() + 5000;
  while (Date.now() < deadline) {
    const match = /\{"memory":(\{[^}]*\})\}/.exec(server.output().slice(before));
    if (match) return JSON.parse(match[1]!) as NodeMemory;
    await settle(20);
  }
  return undefined;
}

const idleSessionsScenario: Scenario = {
  id: 'idle-sessions',
  title: 'Server: memory per idle logged-in session',
  async run(ctx) {
    const started = performance.now();
    const { config } = ctx;
    const data = await createDataSet('idle');
    const out: ScenarioResult[] = [];
    const forking: ServerName[] = ['vsftpd', 'proftpd', 'pure-ftpd'];
    const runs = [
      ...config.sessions.map((n) => ({ n, secure: false })),
      ...(config.tlsSessions > 0 ? [{ n: config.tlsSessions, secure: true }] : []),
    ];
    try {
      for (const { n, secure } of runs) {
        const notes: string[] = [];
        const names = serverNames(ctx, secure ? ['pyftpdlib'] : []);
        const rows: TargetResult[] = [];
        for (const name of names) {
          const count = forking.includes(name) ? Math.min(n, config.forkingSessionCap) : n;
          if (count < n)
            notes.push(`${name} measured at ${count} sessions (it forks a process per session).`);
          const { servers, notes: startNotes } = await startServers(ctx, [name], data, secure);
          notes.push(...startNotes);
          const server = servers[0];
          if (server === undefined) continue;
          let opened: OpenedSessions | undefined;
          try {
            await settle(500);
            const rss0 = groupRssBytes(server.pid);
            const pss0 = groupPssBytes(server.pid) ?? 0;
            opened = await openSessions(server, count, secure, 120_000);
            await settle(1500);
            const rss1 = groupRssBytes(server.pid);
            const pss1 = groupPssBytes(server.pid) ?? 0;
            const k = opened.sockets.length;
            if (name === 'ftpkit' && k > 0) {
              // Where the bytes are: the figures after a GC, with the sessions still open, against a
              // baseline taken the same way once they are closed (what a profile of memory shows).
              const withSessions = await ftpkitMemory(server);
              for (const socket of opened.sockets) socket.destroy();
              await settle(1500);
              const without = await ftpkitMemory(server);
              if (withSessions !== undefined && without !== undefined) {
                const per = (a: number, b: number) => formatNumber((a - b) / k / 1024);
                notes.push(
                  `ftpkit at ${k} sessions, per session after a full GC: JS heap ${per(withSessions.heapUsed, without.heapUsed)} KiB, external ${per(withSessions.external, without.external)} KiB (array buffers ${per(withSessions.arrayBuffers, without.arrayBuffers)} KiB), RSS ${per(withSessions.rss, without.rss)} KiB (freed pages are not always returned to the OS, so the RSS difference understates).`,
                );
              }
            }
            const perRss = k > 0 ? (rss1 - rss0) / k / 1024 : null;
            const perPss = k > 0 ? (pss1 - pss0) / k / 1024 : null;
            if (opened.failures > 0)
              notes.push(
                `${name}: ${opened.failures} of ${count} sessions failed (${opened.firstError ?? ''}).`,
              );
            ctx.log(
              `  ${name.padEnd(12)} ${k} sessions: RSS +${formatNumber(perRss)} KiB/session, PSS +${formatNumber(perPss)} KiB/session`,
            );
            rows.push({
              name,
              kind: kindOf(name),
              note: `${k} sessions; PSS ${formatNumber(perPss)} KiB/session; RSS ${formatNumber(rss0 / 2 ** 20)} → ${formatNumber(rss1 / 2 ** 20)} MiB`,
              values: [perRss],
              median: perRss,
              min: perRss,
              max: perRss,
              serverCpu: null,
              clientCpu: null,
              errors: opened.firstError === undefined ? [] : [opened.firstError],
            });
          } finally {
            for (const socket of opened?.sockets ?? []) socket.destroy();
            await stopServers(servers);
          }
        }
        const label = `${n.toLocaleString('en-US')} ${secure ? 'TLS' : 'plain'} sessions`;
        const checks: Check[] = [];
        const own = rows.find((r) => r.name === 'ftpkit');
        if (!secure && n === Math.max(...config.sessions))
          checks.push({
            target: `memory: ≤ 8 KiB per idle plain session at ${n.toLocaleString('en-US')} sessions`,
            holds: own?.median == null ? null : own.median <= 8,
            detail:
              own?.median == null ? 'no ftpkit figure' : `${formatNumber(own.median)} KiB/session (RSS)`,
          });
        notes.push(
          'RSS summed over the server’s processes after all sessions logged in, minus the same sum before; divided by sessions. One measurement per server (no rounds). PSS in the notes column counts shared pages once.',
        );
        out.push(
          result(
            `idle-sessions-${secure ? 'tls-' : ''}${n}`,
            `Server: memory per idle logged-in session, ${label}`,
            'KiB/session',
            false,
            { sessions: n, tls: String(secure) },
            rows,
            checks,
            notes,
            started,
          ),
        );
      }
      return out;
    } finally {
      data.cleanup();
    }
  },
};

// ---------------------------------------------------------------------------------------------
// 5b. Concurrent downloads

const concurrentScenario: Scenario = {
  id: 'concurrent',
  title: 'Server: concurrent downloads, aggregate throughput',
  async run(ctx) {
    const started = performance.now();
    const { config } = ctx;
    const data = await createDataSet('concurrent');
    writeFile(join(data.pool, 'c.bin'), config.concurrentBytes);
    const { servers, notes } = await startServers(ctx, serverNames(ctx), data, false);
    try {
      const files = Array.from({ length: config.concurrent }, () => 'c.bin');
      const total = config.concurrent * config.concurrentBytes;
      const targets = servers.map((server) =>
        serverTarget(
          server,
          () => curlParallel(endpoint(server), files, config.concurrent, ctx.work, config.sampleTimeoutMs),
          (seconds) => total / seconds / GB,
        ),
      );
      const results = await runRounds(targets, {
        rounds: config.rounds,
        warmup: config.warmup,
        log: ctx.log,
      });
      notes.push(
        `One curl --parallel --parallel-max ${config.concurrent} process: ${config.concurrent} control + data connections at once, the same file each.`,
      );
      return [
        result(
          'concurrent',
          `Server: ${config.concurrent} concurrent ${formatBytes(config.concurrentBytes)} downloads, aggregate`,
          'GB/s',
          true,
          { downloads: config.concurrent, size: formatBytes(config.concurrentBytes) },
          results,
          [
            checkAgainstBestPeer(
              `${config.concurrent} concurrent downloads: ≥ 1.0× the fastest peer's aggregate`,
              results,
              true,
            ),
          ],
          notes,
          started,
        ),
      ];
    } finally {
      await stopServers(servers);
      data.cleanup();
    }
  },
};

// ---------------------------------------------------------------------------------------------
// 6. Clients against vsftpd

function clientScenario(kind: 'big' | 'small', op: 'download' | 'upload'): Scenario {
  const id = `client-${kind === 'big' ? '' : 'small-'}${op}`;
  return {
    id,
    title: `Client ${op} of ${kind === 'big' ? 'one big file' : 'many small files'} against vsftpd`,
    async run(ctx) {
      const started = performance.now();
      const { config } = ctx;
      const data = await createDataSet(id);
      const names: string[] = [];
      if (kind === 'big') {
        writeFile(join(data.pool, 'big.bin'), config.bigBytes);
        names.push('big.bin');
      } else {
        names.push(...writeSmallFiles(data, config.smallFiles, config.smallBytes));
      }
      const peer: ServerName = serverUnavailable('vsftpd') === undefined ? 'vsftpd' : 'pyftpdlib';
      const { servers, notes } = await startServers(ctx, [peer], data, false);
      const server = servers[0];
      if (server === undefined) throw new Error(`${peer} did not start: ${notes.join(' ')}`);
      try {
        const clients: ClientName[] =
          kind === 'big'
            ? ['ftpkit', 'curl', 'lftp', 'basic-ftp', 'ftplib']
            : [
                'ftpkit',
                'ftpkit ×4',
                'curl',
                'lftp',
                'basic-ftp',
                'basic-ftp ×4',
                'ftplib',
                'limit: bare Node client',
                'limit: bare Node client ×4',
              ];
        const files = op === 'download' ? names : names.map((n) => join(data.pool, n));
        const bytes = kind === 'big' ? config.bigBytes : config.smallFiles;
        const targets: Target[] = clients.map((client) => ({
          name: client,
          kind: kindOf(client),
          async run(round) {
            const suffix = `.${client.replace(/[^a-z0-9]/gi, '')}${round}`;
            const meter = new CpuMeter(server.pid);
            try {
              const run = await runClient(client, endpoint(server), {
                op,
                files,
                uploadSuffix: suffix,
                work: ctx.work,
                timeoutMs: config.sampleTimeoutMs,
              });
              return {
                value: kind === 'big' ? bytes / run.seconds / GB : bytes / run.seconds,
                seconds: run.seconds,
                serverCpu: meter.stop(),
                ...(Number.isFinite(run.cpuSeconds) ? { clientCpu: run.cpuSeconds } : {}),
              };
            } finally {
              meter.stop();
              if (op === 'upload') {
                // Uploads land in the server's root under their base name + suffix.
                for (const name of names)
                  rmSync(join(server.root, `${name.slice(name.lastIndexOf('/') + 1)}${suffix}`), {
                    force: true,
                  });
              }
            }
          },
        }));
        if (kind === 'big' && op === 'download')
          targets.push(
            nodePipeTarget(
              join(data.pool, 'big.bin'),
              config.bigBytes,
              false,
              config.sampleTimeoutMs,
              'node-receives',
              ctx.work,
            ),
          );
        const results = await runRounds(targets, {
          rounds: config.rounds,
          warmup: config.warmup,
          log: ctx.log,
        });
        const checks: Check[] = [];
        if (kind === 'big') {
          checks.push(
            checkAgainst(`client ${op} of ${formatBytes(config.bigBytes)}: ≥ 1.0× curl`, results, 'curl', 1),
          );
          if (op === 'download')
            checks.push(
              checkAgainst(
                'client data path plain: ≥ 90% of the bare Node net pipe',
                results,
                'limit: Node net pipe',
                0.9,
              ),
            );
        } else {
          checks.push(
            checkAgainst(
              `client ${op} of ${config.smallFiles} small files, one connection: ≥ 1.0× ftplib`,
              results,
              'ftplib',
              1,
            ),
          );
          checks.push(
            checkAgainst(
              `client ${op} of ${config.smallFiles} small files, ×4 connections: ≥ 3× basic-ftp`,
              results,
              'basic-ftp',
              3,
              true,
              'ftpkit ×4',
            ),
          );
        }
        notes.push(
          `Server: ${peer}. ftpkit, basic-ftp and ftplib are timed inside their process from connect to QUIT; curl and lftp by the process's wall time (their start-up, a few ms, included). "×4": a pool of 4 connections. Server CPU is ${peer}'s.${kind === 'small' ? " limit: bare Node client is apps/bench/src/limits/bare-client.mjs: the least a Node process can do here (plain `net`, no library, no checks beyond reply codes), as Node's floor beside ftpkit's figure." : ''}`,
        );
        return [
          result(
            id,
            `Client ${op} of ${kind === 'big' ? formatBytes(config.bigBytes) : `${config.smallFiles} × ${formatBytes(config.smallBytes)}`} against ${peer}`,
            kind === 'big' ? 'GB/s' : 'files/s',
            true,
            kind === 'big'
              ? { file: formatBytes(config.bigBytes) }
              : { files: config.smallFiles, size: formatBytes(config.smallBytes) },
            results,
            checks,
            notes,
            started,
          ),
        ];
      } finally {
        await stopServers(servers);
        data.cleanup();
      }
    },
  };
}

/** `count` files of `bytes` each under `small/` in `data`'s pool; their names, relative to it. */
function writeSmallFiles(data: DataSet, count: number, bytes: number): string[] {
  mkdirSync(join(data.pool, 'small'));
  const names: string[] = [];
  for (let i = 0; i < count; i++) {
    const name = `small/f${String(i).padStart(5, '0')}.bin`;
    writeFile(join(data.pool, name), bytes);
    names.push(name);
  }
  return names;
}

/** A data set whose `dir` holds `entries` small files (the listing scenarios' directory). */
async function listingDataSet(name: string, entries: number): Promise<DataSet> {
  const data = await createDataSet(name);
  mkdirSync(join(data.pool, 'dir'));
  for (let i = 0; i < entries; i++)
    writeFile(join(data.pool, 'dir', `entry-${String(i).padStart(6, '0')}.txt`), i % 97);
  return data;
}

/** The client issue's listing target: a parsed listing of a large directory, ftpkit vs basic-ftp. */
const clientListingScenario: Scenario = {
  id: 'client-list',
  title: 'Client listing (parsed) of a large directory against vsftpd',
  async run(ctx) {
    const started = performance.now();
    const { config } = ctx;
    const data = await listingDataSet('client-list', config.listEntries);
    const peer: ServerName = serverUnavailable('vsftpd') === undefined ? 'vsftpd' : 'pyftpdlib';
    const { servers, notes } = await startServers(ctx, [peer], data, false);
    const server = servers[0];
    if (server === undefined) throw new Error(`${peer} did not start: ${notes.join(' ')}`);
    try {
      const targets: Target[] = (['ftpkit', 'basic-ftp'] as const).map((client) => ({
        name: client,
        kind: kindOf(client),
        async run() {
          const meter = new CpuMeter(server.pid);
          try {
            const run = await nodeListing(
              client,
              endpoint(server),
              'dir',
              config.listRepeat,
              config.sampleTimeoutMs,
            );
            if (run.entries < config.listEntries)
              throw new Error(`${client} listed ${run.entries} of ${config.listEntries} entries`);
            return {
              value: run.seconds * 1000,
              seconds: run.seconds,
              serverCpu: meter.stop(),
              clientCpu: run.cpuSeconds,
            };
          } finally {
            meter.stop();
          }
        },
      }));
      const results = await runRounds(targets, {
        rounds: config.rounds,
        warmup: config.warmup,
        log: ctx.log,
      });
      notes.push(
        `Server: ${peer}. Each sample: one connection, ${config.listRepeat} parsed listings (ftpkit \`client.list()\`, basic-ftp \`client.list()\`); the figure is the median listing, login excluded. CPU covers the whole process.`,
      );
      return [
        result(
          'client-list',
          `Client listing of a ${config.listEntries.toLocaleString('en-US')}-entry directory against ${peer}`,
          'ms',
          false,
          { entries: config.listEntries, repeat: config.listRepeat },
          results,
          [
            checkAgainst(
              `client listing of ${config.listEntries} entries: ≥ 1.0× basic-ftp`,
              results,
              'basic-ftp',
              1,
              false,
            ),
          ],
          notes,
          started,
        ),
      ];
    } finally {
      await stopServers(servers);
      data.cleanup();
    }
  },
};

// ---------------------------------------------------------------------------------------------
// 7. Codec micro-benchmarks

const codecScenario: Scenario = {
  id: 'codec',
  title: 'Codec micro-benchmarks',
  async run(ctx) {
    const started = performance.now();
    const repo = join(here, '..', '..', '..');
    const bench = join(repo, 'packages', 'codec', 'bench', 'codec.bench.ts');
    if (!existsSync(bench)) return [];
    const json = join(ctx.work, 'codec.json');
    await runCommand(process.execPath, ['--import', 'tsx', bench, '--json', json], {
      timeoutMs: 600_000,
      cwd: join(repo, 'packages', 'codec'),
    });
    const report = JSON.parse(readFileSync(json, 'utf8')) as {
      results: { name: string; opsPerSecond: number; target?: number }[];
    };
    const targets: TargetResult[] = report.results.map((r) => ({
      name: r.name,
      kind: 'ftpkit',
      ...(r.target === undefined ? {} : { note: `codec target ${r.target.toLocaleString('en-US')} ops/s` }),
      values: [r.opsPerSecond],
      median: r.opsPerSecond,
      min: r.opsPerSecond,
      max: r.opsPerSecond,
      serverCpu: null,
      clientCpu: null,
      errors: [],
    }));
    const checks: Check[] = report.results
      .filter((r) => r.target !== undefined)
      .map((r) => ({
        target: `codec: ${r.name} ≥ ${r.target!.toLocaleString('en-US')} ops/s (codec issue)`,
        holds: r.opsPerSecond >= r.target!,
        detail: `${Math.round(r.opsPerSecond).toLocaleString('en-US')} ops/s`,
      }));
    return [
      {
        id: 'codec',
        title: 'Codec micro-benchmarks (packages/codec/bench, median of 7 × 200 ms)',
        unit: 'ops/s',
        higherIsBetter: true,
        params: {},
        targets,
        ratios: [],
        checks,
        notes: ['No peer: the figures are ftpkit’s own, with the codec issue’s targets.'],
        seconds: (performance.now() - started) / 1000,
      },
    ];
  },
};

export const SCENARIOS: readonly Scenario[] = [
  bigFileScenario('download', false),
  bigFileScenario('download', true),
  bigFileScenario('upload', false),
  bigFileScenario('upload', true),
  smallFilesScenario,
  listingsScenario,
  idleSessionsScenario,
  concurrentScenario,
  clientScenario('big', 'download'),
  clientScenario('big', 'upload'),
  clientScenario('small', 'download'),
  clientScenario('small', 'upload'),
  clientListingScenario,
  codecScenario,
];

/** Machine facts for the report header. */
export function machineFacts(): Record<string, string> {
  const read = (cmd: string, args: string[]) => {
    try {
      return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    } catch {
      return 'unknown';
    }
  };
  const cpuinfo = existsSync('/proc/cpuinfo') ? readFileSync('/proc/cpuinfo', 'utf8') : '';
  const model = /model name\s*:\s*(.*)/.exec(cpuinfo)?.[1] ?? 'unknown';
  const cores = (cpuinfo.match(/^processor/gm) ?? []).length;
  const mem = /MemTotal:\s*(\d+)/.exec(
    existsSync('/proc/meminfo') ? readFileSync('/proc/meminfo', 'utf8') : '',
  )?.[1];
  return {
    cpu: `${cores} × ${model}`,
    memory: mem === undefined ? 'unknown' : `${Math.round(Number(mem) / 1024 / 1024)} GiB`,
    kernel: read('uname', ['-r']),
    os:
      /PRETTY_NAME="([^"]*)"/.exec(
        existsSync('/etc/os-release') ? readFileSync('/etc/os-release', 'utf8') : '',
      )?.[1] ?? 'unknown',
    node: process.version,
    load: existsSync('/proc/loadavg')
      ? readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')
      : 'unknown',
    curl: read('curl', ['--version']).split('\n')[0]?.split(' ').slice(0, 2).join(' ') ?? 'unknown',
  };
}
