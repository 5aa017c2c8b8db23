/**
 * The servers a scenario runs side by side, all on 127.0.0.1 and each in its own process group:
 * ftpkit (a child process, measured like the peers), vsftpd, pyftpdlib, ProFTPD and Pure-FTPd
 * (test-utils' launchers; the last two unpacked by scripts/install-system-deps.sh, which
 * scripts/setup-peers.sh runs), ftp-srv (npm).
 *
 * Owns: configuring each daemon for a fair benchmark — one user with a local directory, no
 * anonymous access, no reverse DNS, no login delays, no per-IP or total session caps, logging off,
 * explicit FTPS with a generated certificate when asked. Stops exactly what it started.
 */
import { chmodSync, existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  createCertificate,
  freePort,
  isPeerAvailable,
  type SpawnedPeer,
  spawnPeer,
  startPeerServer,
  tempDir,
  waitForGreeting,
  writeCertificateFiles,
} from '@ftpkit/test-utils';

export const SERVER_NAMES = ['ftpkit', 'vsftpd', 'proftpd', 'pure-ftpd', 'pyftpdlib', 'ftp-srv'] as const;
export type ServerName = (typeof SERVER_NAMES)[number];

export const BENCH_USER = 'ftpkit';
export const BENCH_PASSWORD = 'ftpkit-peer-secret';

const here = dirname(fileURLToPath(import.meta.url));
export const APP_DIR = join(here, '..', '..');
const REPO_DIR = join(APP_DIR, '..', '..');

/** The bare Node FTP server's name in reports (limits/bare-server.mjs): a limit, not a peer. */
export const BARE_NODE_SERVER = 'limit: bare Node server';

export interface BenchServer {
  readonly name: ServerName | typeof BARE_NODE_SERVER;
  readonly host: '127.0.0.1';
  readonly port: number;
  readonly user: string;
  readonly password: string;
  readonly tls: boolean;
  /** Leader of the server's process group: /proc readings start here. */
  readonly pid: number;
  readonly root: string;
  output(): string;
  stop(): Promise<void>;
}

export interface BenchServerOptions {
  /** Directory the user logs in to; world-writable so that any daemon's uid can upload. */
  readonly root: string;
  readonly tls?: boolean;
  /** ftpkit only: write a V8 CPU profile (`node --cpu-prof`) into this directory on stop. */
  readonly cpuProfileDir?: string;
}

/** Why a server cannot run here, or undefined when it can. */
export function serverUnavailable(name: ServerName): string | undefined {
  switch (name) {
    case 'ftpkit':
      return undefined;
    case 'vsftpd':
      return isPeerAvailable('vsftpd') ? undefined : 'vsftpd needs /usr/sbin/vsftpd and root';
    case 'pyftpdlib':
      return isPeerAvailable('pyftpdlib') ? undefined : 'python3-pyftpdlib is not installed';
    case 'proftpd':
    case 'pure-ftpd':
      return isPeerAvailable(name) ? undefined : 'run scripts/setup-peers.sh as root';
    case 'ftp-srv':
      return existsSync(join(APP_DIR, 'node_modules', 'ftp-srv')) ? undefined : 'pnpm install first';
  }
}

/** Reads `{"port": N}` from a child's stdout. */
function announcedPort(peer: SpawnedPeer, timeoutMs: number): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no port announced:\n${peer.output()}`)), timeoutMs);
    let buffered = '';
    peer.child.stdout?.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      const match = /\{"port":\s*(\d+)\}/.exec(buffered);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    });
    peer.child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code}:\n${peer.output()}`));
    });
  });
}

async function finish(
  name: BenchServer['name'],
  peer: SpawnedPeer,
  port: number,
  options: BenchServerOptions,
  cleanup: () => Promise<void>,
): Promise<BenchServer> {
  try {
    await waitForGreeting('127.0.0.1', port, 15_000, peer.child);
  } catch (error) {
    await peer.stop();
    await cleanup();
    throw new Error(`${name}: ${(error as Error).message}\n${peer.output()}`);
  }
  return {
    name,
    host: '127.0.0.1',
    port,
    user: BENCH_USER,
    password: BENCH_PASSWORD,
    tls: options.tls === true,
    pid: peer.child.pid!,
    root: options.root,
    output: peer.output,
    async stop() {
      await peer.stop();
      await cleanup();
    },
  };
}

