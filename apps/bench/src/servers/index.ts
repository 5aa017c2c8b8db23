/**
 * The servers a scenario runs side by side, all on 127.0.0.1 and each in its own process group:
 * ftpkit (a child process, measured like the peers), vsftpd and pyftpdlib (test-utils' launchers),
 * ProFTPD and Pure-FTPd (unpacked by scripts/setup-peers.sh into apps/bench/.peers/), ftp-srv (npm).
 *
 * Owns: configuring each daemon for a fair benchmark — one user with a local directory, no
 * anonymous access, no reverse DNS, no login delays, no per-IP or total session caps, logging off,
 * explicit FTPS with a generated certificate when asked. Stops exactly what it started.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
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
} from '@ftpkit/test-utils';

export const SERVER_NAMES = ['ftpkit', 'vsftpd', 'proftpd', 'pure-ftpd', 'pyftpdlib', 'ftp-srv'] as const;
export type ServerName = (typeof SERVER_NAMES)[number];

export const BENCH_USER = 'ftpkit';
export const BENCH_PASSWORD = 'ftpkit-peer-secret';
/** The system account ProFTPD and Pure-FTPd sessions run as (vsftpd's launcher makes `ftpkit`). */
const SYSTEM_USER = 'ftpkitbench';

const here = dirname(fileURLToPath(import.meta.url));
export const APP_DIR = join(here, '..', '..');
const REPO_DIR = join(APP_DIR, '..', '..');
export const PEERS_DIR = join(APP_DIR, '.peers', 'root');
const PROFTPD = join(PEERS_DIR, 'usr', 'sbin', 'proftpd');
const PURE_FTPD = join(PEERS_DIR, 'usr', 'sbin', 'pure-ftpd');

export interface BenchServer {
  readonly name: ServerName;
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

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

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
      return existsSync(PROFTPD) && isRoot() ? undefined : 'run scripts/setup-peers.sh as root';
    case 'pure-ftpd':
      return existsSync(PURE_FTPD) && isRoot() ? undefined : 'run scripts/setup-peers.sh as root';
    case 'ftp-srv':
      return existsSync(join(APP_DIR, 'node_modules', 'ftp-srv')) ? undefined : 'pnpm install first';
  }
}

/**
 * Pure-FTPd logs a system account in to its home directory, so the account's home is a fixed
 * symlink that each Pure-FTPd start points at its root (usermod cannot run while a previous
 * server's session processes of the account are still exiting).
 */
const PURE_HOME = '/var/lib/ftpkitbench-home';

function systemAccount(): { uid: number; gid: number } {
  const id = (flag: string) =>
    Number(
      execFileSync('id', [flag, SYSTEM_USER], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }),
    );
  try {
    id('-u');
  } catch {
    execFileSync('useradd', [
      '--system',
      '--no-create-home',
      '--home-dir',
      PURE_HOME,
      '--shell',
      '/bin/sh',
      SYSTEM_USER,
    ]);
    execFileSync('chpasswd', [], { input: `${SYSTEM_USER}:${BENCH_PASSWORD}\n` });
  }
  const home = execFileSync('getent', ['passwd', SYSTEM_USER], { encoding: 'utf8' }).split(':')[5];
  if (home !== PURE_HOME) execFileSync('usermod', ['--home', PURE_HOME, SYSTEM_USER]);
  return { uid: id('-u'), gid: id('-g') };
}

function pointPureHome(root: string): void {
  rmSync(PURE_HOME, { force: true });
  symlinkSync(root, PURE_HOME);
}

