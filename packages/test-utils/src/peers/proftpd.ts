/**
 * ProFTPD (Debian's proftpd-core and proftpd-mod-crypto, unpacked: see ./unpacked.ts) as a peer
 * server, standalone on loopback.
 *
 * The test user comes from an AuthUserFile of the launcher's own (a SHA-512 crypt hash), mapped
 * to the system account the other daemons use, and is jailed in the root (`DefaultRoot ~`). The
 * config is a trusting one for tests and benchmarks: no login delays (mod_delay off), no reverse
 * DNS, no session caps or idle limits; uploads may overwrite, resume (REST + STOR) and append.
 * With `tls`, mod_tls with its defaults, among them that data connections must resume the
 * control connection's TLS session (the requirement clients most often fail).
 */
import { chownSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DAEMON_ACCOUNT, startDaemon, withVirtualUser, writeCertificateFiles } from './daemon.js';
import type { PeerServer, PeerServerOptions } from './types.js';
import { unpacked, unpackedAvailable } from './unpacked.js';

const BINARY = 'usr/sbin/proftpd';

export function proftpdAvailable(): boolean {
  return unpackedAvailable(BINARY);
}

export async function startProftpd(options: PeerServerOptions): Promise<PeerServer> {
  if (!proftpdAvailable()) throw new Error('proftpd needs root and scripts/install-system-deps.sh');
  return withVirtualUser('proftpd', options, async ({ user, password, hash, uid, gid, port, work }) => {
    writeFileSync(join(work.path, 'passwd'), `${user}:${hash}:${uid}:${gid}::${options.root}:/bin/sh\n`, {
      mode: 0o600,
    });
    writeFileSync(join(work.path, 'group'), `${DAEMON_ACCOUNT}::${gid}:\n`, { mode: 0o600 });
    const lines = [
      'ServerType standalone',
      'DefaultServer on',
      'ServerName "proftpd"',
      'ServerIdent on "proftpd ready"',
      `Port ${port}`,
      'DefaultAddress 127.0.0.1',
      'SocketBindTight on',
      'UseIPv6 off',
      `User ${DAEMON_ACCOUNT}`,
      `Group ${DAEMON_ACCOUNT}`,
      `PidFile ${join(work.path, 'proftpd.pid')}`,
      `ScoreboardFile ${join(work.path, 'proftpd.scoreboard')}`,
      `SystemLog ${join(work.path, 'proftpd.log')}`,
      'TransferLog none',
      'WtmpLog off',
      'UseReverseDNS off',
      // mod_delay pads every USER/PASS reply (a timing-attack defence).
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
      'AllowStoreRestart on',
      'ListOptions "" maxfiles 1000000',
      `ModulePath ${unpacked('usr/lib/proftpd')}`,
    ];
    if (options.passivePorts)
      lines.push(`PassivePorts ${options.passivePorts[0]} ${options.passivePorts[1]}`);
    let ca: string | undefined;
    if (options.tls) {
      const files = writeCertificateFiles(work.path);
      ca = files.ca;
      lines.push(
        'LoadModule mod_tls.c',
        'TLSEngine on',
        `TLSLog ${join(work.path, 'tls.log')}`,
        'TLSProtocol TLSv1.2 TLSv1.3',
        `TLSRSACertificateFile ${files.cert}`,
        `TLSRSACertificateKeyFile ${files.key}`,
        'TLSRequired off',
        'TLSVerifyClient off',
      );
    }
    const config = join(work.path, 'proftpd.conf');
    writeFileSync(config, `${lines.join('\n')}\n`);
    // ProFTPD refuses a config, log or pid directory that others may write to.
    chownSync(work.path, 0, 0);
    return await startDaemon({
      name: 'proftpd',
      command: unpacked(BINARY),
      args: ['--nodaemon', '--config', config],
      port,
      credentials: { user, password },
      options,
      work,
      ca,
    });
  });
}
