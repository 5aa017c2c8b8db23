/**
 * Starting and stopping peer daemons for interop tests.
 *
 * Owns: spawning a peer in its own process group (so that its per-session children go with it),
 * waiting for its FTP greeting, and stopping exactly the group we started — never anything found
 * by name (the network rules of this project forbid pkill/killall).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { connect, createServer } from 'node:net';

/** A free TCP port on 127.0.0.1 (bind 0, read it, release it). */
export async function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      server.close(() => {
        if (address !== null && typeof address === 'object') resolve(address.port);
        else reject(new Error('no port'));
      });
    });
  });
}

/** Resolves when host:port answers with a 220 greeting; rejects after `timeoutMs`. */
export async function waitForGreeting(
  host: string,
  port: number,
  timeoutMs: number,
  child?: ChildProcess,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError = 'no answer';
  while (Date.now() < deadline) {
    if (child && child.exitCode !== null)
      throw new Error(`peer exited with code ${child.exitCode} before greeting`);
    const greeting = await new Promise<string | undefined>((resolve) => {
      const socket = connect({ host, port });
      let data = '';
      const done = (value: string | undefined) => {
        socket.destroy();
        resolve(value);
      };
      socket.setTimeout(1000, () => done(undefined));
      socket.on('data', (chunk) => {
        data += chunk.toString('latin1');
        if (data.includes('\n')) done(data);
      });
      socket.on('error', (error) => {
        lastError = error.message;
        done(undefined);
      });
      socket.on('close', () => done(data || undefined));
    });
    if (greeting?.startsWith('220')) return;
    if (greeting) lastError = `unexpected greeting: ${greeting.trim()}`;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`peer on ${host}:${port} did not greet within ${timeoutMs} ms (${lastError})`);
}

export interface SpawnedPeer {
  readonly child: ChildProcess;
  /** Everything the peer wrote to stdout and stderr, for failure messages. */
  output(): string;
  /** SIGTERM to the peer's process group, SIGKILL after `graceMs`; resolves when it exited. */
  stop(graceMs?: number): Promise<void>;
}

export function spawnPeer(
  command: string,
  args: readonly string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): SpawnedPeer {
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true, // its own process group: stop() takes its session children too
  });
  let output = '';
  const append = (chunk: Buffer) => {
    if (output.length < 64 * 1024) output += chunk.toString('utf8');
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  child.on('error', (error) => append(Buffer.from(`spawn error: ${error.message}\n`)));
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
  const signalGroup = (signal: NodeJS.Signals) => {
    if (child.pid === undefined) return;
    try {
      process.kill(-child.pid, signal);
    } catch {
      // The group is already gone.
    }
  };
  return {
    child,
    output: () => output,
    async stop(graceMs = 3000) {
      signalGroup('SIGTERM');
      const timer = setTimeout(() => signalGroup('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
      // Session children of a forking daemon may outlive the parent briefly.
      signalGroup('SIGKILL');
    },
  };
}
