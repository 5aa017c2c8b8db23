import type { TempDir } from '../temp-dir.js';
import type { SpawnedPeer } from './process.js';
/** The peer servers interop tests, the conformance suite and benchmarks run ftpkit against. */
export type PeerServerName = 'vsftpd' | 'pyftpdlib' | 'proftpd' | 'pure-ftpd';

export interface PeerServerOptions {
  /** The directory the test user logs in to (and may write to). */
  readonly root: string;
  /**
   * Default `ftpkit`. For vsftpd this is a system account the launcher creates (root only);
   * ProFTPD and Pure-FTPd get it from a user file of their own.
   */
  readonly user?: string;
  /** Default `ftpkit-peer-secret`. */
  readonly password?: string;
  /** Offer explicit FTPS (AUTH TLS) with a generated self-signed certificate. Default false. */
  readonly tls?: boolean;
  /** Passive port range, inclusive. Default: any free port. */
  readonly passivePorts?: readonly [number, number];
}

export interface PeerServer {
  readonly name: PeerServerName;
  readonly host: '127.0.0.1';
  readonly port: number;
  readonly user: string;
  readonly password: string;
  readonly root: string;
  readonly tls: boolean;
  /**
   * With `tls`: the PEM certificate the daemon presents (self-signed, for 127.0.0.1 and
   * localhost), for clients that must trust it (`tls.ca`, `ftpkit --ca FILE`).
   */
  readonly ca?: string;
  /** `ftp://user:password@127.0.0.1:port/` */
  readonly url: string;
  /** The daemon's process id (it leads its own process group), for CPU and memory readings. */
  readonly pid?: number;
  /** What the daemon printed so far, for failure messages. */
  output(): string;
  /** Stops exactly the processes this launcher started. */
  stop(): Promise<void>;
}

/** The handle every launcher returns: who and where the peer is, and how to stop it and clean up. */
export function peerHandle(
  name: PeerServerName,
  port: number,
  credentials: { readonly user: string; readonly password: string },
  options: PeerServerOptions,
  peer: SpawnedPeer,
  work: TempDir,
  ca: string | undefined,
): PeerServer {
  const { user, password } = credentials;
  return {
    name,
    host: '127.0.0.1',
    port,
    user,
    password,
    root: options.root,
    tls: options.tls === true,
    ...(ca === undefined ? {} : { ca }),
    url: `ftp://${encodeURIComponent(user)}:${encodeURIComponent(password)}@127.0.0.1:${port}/`,
    ...(peer.child.pid === undefined ? {} : { pid: peer.child.pid }),
    output: peer.output,
    async stop() {
      await peer.stop();
      await work.cleanup();
    },
  };
}
