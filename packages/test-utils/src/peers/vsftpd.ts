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
import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createCertificate } from '../certificates.js';
import { tempDir } from '../temp-dir.js';
import { freePort, spawnPeer, waitForGreeting } from './process.js';
import { type PeerServer, type PeerServerOptions, peerHandle } from './types.js';

export const VSFTPD = '/usr/sbin/vsftpd';
const PAM_SERVICE = 'ftpkit-vsftpd';
const SECURE_CHROOT_DIR = '/var/run/vsftpd/empty';

export function vsftpdAvailable(): boolean {
  return existsSync(VSFTPD) && typeof process.getuid === 'function' && process.getuid() === 0;
}

function ensureAccount(user: string, password: string): { uid: number; gid: number } {
  if (!/^[a-z_][a-z0-9_-]{0,30}$/.test(user)) throw new Error(`unsafe vsftpd test user name: ${user}`);
  const lookup = () => {
    try {
      const id = (flag: string) =>
        execFileSync('id', [flag, user], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
      return { uid: Number(id('-u')), gid: Number(id('-g')) };
    } catch {
      return undefined;
    }
  };
  // vsftpd changes to the account's home before local_root, so the home must exist.
  const home = `/var/lib/${user}-ftp-peer`;
  if (lookup() === undefined) {
    execFileSync('useradd', [
      '--system',
      '--no-create-home',
      '--home-dir',
      home,
      '--shell',
      '/usr/sbin/nologin',
      user,
    ]);
  }
  execFileSync('chpasswd', [], { input: `${user}:${password}\n` });
  const ids = lookup();
  if (ids === undefined) throw new Error(`could not create the vsftpd test user ${user}`);
  mkdirSync(home, { recursive: true });
  chownSync(home, ids.uid, ids.gid);
  execFileSync('usermod', ['--home', home, user]);
  return ids;
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

function chownTree(path: string, uid: number, gid: number): void {
  chownSync(path, uid, gid);
  if (!statSync(path).isDirectory()) return;
  for (const name of readdirSync(path)) chownTree(join(path, name), uid, gid);
}

export async function startVsftpd(options: PeerServerOptions): Promise<PeerServer> {
  if (!vsftpdAvailable())
    throw new Error('vsftpd needs /usr/sbin/vsftpd and root (scripts/install-system-deps.sh)');
  const user = options.user ?? 'ftpkit';
  const password = options.password ?? 'ftpkit-peer-secret';
  const { uid, gid } = ensureAccount(user, password);
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
    const certificate = createCertificate({ keyType: 'rsa' });
    ca = certificate.ca;
    writeFileSync(join(work.path, 'cert.pem'), certificate.cert);
    writeFileSync(join(work.path, 'key.pem'), certificate.key, { mode: 0o600 });
    lines.push(
      'ssl_enable=YES',
      `rsa_cert_file=${join(work.path, 'cert.pem')}`,
      `rsa_private_key_file=${join(work.path, 'key.pem')}`,
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
  const peer = spawnPeer(VSFTPD, [configFile]);
  try {
    await waitForGreeting('127.0.0.1', port, 10_000, peer.child);
  } catch (error) {
    await peer.stop();
    await work.cleanup();
    throw new Error(`${(error as Error).message}\n${peer.output()}`);
  }
  return peerHandle('vsftpd', port, { user, password }, options, peer, work, ca);
}
