/**
 * Transport benchmark: figures and ratios measured in one run, never a timed test.
 *
 *   npx tsx --conditions=@ftpkit/source bench/transport.bench.ts     (or: pnpm bench)
 *
 * 1. 1 GiB file -> data socket -> reader over loopback: ftpkit DataChannel vs a bare Node net
 *    pipe of the same bytes (target >= 90%), and with TLS (AES-GCM) vs a bare Node tls pipe
 *    (target >= 80%).
 * 2. 10 000 passive listeners opened and closed in sequence: average cost (target < 1 ms) and
 *    fd / heap drift (target: flat).
 * Memory per idle control channel is in memory.bench.ts (it needs --expose-gc).
 * BENCH_BYTES overrides the file size; BENCH_ROUNDS the number of alternating rounds (best kept).
 */
import { createReadStream, createWriteStream, readdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import tls from 'node:tls';
import {
  connectPassive,
  createSelfSignedCertificate,
  createServerSecureContext,
  DEFAULT_CIPHERS,
  openPassiveListener,
  PassivePortPool,
} from '../src/index.ts';

const BYTES = Number(process.env.BENCH_BYTES ?? 1024 ** 3);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const CHUNK = 1 << 20;
const HOST = '127.0.0.1';

const sink = () =>
  new Writable({
    highWaterMark: CHUNK,
    write(_chunk, _encoding, callback) {
      callback();
    },
  });

const readFile = (path: string) => createReadStream(path, { highWaterMark: CHUNK });

async function makeFile(dir: string): Promise<string> {
  const path = join(dir, 'payload.bin');
  const block = Buffer.alloc(CHUNK);
  for (let i = 0; i < block.length; i++) block[i] = (i * 2654435761) >>> 24;
  const out = createWriteStream(path);
  let written = 0;
  await pipeline(
    (async function* () {
      while (written < BYTES) {
        const n = Math.min(CHUNK, BYTES - written);
        written += n;
        yield n === CHUNK ? block : block.subarray(0, n);
      }
    })(),
    out,
  );
  return path;
}

async function time(fn: () => Promise<number>): Promise<{ ms: number; bytes: number }> {
  const start = performance.now();
  const bytes = await fn();
  return { ms: performance.now() - start, bytes };
}

/** Bare Node: net server, file piped into the client socket, accepted socket piped to a sink. */
async function bareNet(file: string): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, HOST, () => r()));
  const port = (server.address() as net.AddressInfo).port;
  const received = new Promise<number>((resolve, reject) => {
    server.once('connection', (socket) => {
      let n = 0;
      socket.on('data', (c: Buffer) => {
        n += c.length;
      });
      pipeline(socket, sink()).then(() => resolve(n), reject);
    });
  });
  const client = net.connect({ host: HOST, port });
  await new Promise((r) => client.once('connect', r));
  await pipeline(readFile(file), client);
  const n = await received;
  server.close();
  return n;
}

async function bareTls(file: string, pem: { cert: string; key: string }): Promise<number> {
  const server = tls.createServer({ ...pem, ciphers: DEFAULT_CIPHERS, minVersion: 'TLSv1.2' });
  await new Promise<void>((r) => server.listen(0, HOST, () => r()));
  const port = (server.address() as net.AddressInfo).port;
  const received = new Promise<number>((resolve, reject) => {
    server.once('secureConnection', (socket) => {
      let n = 0;
      socket.on('data', (c: Buffer) => {
        n += c.length;
      });
      pipeline(socket, sink()).then(() => resolve(n), reject);
    });
  });
  const client = tls.connect({ host: HOST, port, ca: pem.cert });
  await new Promise((r) => client.once('secureConnect', r));
  cipherName = client.getCipher().name;
  await pipeline(readFile(file), client);
  const n = await received;
  server.close();
  return n;
}
let cipherName = '';