async function certificateFiles(dir: string): Promise<{ cert: string; key: string }> {
  const certificate = createCertificate({ keyType: 'rsa' });
  const cert = join(dir, 'cert.pem');
  const key = join(dir, 'key.pem');
  writeFileSync(cert, certificate.cert);
  writeFileSync(key, certificate.key, { mode: 0o600 });
  return { cert, key };
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
  name: ServerName,
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
    user: name === 'pure-ftpd' ? SYSTEM_USER : BENCH_USER,
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
  if (options.tls) config.tls = await certificateFiles(work.path);
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

/** Runs a launcher with a fresh work dir, removing the dir when the launcher throws. */
async function withWork(
  prefix: string,
  launch: (work: Awaited<ReturnType<typeof tempDir>>) => Promise<BenchServer>,
): Promise<BenchServer> {
  const work = await tempDir(prefix);
  try {
    return await launch(work);
  } catch (error) {
    await work.cleanup();
    throw error;
  }
}

const startProftpd = (options: BenchServerOptions) =>
  withWork('ftpkit-bench-proftpd-', (work) => launchProftpd(options, work));
const startPureFtpd = (options: BenchServerOptions) =>
  withWork('ftpkit-bench-pure-ftpd-', (work) => launchPureFtpd(options, work));

async function launchProftpd(
  options: BenchServerOptions,
  work: Awaited<ReturnType<typeof tempDir>>,
): Promise<BenchServer> {
  const { uid, gid } = systemAccount();
  const port = await freePort();
  const hash = execFileSync('openssl', ['passwd', '-6', BENCH_PASSWORD], { encoding: 'utf8' }).trim();
  writeFileSync(join(work.path, 'passwd'), `${BENCH_USER}:${hash}:${uid}:${gid}::${options.root}:/bin/sh\n`, {
    mode: 0o600,
  });
  writeFileSync(join(work.path, 'group'), `ftpkitbench::${gid}:\n`, { mode: 0o600 });
  const lines = [
    'ServerType standalone',
    'DefaultServer on',
    'ServerName "proftpd"',
    'ServerIdent on "proftpd ready"',
    `Port ${port}`,
    'DefaultAddress 127.0.0.1',
    'SocketBindTight on',
    'UseIPv6 off',
    `User ${SYSTEM_USER}`,
    'Group nogroup',
    `PidFile ${join(work.path, 'proftpd.pid')}`,
    `ScoreboardFile ${join(work.path, 'proftpd.scoreboard')}`,
    `SystemLog ${join(work.path, 'proftpd.log')}`,
    'TransferLog none',
    'WtmpLog off',
    'UseReverseDNS off',
    // mod_delay pads every USER/PASS reply (timing-attack defence): off, as for the other servers.
    'DelayEngine off',
    'AuthOrder mod_auth_file.c',
    `AuthUserFile ${join(work.path, 'passwd')}`,
    `AuthGroupFile ${join(work.path, 'group')}`,
    'RequireValidShell off',
    'DefaultRoot ~',
    'MaxInstances none',
    'MaxLoginAttempts 10',
    'TimeoutIdle 0',
    'TimeoutNoTransfer 0',
    'Umask 022',
    'AllowOverwrite on',
    'ListOptions "" maxfiles 1000000',
    `ModulePath ${join(PEERS_DIR, 'usr', 'lib', 'proftpd')}`,
  ];
  if (options.tls) {
    const files = await certificateFiles(work.path);
    lines.push(
      'LoadModule mod_tls.c',
      'TLSEngine on',
      `TLSLog ${join(work.path, 'tls.log')}`,
      'TLSProtocol TLSv1.2 TLSv1.3',
      `TLSRSACertificateFile ${files.cert}`,
      `TLSRSACertificateKeyFile ${files.key}`,
      'TLSRequired off',
      'TLSVerifyClient off',
      // Session reuse on data is required by default; curl resumes, so keep ProFTPD's default.
    );
  }
  const config = join(work.path, 'proftpd.conf');
  writeFileSync(config, `${lines.join('\n')}\n`);
  chownSync(work.path, 0, 0);
  const peer = spawnPeer(PROFTPD, ['--nodaemon', '--config', config]);
  return finish('proftpd', peer, port, options, work.cleanup);
}

async function launchPureFtpd(
  options: BenchServerOptions,
  work: Awaited<ReturnType<typeof tempDir>>,
): Promise<BenchServer> {
  systemAccount();
  pointPureHome(options.root);
  const port = await freePort();
  const args = [
    `--bind=127.0.0.1,${port}`,
    '--login=unix',
    '--chrooteveryone',
    '--noanonymous',
    '--dontresolve',
    '--minuid=1',
    '--maxclientsnumber=50000',
    '--maxclientsperip=50000',
    '--maxidletime=1000',
    // Listings are capped at 10 000 files by default; the listing scenario has 10 000.
    '--limitrecursion=1000000:8',
    '--umask=133:022',
  ];
  if (options.tls) {
    const files = await certificateFiles(work.path);
    args.push('--tls=1', `--certfile=${files.cert},${files.key}`);
  }
  const peer = spawnPeer(PURE_FTPD, args);
  return finish('pure-ftpd', peer, port, options, work.cleanup);
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
      return startProftpd(options);
    case 'pure-ftpd':
      return startPureFtpd(options);
    case 'vsftpd':
    case 'pyftpdlib': {
      const peer = await startPeerServer(name, {
        root: options.root,
        user: BENCH_USER,
        password: BENCH_PASSWORD,
        tls: options.tls === true,
      });
      // vsftpd's launcher chowns the root to its account; others must still write into it.
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
