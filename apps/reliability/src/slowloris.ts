/**
 * The slowloris run shared by the CI test (~200 connections) and `pnpm slowloris` (1,000):
 * attackers spread over several loopback source addresses (127.0.0.2, .3, ...) hold connections
 * open by trickling bytes — half a line one byte at a time (bounded by `lineTimeout`), complete
 * NOOP lines without ever logging in (bounded by `loginTimeout`), or nothing at all (bounded by
 * `idleTimeout`) — while healthy clients from 127.0.0.1 log in, list and download. Over the
 * per-IP quota an attacker gets 421 before the greeting.
 *
 * Reports how every attack connection ended (closed by the server, refused with 421, or still
 * open at the run's hard bound), the slowest server-side close, and the healthy clients' results.
 */
import net from 'node:net';
import { Writable } from 'node:stream';
import { Client } from '@ftpkit/client';
import { PASSWORD, sleep, startServer, USER } from './harness.ts';

export interface SlowlorisOptions {
  readonly connections: number;
  /** Distinct attacker source addresses (127.0.0.2 upwards). */
  readonly sources: number;
  readonly lineTimeout: number;
  readonly loginTimeout: number;
  readonly idleTimeout: number;
  /** Hard bound of the whole run, ms: attackers still open then are counted as survivors. */
  readonly boundMs: number;
  readonly healthyClients: number;
  readonly log?: (line: string) => void;
}

export interface SlowlorisReport {
  readonly connections: number;
  readonly admitted: number;
  readonly refused421: number;
  readonly closedByServer: number;
  readonly survivors: number;
  readonly connectFailures: number;
  readonly slowestCloseMs: number;
  readonly byMode: Record<string, { closed: number; survivors: number; maxMs: number }>;
  readonly healthyOps: number;
  readonly healthyErrors: string[];
  readonly sessionsAfter: number;
}

type Mode = 'half-line' | 'noop-no-login' | 'silent';

export async function runSlowloris(options: SlowlorisOptions): Promise<SlowlorisReport> {
  const log = options.log ?? (() => {});
  const f = await startServer({
    files: { '/file.bin': Buffer.alloc(32 * 1024, 7) },
    limits: {
      lineTimeout: options.lineTimeout,
      loginTimeout: options.loginTimeout,
      idleTimeout: options.idleTimeout,
      maxSessions: 4096,
    },
  });
  const deadline = Date.now() + options.boundMs;
  const modes: Mode[] = ['half-line', 'noop-no-login', 'silent'];
  const byMode: SlowlorisReport['byMode'] = {};
  for (const m of modes) byMode[m] = { closed: 0, survivors: 0, maxMs: 0 };
  let admitted = 0;
  let refused = 0;
  let closedByServer = 0;
  let survivors = 0;
  let connectFailures = 0;
  let slowest = 0;

  async function attacker(i: number): Promise<void> {
    const mode = modes[i % modes.length]!;
    const localAddress = `127.0.0.${2 + (i % options.sources)}`;
    const socket = net.connect({ host: '127.0.0.1', port: f.port, localAddress });
    socket.on('error', () => {});
    let received = '';
    let closed = false;
    socket.on('data', (c: Buffer) => {
      received += c.toString('latin1');
    });
    const closedAt = new Promise<number>((resolve) =>
      socket.once('close', () => {
        closed = true;
        resolve(Date.now());
      }),
    );
    try {
      await new Promise<void>((resolve, reject) => {
        socket.once('connect', () => resolve());
        socket.once('error', reject);
      });
    } catch {
      connectFailures++;
      return;
    }
    const openedAt = Date.now();
    // Trickle until the server closes us or the run's bound.
    let k = 0;
    const payload = `USER ${'x'.repeat(4000)}`;
    while (!closed && Date.now() < deadline) {
      if (received.startsWith('421')) break;
      if (mode === 'half-line' && received.includes('220')) socket.write(payload[k++ % payload.length]!);
      else if (mode === 'noop-no-login' && received.includes('220')) socket.write('NOOP\r\n');
      await Promise.race([sleep(mode === 'half-line' ? 100 : 250), closedAt]);
    }
    if (received.startsWith('421') && !received.includes('220')) {
      refused++;
      socket.destroy();
      return;
    }
    admitted++;
    if (closed) {
      const ms = (await closedAt) - openedAt;
      closedByServer++;
      byMode[mode]!.closed++;
      byMode[mode]!.maxMs = Math.max(byMode[mode]!.maxMs, ms);
      slowest = Math.max(slowest, ms);
    } else {
      survivors++;
      byMode[mode]!.survivors++;
      socket.destroy();
    }
  }

  const healthyErrors: string[] = [];
  let healthyOps = 0;
  async function healthy(id: number): Promise<void> {
    // Keeps working through the attack, with a fresh login every few operations.
    while (Date.now() < deadline - 500) {
      const client = new Client({
        host: '127.0.0.1',
        port: f.port,
        user: USER,
        password: PASSWORD,
        keepaliveInterval: 0,
        connectTimeout: 10_000,
        replyTimeout: 10_000,
      });
      try {
        await client.connect();
        for (let n = 0; n < 5 && Date.now() < deadline - 500; n++) {
          await client.list('/');
          let bytes = 0;
          await client.download(
            '/file.bin',
            new Writable({
              write(c: Buffer, _e, cb) {
                bytes += c.length;
                cb();
              },
            }),
          );
          if (bytes !== 32 * 1024) throw new Error(`short download: ${bytes}`);
          healthyOps++;
          await sleep(50);
        }
      } catch (error) {
        healthyErrors.push(`healthy ${id}: ${(error as Error).message}`);
        await sleep(100);
      } finally {
        await client.close().catch(() => {});
      }
    }
  }

  const attackers: Promise<void>[] = [];
  for (let i = 0; i < options.connections; i++) {
    attackers.push(attacker(i));
    if (i % 50 === 49) await sleep(10);
  }
  log(`slowloris: ${options.connections} attack connections opened`);
  const healthies = Array.from({ length: options.healthyClients }, (_, i) => healthy(i));
  await Promise.all([...attackers, ...healthies]);
  for (let i = 0; i < 250 && f.server.sessionCount > 0; i++) await sleep(20);
  const sessionsAfter = f.server.sessionCount;
  await f.close(1000);
  return {
    connections: options.connections,
    admitted,
    refused421: refused,
    closedByServer,
    survivors,
    connectFailures,
    slowestCloseMs: slowest,
    byMode,
    healthyOps,
    healthyErrors: healthyErrors.slice(0, 10),
    sessionsAfter,
  };
}
