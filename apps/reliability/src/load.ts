/**
 * The load run shared by the CI test (200 sessions, ~10 s) and `pnpm load` (2,000 sessions, 60 s):
 * healthy @ftpkit/client sessions doing a mix of NOOPs, listings, small and large downloads,
 * uploads read back and hash-checked, and re-logins, while a share of raw clients die abruptly
 * (RST on control and data) in the middle of uploads and downloads.
 *
 * Reports: operations by kind, errors seen by healthy clients (must be zero), corrupted files
 * (hash mismatches; must be zero), files published by dying clients (must be zero: their uploads
 * never finish), server `error` events, NOOP latency percentiles, and heap/fds before and after.
 * Bounded in time (`durationMs`, plus a drain bound) and in sessions; loopback only.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Readable, Writable } from 'node:stream';
import { Client } from '@ftpkit/client';
import { LocalFileSystem } from '@ftpkit/server';
import { fdCount, tempDir } from '@ftpkit/test-utils';
import { heapAfterGc, PASSWORD, percentile, sha256, sleep, startServer, USER } from './harness.ts';
import { RawClient } from './raw-client.ts';

export interface LoadOptions {
  readonly sessions: number;
  readonly durationMs: number;
  /** Share of sessions that die abruptly (0.05 = 5%). */
  readonly deathRate: number;
  readonly smallBytes: number;
  readonly largeBytes: number;
  /** Sessions started per batch while ramping up (the listen backlog is finite). Default 50. */
  readonly rampBatch?: number;
  /**
   * Pause between batches, ms. Default 20. A burst faster than the server accepts overflows the
   * kernel's accept queue (backlog 511): the client believes it is connected, the server never
   * saw the connection, and the client waits for a greeting that never comes.
   */
  readonly rampPauseMs?: number;
  /**
   * Connections being opened at once during the ramp. Default: unlimited (batches only). With one
   * process playing server and every client, a burst it cannot accept overflows the accept queue;
   * a bounded ramp gets every session established before the measured phase starts.
   */
  readonly connectConcurrency?: number;
  /** Random pause of up to this many ms between a healthy session's operations. Default 0. */
  readonly thinkMs?: number;
  readonly log?: (line: string) => void;
}

export interface LoadReport {
  readonly sessions: number;
  readonly healthy: number;
  readonly dying: number;
  readonly durationMs: number;
  /** Time to establish the healthy sessions before the measured phase. */
  readonly rampMs: number;
  readonly ops: Record<string, number>;
  readonly healthyErrors: number;
  readonly errorSamples: string[];
  /** Healthy-client errors by error code. */
  readonly errorCodes: Record<string, number>;
  readonly corrupted: number;
  readonly publishedByDying: number;
  readonly deaths: number;
  readonly serverErrors: number;
  readonly noop: { count: number; p50: number; p99: number; max: number };
  readonly heapBeforeMb: number;
  readonly heapAfterMb: number;
  readonly fdsBefore: number;
  readonly fdsAfter: number;
  readonly peakSessions: number;
}

function sink(): { stream: Writable; data: () => Buffer } {
  const chunks: Buffer[] = [];
  return {
    stream: new Writable({
      write(chunk: Buffer, _e, cb) {
        chunks.push(chunk);
        cb();
      },
    }),
    data: () => Buffer.concat(chunks),
  };
}

