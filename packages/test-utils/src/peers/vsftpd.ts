/**
 * vsftpd (Debian's package) as a peer server, in standalone mode on loopback.
 *
 * vsftpd authenticates system accounts through PAM and switches to the account's uid, so the
 * launcher (which must run as root, as CI does) makes sure of three things first: a locked-down
 * system account (no home, nologin shell) with the test password, a PAM service of our own that
 * only asks pam_unix (Debian's /etc/pam.d/vsftpd also demands a listed shell), and a root
 * directory owned by that account. The daemon gets a config file of its own: loopback only, no
 * anonymous access, no seccomp sandbox or network namespace (they fail inside containers).
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../temp-dir.js';
import { chownTree, ensureSystemAccount } from './account.js';
import { startDaemon, writeCertificateFiles } from './daemon.js';
import { freePort } from './process.js';
import type { PeerServer, PeerServerOptions } from './types.js';

export const VSFTPD = '/usr/sbin/vsftpd';
const PAM_SERVICE = 'ftpkit-vsftpd';
const SECURE_CHROOT_DIR = '/var/run/vsftpd/empty';

export function vsftpdAvailable(): boolean {
  return existsSync(VSFTPD) && typeof process.getuid === 'function' && process.getuid() === 0;
}

function ensurePamService(): void {
  const file = `/etc/pam.d/${PAM_SERVICE}`;
  if (!existsSync(file)) {
    writeFileSync(
      file,
      '# ftpkit interop tests: vsftpd logins of the test account\nauth required pam_unix.so\naccount required pam_unix.so\nsession required pam_permit.so\n',
    );
  }
  mkdirSync(SECURE_CHROOT_DIR, { recursive: true });
}

export async function startVsftpd(options: PeerServerOptions): Promise<PeerServer> {
  if (!vsftpdAvailable())
    throw new Error('vsftpd needs /usr/sbin/vsftpd and root (scripts/install-system-deps.sh)');
  const user = options.user ?? 'ftpkit';
  const password = options.password ?? 'ftpkit-peer-secret';
  const { uid, gid } = ensureSystemAccount(user, password);
  ensurePamService();
  chownTree(options.root, uid, gid);
  const work = await tempDir('ftpkit-vsftpd-');
  const port = await freePort();
  const lines = [
    'listen=YES',
    'listen_ipv6=NO',
    'listen_address=127.0.0.1',
    `listen_port=${port}`,
    'background=NO',
    'anonymous_enable=NO',
    'local_enable=YES',
    'write_enable=YES',
    'local_umask=022',
    `local_root=${options.root}`,
    'chroot_local_user=YES',
    'allow_writeable_chroot=YES',
    `pam_service_name=${PAM_SERVICE}`,
    `secure_chroot_dir=${SECURE_CHROOT_DIR}`,
    'seccomp_sandbox=NO',
    'isolate_network=NO',
    'connect_from_port_20=NO',
    'xferlog_enable=NO',
    'syslog_enable=NO',
    `vsftpd_log_file=${join(work.path, 'vsftpd.log')}`,
    'dirmessage_enable=NO',
    'use_localtime=NO',
    'ftpd_banner=vsftpd ready',
    'max_clients=0',
    'max_per_ip=0',
  ];
  if (options.passivePorts) {
    lines.push(`pasv_min_port=${options.passivePorts[0]}`, `pasv_max_port=${options.passivePorts[1]}`);
  }
  let ca: string | undefined;
  if (options.tls) {
    const files = writeCertificateFiles(work.path);
    ca = files.ca;
    lines.push(
      'ssl_enable=YES',
      `rsa_cert_file=${files.cert}`,
      `rsa_private_key_file=${files.key}`,
      // Debian's vsftpd 3.0.3 has no per-version switches beyond these: ssl_tlsv1=YES allows
      // every TLS 1.x the OpenSSL build allows (1.2 and 1.3 with Debian's default policy).
      'ssl_tlsv1=YES',
      'ssl_sslv2=NO',
      'ssl_sslv3=NO',
      'force_local_logins_ssl=NO',
      'force_local_data_ssl=NO',
      'require_ssl_reuse=YES',
      'ssl_ciphers=HIGH',
      'ssl_request_cert=NO',
    );
  }
  const configFile = join(work.path, 'vsftpd.conf');
  writeFileSync(configFile, `${lines.join('\n')}\n`, { mode: 0o600 });
  return startDaemon({
    name: 'vsftpd',
    command: VSFTPD,
    args: [configFile],
    port,
    credentials: { user, password },
    options,
    work,
    ca,
  });
}
