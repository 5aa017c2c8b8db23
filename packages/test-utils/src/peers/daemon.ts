/**
 * What the daemon launchers (vsftpd, ProFTPD, Pure-FTPd) share: the certificate files a daemon
 * reads, and starting it — spawn, wait for its greeting, and on failure stop it and remove its
 * work dir before saying why.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createCertificate } from '../certificates.js';
import type { TempDir } from '../temp-dir.js';
import { spawnPeer, waitForGreeting } from './process.js';
import { type PeerServer, type PeerServerName, type PeerServerOptions, peerHandle } from './types.js';

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