/** ftpkit: passive listener + DataChannel.send (file) and DataChannel.receive (sink). */
async function ftpkit(file: string, secure?: { ctx: tls.SecureContext; ca: string }): Promise<number> {
  const listener = await openPassiveListener({
    controlPeerAddress: HOST,
    ...(secure === undefined ? {} : { tls: { secureContext: secure.ctx, requireSessionReuse: false } }),
  });
  const client = await connectPassive({ host: HOST, port: listener.port });
  if (secure !== undefined) void client.startTlsClient({ ca: secure.ca, host: HOST });
  const server = await listener.accept();
  const [, received] = await Promise.all([server.send(readFile(file)), client.receive(sink())]);
  await listener.whenReleased();
  return received.bytes;
}

function fdCount(): number {
  return readdirSync('/proc/self/fd').length;
}

async function listenerChurn(n: number): Promise<void> {
  const pool = new PassivePortPool();
  const gc = (globalThis as { gc?: () => void }).gc;
  // warm-up
  for (let i = 0; i < 200; i++) await (await openPassiveListener({ pool, controlPeerAddress: HOST })).close();
  gc?.();
  const fd0 = fdCount();
  const heap0 = process.memoryUsage().heapUsed;
  const start = performance.now();
  for (let i = 0; i < n; i++) {
    const l = await openPassiveListener({ pool, controlPeerAddress: HOST });
    await l.close();
  }
  const ms = performance.now() - start;
  await new Promise((r) => setTimeout(r, 50));
  gc?.();
  const fd1 = fdCount();
  const heap1 = process.memoryUsage().heapUsed;
  console.log(
    `passive listeners: ${n} open+close in ${ms.toFixed(0)} ms = ${((ms / n) * 1000).toFixed(0)} µs each ` +
      `(target < 1000 µs) | fds ${fd0} -> ${fd1} | heap ${(heap0 / 1048576).toFixed(1)} -> ${(heap1 / 1048576).toFixed(1)} MiB` +
      `${gc === undefined ? ' (no --expose-gc: heap figure includes garbage)' : ''} | pool.inUse=${pool.inUse}`,
  );
}

const mbps = (r: { ms: number; bytes: number }) => r.bytes / 1048576 / (r.ms / 1000);

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'ftpkit-bench-'));
  try {
    console.log(`node ${process.version}, ${BYTES} bytes per run, best of ${ROUNDS} alternating rounds`);
    const file = await makeFile(dir);
    const pem = createSelfSignedCertificate();
    const ctx = createServerSecureContext(pem);
    const best: Record<string, { ms: number; bytes: number }> = {};
    const keep = (name: string, r: { ms: number; bytes: number }) => {
      if (r.bytes !== BYTES) throw new Error(`${name}: moved ${r.bytes} of ${BYTES} bytes`);
      if (best[name] === undefined || r.ms < best[name]!.ms) best[name] = r;
    };
    for (let round = 0; round < ROUNDS; round++) {
      keep('net', await time(() => bareNet(file)));
      keep('ftpkit', await time(() => ftpkit(file)));
      keep('tls', await time(() => bareTls(file, pem)));
      keep('ftpkit+tls', await time(() => ftpkit(file, { ctx, ca: pem.cert })));
    }
    for (const [name, r] of Object.entries(best)) {
      console.log(`${name.padEnd(11)} ${mbps(r).toFixed(0).padStart(6)} MiB/s  (${r.ms.toFixed(0)} ms)`);
    }
    const plain = mbps(best.ftpkit!) / mbps(best.net!);
    const secure = mbps(best['ftpkit+tls']!) / mbps(best.tls!);
    console.log(`plain ratio ftpkit/net = ${(plain * 100).toFixed(1)}% (target >= 90%)`);
    console.log(
      `TLS ratio ftpkit/tls   = ${(secure * 100).toFixed(1)}% (target >= 80%), cipher ${cipherName}`,
    );
    await listenerChurn(Number(process.env.BENCH_LISTENERS ?? 10_000));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
