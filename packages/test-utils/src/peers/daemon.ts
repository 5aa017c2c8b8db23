/**
 * What the daemon launchers (vsftpd, ProFTPD, Pure-FTPd) share: the test user of a daemon with a
 * user file of its own, the certificate files a daemon reads, and starting it — spawn, wait for
 * its greeting, and on failure stop it and remove its work dir before saying why.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createCertificate } from '../certificates.js';
import { type TempDir, tempDir } from '../temp-dir.js';
import { chownTree, ensureSystemAccount } from './account.js';
import { freePort, spawnPeer, waitForGreeting } from './process.js';
import { type PeerServer, type PeerServerName, type PeerServerOptions, peerHandle } from './types.js';

/** The system account whose uid and gid a daemon's own test user maps to (and ProFTPD runs as). */
export const DAEMON_ACCOUNT = 'ftpkit';

/** A daemon's test user from its own user file, and where the daemon goes. */
export interface VirtualUser {
  readonly user: string;
  readonly password: string;
  /** SHA-512 crypt of the password (`openssl passwd -6`), which both daemons verify. */
  readonly hash: string;
  readonly uid: number;
  readonly gid: number;
  readonly port: number;
  readonly work: TempDir;
}

/**
 * Prepares a daemon whose test user lives in a user file of its own (ProFTPD, Pure-FTPd): the
 * system account it maps to, the root given to that account, a work dir and a free port; then
 * runs `start`, removing the work dir if it throws.
 */
export async function withVirtualUser(
  name: PeerServerName,
  options: PeerServerOptions,
  start: (setup: VirtualUser) => Promise<PeerServer>,
): Promise<PeerServer> {
  const user = options.user ?? 'ftpkit';
  const password = options.password ?? 'ftpkit-peer-secret';
  if (!/^[A-Za-z0-9_.-]{1,32}$/.test(user)) throw new Error(`unsafe ${name} test user name: ${user}`);
  const { uid, gid } = ensureSystemAccount(DAEMON_ACCOUNT);
  chownTree(options.root, uid, gid);
  const work = await tempDir(`ftpkit-${name}-`);
  try {
    const port = await freePort();
    const hash = execFileSync('openssl', ['passwd', '-6', '-stdin'], {
      input: `${password}\n`,
      encoding: 'utf8',
    }).trim();
    return await start({ user, password, hash, uid, gid, port, work });
  } catch (error) {
    await work.cleanup();
    throw error;
  }
}

/** A self-signed RSA certificate for 127.0.0.1 written to `dir`; the CA clients must trust. */
export function writeCertificateFiles(dir: string): { cert: string; key: string; ca: string } {
  const certificate = createCertificate({ keyType: 'rsa' });
  const cert = join(dir, 'cert.pem');
  const key = join(dir, 'key.pem');
  writeFileSync(cert, certificate.cert);
  writeFileSync(key, certificate.key, { mode: 0o600 });
  return { cert, key, ca: certificate.ca };
}

export interface DaemonStart {
  readonly name: PeerServerName;
  readonly command: string;
  readonly args: readonly string[];
  readonly port: number;
  readonly credentials: { readonly user: string; readonly password: string };
  readonly options: PeerServerOptions;
  readonly work: TempDir;
  readonly ca: string | undefined;
}

export async function startDaemon(start: DaemonStart): Promise<PeerServer> {
  const peer = spawnPeer(start.command, start.args);
  try {
    await waitForGreeting('127.0.0.1', start.port, 10_000, peer.child);
  } catch (error) {
    await peer.stop();
    await start.work.cleanup();
    throw new Error(`${start.name}: ${(error as Error).message}\n${peer.output()}`);
  }
  return peerHandle(start.name, start.port, start.credentials, start.options, peer, start.work, start.ca);
}