async function startFtpkit(options: BenchServerOptions): Promise<BenchServer> {
  // The launcher runs the built package, as users do (see ftpkit-server.mjs): `pnpm bench` builds
  // it first (turbo); `bench:one` after an edit needs `pnpm build`.
  if (!existsSync(join(REPO_DIR, 'packages', 'server', 'dist', 'index.js')))
    throw new Error('@ftpkit/server is not built: run `pnpm build` first');
  const work = await tempDir('ftpkit-bench-ftpkit-');
  const config: Record<string, unknown> = { root: options.root, user: BENCH_USER, password: BENCH_PASSWORD };
  if (options.tls) {
    const certificate = createCertificate({ keyType: 'rsa' });
    config.tls = { cert: certificate.cert, key: certificate.key };
  }
  const profile =
    options.cpuProfileDir === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${options.cpuProfileDir}`];
  const peer = spawnPeer(
    process.execPath,
    [
      // Only for the idle-sessions breakdown (SIGUSR2); gc() is never called during transfers.
      '--expose-gc',
      ...profile,
      join(here, 'ftpkit-server.mjs'),
      JSON.stringify(config),
    ],
    { cwd: APP_DIR },
  );
  const port = await announcedPort(peer, 30_000).catch(async (error: unknown) => {
    await peer.stop();
    await work.cleanup();
    throw new Error(`ftpkit server: ${(error as Error).message}`);
  });
  return finish('ftpkit', peer, port, options, work.cleanup);
}

/**
 * The bare Node FTP server (limits/bare-server.mjs) on plain FTP, serving `root` to any login:
 * what a Node process can reach on the small-files and listing scenarios with no checks at all.
 */
export async function startBareNodeServer(root: string): Promise<BenchServer> {
  const peer = spawnPeer(
    process.execPath,
    [join(here, '..', 'limits', 'bare-server.mjs'), JSON.stringify({ root })],
    {
      cwd: APP_DIR,
    },
  );
  const port = await announcedPort(peer, 30_000).catch(async (error: unknown) => {
    await peer.stop();
    throw new Error(`bare Node server: ${(error as Error).message}`);
  });
  return tracked(await finish(BARE_NODE_SERVER, peer, port, { root }, async () => undefined));
}

async function startFtpSrv(options: BenchServerOptions): Promise<BenchServer> {
  const work = await tempDir('ftpkit-bench-ftp-srv-');
  const port = await freePort();
  const config: Record<string, unknown> = {
    root: options.root,
    user: BENCH_USER,
    password: BENCH_PASSWORD,
    port,
    passivePorts: [61000, 62999],
  };
  if (options.tls) {
    const { cert, key } = writeCertificateFiles(work.path);
    config.tls = { cert, key };
  }
  const peer = spawnPeer(process.execPath, [join(here, 'ftp-srv-server.mjs'), JSON.stringify(config)], {
    cwd: APP_DIR,
  });
  await announcedPort(peer, 30_000).catch(async (error: unknown) => {
    await peer.stop();
    await work.cleanup();
    throw new Error(`ftp-srv: ${(error as Error).message}`);
  });
  return finish('ftp-srv', peer, port, options, work.cleanup);
}

/** Servers started and not yet stopped: an interrupted run stops them (by process group) on exit. */
const live = new Set<BenchServer>();

function tracked(server: BenchServer): BenchServer {
  live.add(server);
  return {
    ...server,
    async stop() {
      live.delete(server);
      await server.stop();
    },
  };
}

/** Stops every server still running (SIGINT/SIGTERM of the bench, or a crash). */
export async function stopAllServers(): Promise<void> {
  await Promise.all([...live].map((server) => server.stop().catch(() => undefined)));
  live.clear();
}

export async function startBenchServer(name: ServerName, options: BenchServerOptions): Promise<BenchServer> {
  return tracked(await startUntracked(name, options));
}

async function startUntracked(name: ServerName, options: BenchServerOptions): Promise<BenchServer> {
  const unavailable = serverUnavailable(name);
  if (unavailable !== undefined) throw new Error(`${name}: ${unavailable}`);
  mkdirSync(options.root, { recursive: true });
  switch (name) {
    case 'ftpkit':
      return startFtpkit(options);
    case 'ftp-srv':
      return startFtpSrv(options);
    case 'proftpd':
    case 'pure-ftpd':
    case 'vsftpd':
    case 'pyftpdlib': {
      const peer = await startPeerServer(name, {
        root: options.root,
        user: BENCH_USER,
        password: BENCH_PASSWORD,
        tls: options.tls === true,
      });
      // The daemons' launchers chown the root to their account; others must still write into it.
      chmodSync(options.root, 0o777);
      if (peer.pid === undefined) {
        await peer.stop();
        throw new Error(`${name}: no pid`);
      }
      return {
        name,
        host: '127.0.0.1',
        port: peer.port,
        user: peer.user,
        password: peer.password,
        tls: peer.tls,
        pid: peer.pid,
        root: options.root,
        output: peer.output,
        stop: () => peer.stop(),
      };
    }
  }
}
