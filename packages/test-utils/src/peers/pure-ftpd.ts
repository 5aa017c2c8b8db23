/**
 * Pure-FTPd (Debian's pure-ftpd, unpacked: see ./unpacked.ts) as a peer server, standalone on
 * loopback.
 *
 * The test user is a PureDB virtual user of the launcher's own (a SHA-512 crypt hash; `pure-pw`'s
 * own default, argon2id with 511 passes, would make every login cost a second), mapped to the
 * system account the other daemons use and chrooted in the root. No anonymous access, no reverse
 * DNS, no session caps; listings are not capped at Pure-FTPd's default 10,000 entries.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startDaemon, withVirtualUser, writeCertificateFiles } from './daemon.js';
import type { PeerServer, PeerServerOptions } from './types.js';
import { unpacked, unpackedAvailable } from './unpacked.js';

const BINARY = 'usr/sbin/pure-ftpd';

export function pureFtpdAvailable(): boolean {
  return unpackedAvailable(BINARY);
}

export async function startPureFtpd(options: PeerServerOptions): Promise<PeerServer> {
  if (!pureFtpdAvailable()) throw new Error('pure-ftpd needs root and scripts/install-system-deps.sh');
  return withVirtualUser('pure-ftpd', options, async ({ user, password, hash, uid, gid, port, work }) => {
    const passwd = join(work.path, 'pureftpd.passwd');
    const database = join(work.path, 'pureftpd.pdb');
    // Fields: login, hash, uid, gid, gecos, home (`/./` marks the chroot), then limits left empty.
    writeFileSync(passwd, `${user}:${hash}:${uid}:${gid}::${options.root}/./::::::::::::\n`, { mode: 0o600 });
    execFileSync(unpacked('usr/bin/pure-pw'), ['mkdb', database, '-f', passwd], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const args = [
      `--bind=127.0.0.1,${port}`,
      `--login=puredb:${database}`,
      '--chrooteveryone',
      '--noanonymous',
      '--dontresolve',
      '--minuid=1',
      '--maxclientsnumber=50000',
      '--maxclientsperip=50000',
      '--maxidletime=1000',
      '--limitrecursion=1000000:8',
      '--umask=133:022',
    ];
    if (options.passivePorts)
      args.push(`--passiveportrange=${options.passivePorts[0]}:${options.passivePorts[1]}`);
    let ca: string | undefined;
    if (options.tls) {
      const files = writeCertificateFiles(work.path);
      ca = files.ca;
      args.push('--tls=1', `--certfile=${files.cert},${files.key}`);
    }
    return await startDaemon({
      name: 'pure-ftpd',
      command: unpacked(BINARY),
      args,
      port,
      credentials: { user, password },
      options,
      work,
      ca,
    });
  });
}