export async function runLoad(options: LoadOptions): Promise<LoadReport> {
  const log = options.log ?? (() => {});
  const dir = await tempDir('ftpkit-load-');
  const small = randomBytes(options.smallBytes);
  const large = randomBytes(options.largeBytes);
  await mkdir(path.join(dir.path, 'up'));
  await mkdir(path.join(dir.path, 'dying'));
  await writeFile(path.join(dir.path, 'small.bin'), small);
  await writeFile(path.join(dir.path, 'large.bin'), large);
  const hashes = { '/small.bin': sha256(small), '/large.bin': sha256(large) } as const;

  const heapBefore = heapAfterGc();
  const fdsBefore = fdCount();
  const f = await startServer({
    fileSystem: new LocalFileSystem({ root: dir.path }),
    limits: {
      maxSessions: options.sessions * 2 + 64,
      maxSessionsPerIp: options.sessions * 2 + 64,
      loginDelay: false,
      idleTimeout: 120_000,
    },
    passive: { maxPerIp: options.sessions * 2 + 64 },
  });
  let serverErrors = 0;
  f.server.on('error', () => serverErrors++);
  let peakSessions = 0;
  let connects = 0;
  f.server.on('connect', () => connects++);
  const serverStart = Date.now();
  let nextLog = serverStart + 5000;
  let lagMax = 0;
  let lastTick = performance.now();
  const peakTimer = setInterval(() => {
    const now = performance.now();
    lagMax = Math.max(lagMax, now - lastTick - 100);
    lastTick = now;
    peakSessions = Math.max(peakSessions, f.server.sessionCount);
    if (Date.now() >= nextLog) {
      nextLog += 5000;
      const total = Object.values(ops).reduce((a, b) => a + b, 0);
      log(
        `t=${Math.round((Date.now() - serverStart) / 1000)}s sessions=${f.server.sessionCount} connects=${connects} ops=${total} errors=${errors.length} loop-lag-max=${Math.round(lagMax)}ms`,
      );
      lagMax = 0;
    }
  }, 100);

  const ops: Record<string, number> = {};
  const count = (op: string) => {
    ops[op] = (ops[op] ?? 0) + 1;
  };
  const errors: string[] = [];
  const errorCodes: Record<string, number> = {};
  let corrupted = 0;
  let deaths = 0;
  const noop: number[] = [];
  let started = Date.now();
  let deadline = started + options.durationMs;
  const dyingCount = Math.round(options.sessions * options.deathRate);
  const healthyCount = options.sessions - dyingCount;

  function newClient(): Client {
    return new Client({
      host: '127.0.0.1',
      port: f.port,
      user: USER,
      password: PASSWORD,
      keepaliveInterval: 0,
      replyTimeout: 60_000,
      dataTimeout: 60_000,
      connectTimeout: 30_000,
      useMlsd: true,
    });
  }

  function fail(id: number, error: unknown): void {
    const e = error as { code?: string; message?: string };
    errors.push(`healthy ${id}: ${e.code ?? ''} ${e.message ?? String(error)}`);
    errorCodes[e.code ?? 'none'] = (errorCodes[e.code ?? 'none'] ?? 0) + 1;
  }

  /** Phase 1: a logged-in session (or undefined after recording the error). */
  async function establish(id: number): Promise<Client | undefined> {
    const client = newClient();
    try {
      await client.connect();
      count('login');
      return client;
    } catch (error) {
      fail(id, error);
      await client.close().catch(() => {});
      return undefined;
    }
  }

  /** Phase 2: the operation mix until the deadline. */
  async function healthy(id: number, first: Client): Promise<void> {
    let client: Client = first;
    let n = 0;
    try {
      while (Date.now() < deadline) {
        const c = client;
        const pick = Math.random();
        if (pick < 0.35) {
          const t = performance.now();
          await c.raw('NOOP');
          noop.push(performance.now() - t);
          count('noop');
        } else if (pick < 0.5) {
          await c.list('/');
          count('list');
        } else if (pick < 0.7) {
          const s = sink();
          await c.download('/small.bin', s.stream);
          if (sha256(s.data()) !== hashes['/small.bin']) corrupted++;
          count('download-small');
        } else if (pick < 0.78) {
          const s = sink();
          await c.download('/large.bin', s.stream);
          if (sha256(s.data()) !== hashes['/large.bin']) corrupted++;
          count('download-large');
        } else if (pick < 0.95) {
          const payload = randomBytes(1024 + Math.floor(Math.random() * 64 * 1024));
          const name = `/up/w${id}-${n++}.bin`;
          await c.upload(Readable.from([payload]), name);
          const s = sink();
          await c.download(name, s.stream);
          if (sha256(s.data()) !== sha256(payload)) corrupted++;
          await c.remove(name);
          count('upload-verify');
        } else {
          await c.close();
          client = newClient();
          await client.connect();
          count('relogin');
        }
        if (options.thinkMs) await sleep(Math.random() * options.thinkMs);
      }
    } catch (error) {
      fail(id, error);
    } finally {
      await client.close().catch(() => {});
    }
  }

  async function dying(id: number): Promise<void> {
    // Dies once, at a random moment, in the middle of something.
    await sleep(Math.random() * options.durationMs * 0.8);
    let c: RawClient | undefined;
    try {
      c = await RawClient.connect(f.port, { timeout: 30_000 });
      await c.read();
      await c.login(USER, PASSWORD);
      await c.send('TYPE I');
      const d = await c.pasv();
      if (id % 2 === 0) {
        // An upload that never finishes: must never be published.
        await c.send(`STOR /dying/d${id}.bin`);
        d.write(randomBytes(32 * 1024));
        await sleep(20 + Math.random() * 200);
      } else {
        d.pause();
        await c.send('RETR /large.bin');
        await sleep(Math.random() * 100);
      }
      d.resetAndDestroy();
      c.socket.resetAndDestroy();
      deaths++;
    } catch {
      c?.socket.destroy();
    }
  }

  // Phase 1: establish the healthy sessions (bounded ramp).
  const rampStart = Date.now();
  const established: (Client | undefined)[] = new Array(healthyCount);
  const batch = options.rampBatch ?? 50;
  const limit = options.connectConcurrency ?? Number.POSITIVE_INFINITY;
  let inFlight = 0;
  const opening: Promise<void>[] = [];
  for (let i = 0; i < healthyCount; i++) {
    while (inFlight >= limit) await sleep(5);
    inFlight++;
    opening.push(
      establish(i).then((c) => {
        established[i] = c;
        inFlight--;
      }),
    );
    if ((i + 1) % batch === 0) await sleep(options.rampPauseMs ?? 20);
  }
  await Promise.all(opening);
  const rampMs = Date.now() - rampStart;
  log(
    `load: ${established.filter(Boolean).length}/${healthyCount} healthy sessions established in ${rampMs} ms`,
  );
  // Phase 2: the measured run, with the dying clients.
  started = Date.now();
  deadline = started + options.durationMs;
  const tasks: Promise<void>[] = [];
  for (const [i, c] of established.entries()) if (c !== undefined) tasks.push(healthy(i, c));
  for (let i = 0; i < dyingCount; i++) tasks.push(dying(i));
  await Promise.all(tasks);
  clearInterval(peakTimer);
  const durationMs = Date.now() - started;
  // Sessions of killed clients end as the server notices; bounded wait.
  for (let i = 0; i < 500 && f.server.sessionCount > 0; i++) await sleep(20);
  const publishedByDying = (await readdir(path.join(dir.path, 'dying'))).length;
  await f.close(2000);
  await dir.cleanup();
  await sleep(200);
  const heapAfter = heapAfterGc();
  const sorted = noop;
  return {
    sessions: options.sessions,
    healthy: healthyCount,
    dying: dyingCount,
    durationMs,
    rampMs,
    ops,
    healthyErrors: errors.length,
    errorSamples: errors.slice(0, 10),
    errorCodes,
    corrupted,
    publishedByDying,
    deaths,
    serverErrors,
    noop: {
      count: sorted.length,
      p50: Number(percentile(sorted, 50).toFixed(2)),
      p99: Number(percentile(sorted, 99).toFixed(2)),
      max: Number(percentile(sorted, 100).toFixed(2)),
    },
    heapBeforeMb: Math.round(heapBefore / 1048576),
    heapAfterMb: Math.round(heapAfter / 1048576),
    fdsBefore,
    fdsAfter: fdCount(),
    peakSessions,
  };
}
