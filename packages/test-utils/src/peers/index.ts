/**
 * Real peer servers for interop tests, the conformance suite and benchmarks: vsftpd and
 * pyftpdlib from Debian's packages, ProFTPD and Pure-FTPd unpacked from theirs
 * (scripts/install-system-deps.sh provides all four).
 */
import { existsSync } from 'node:fs';
import { proftpdAvailable, startProftpd } from './proftpd.js';
import { pureFtpdAvailable, startPureFtpd } from './pure-ftpd.js';
import { pyftpdlibAvailable, startPyftpdlib } from './pyftpdlib.js';
import type { PeerServer, PeerServerName, PeerServerOptions } from './types.js';
import { startVsftpd, vsftpdAvailable } from './vsftpd.js';

export { writeCertificateFiles } from './daemon.js';
export { freePort, type SpawnedPeer, spawnPeer, waitForGreeting } from './process.js';
export { PYTHON } from './pyftpdlib.js';
export type { PeerServer, PeerServerName, PeerServerOptions } from './types.js';

/** Whether a peer can run here (installed, and for the daemons: running as root). */
export function isPeerAvailable(name: PeerServerName | 'curl' | 'lftp' | 'python3'): boolean {
  switch (name) {
    case 'vsftpd':
      return vsftpdAvailable();
    case 'pyftpdlib':
      return pyftpdlibAvailable();
    case 'proftpd':
      return proftpdAvailable();
    case 'pure-ftpd':
      return pureFtpdAvailable();
    case 'curl':
      return existsSync('/usr/bin/curl');
    case 'lftp':
      return existsSync('/usr/bin/lftp');
    case 'python3':
      return existsSync('/usr/bin/python3');
  }
}

export function startPeerServer(name: PeerServerName, options: PeerServerOptions): Promise<PeerServer> {
  switch (name) {
    case 'vsftpd':
      return startVsftpd(options);
    case 'pyftpdlib':
      return startPyftpdlib(options);
    case 'proftpd':
      return startProftpd(options);
    case 'pure-ftpd':
      return startPureFtpd(options);
  }
}
