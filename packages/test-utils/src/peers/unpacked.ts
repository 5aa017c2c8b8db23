/**
 * Where ProFTPD and Pure-FTPd are: they conflict with vsftpd as Debian packages, so
 * scripts/install-system-deps.sh unpacks them (`apt-get download` + `dpkg -x`) into the
 * repository's git-ignored .peers/root, or into $FTPKIT_PEERS_DIR/root when that is set.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..');

export const UNPACKED_ROOT = join(process.env.FTPKIT_PEERS_DIR ?? join(REPO, '.peers'), 'root');

/** A file of the unpacked packages, e.g. `usr/sbin/proftpd`. */
export function unpacked(path: string): string {
  return join(UNPACKED_ROOT, path);
}

/** Whether `binary` was unpacked and we are root (the daemons switch to the test account's uid). */
export function unpackedAvailable(binary: string): boolean {
  return existsSync(unpacked(binary)) && typeof process.getuid === 'function' && process.getuid() === 0;
}
