/**
 * Memory per idle control channel, beyond the socket itself.
 *
 *   node --expose-gc --conditions=@ftpkit/source --import tsx bench/memory.bench.ts
 *
 * N loopback socket pairs are opened bare and measured (heapUsed and rss after gc); then the
 * server side of each is wrapped in a ControlChannel with a pending read (what an idle server
 * session looks like) and measured again. Delta / N is the channel's cost. Target: <= 4 KiB.
 */
import net from 'node:net';
import { ControlChannel } from '../src/index.ts';

const N = Number(process.env.BENCH_CHANNELS ?? 4000);
const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) {
  console.error('run with --expose-gc');
  process.exit(1);
}

async function settle(): Promise<{ heap: number; rss: number }> {
  for (let i = 0; i < 4; i++) {
    gc!();
    await new Promise((r) => setTimeout(r, 20));
  }
  const m = process.memoryUsage();
  return { heap: m.heapUsed, rss: m.rss };
}

const server = net.createServer();
await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
const port = (server.address() as net.AddressInfo).port;
const accepted: net.Socket[] = [];
server.on('connection', (s) => accepted.push(s));
const clients: net.Socket[] = [];
for (let i = 0; i < N; i++) {
  const c = net.connect({ host: '127.0.0.1', port });
  await new Promise((r) => c.once('connect', r));
  clients.push(c);
}
while (accepted.length < N) await new Promise((r) => setTimeout(r, 5));
// Bare sockets in their usual state: flowing with a data listener, like any server would have.
const bareListeners = accepted.map((s) => {
  const onData = () => {};
  s.on('data', onData);
  return onData;
});
const bare = await settle();
for (const [i, s] of accepted.entries()) s.off('data', bareListeners[i]!);
bareListeners.length = 0;
const channels = accepted.map((s) => new ControlChannel(s, { idleTimeout: 300_000 }));
const pending = channels.map((c) => c.next().catch(() => undefined));
const wrapped = await settle();
const heapPer = (wrapped.heap - bare.heap) / N;
const rssPer = (wrapped.rss - bare.rss) / N;
console.log(
  `idle control channels: N=${N} | heap ${(bare.heap / 1048576).toFixed(1)} -> ${(wrapped.heap / 1048576).toFixed(1)} MiB ` +
    `= ${heapPer.toFixed(0)} B/channel | rss ${(bare.rss / 1048576).toFixed(1)} -> ${(wrapped.rss / 1048576).toFixed(1)} MiB ` +
    `= ${rssPer.toFixed(0)} B/channel | target <= 4096 B (heap)`,
);
for (const c of channels) c.destroy();
for (const c of clients) c.destroy();
await Promise.all(pending);
server.close();
