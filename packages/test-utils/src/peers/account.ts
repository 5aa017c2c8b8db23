/**
 * The system account the peer daemons run a test user's session as (vsftpd logs it in through
 * PAM; ProFTPD and Pure-FTPd map their own user files to its uid and gid). Root only.
 */
import { execFileSync } from 'node:child_process';
import { chownSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A locked-down system account (no home of its own, nologin shell); with `password`, that is its
 * password (vsftpd checks it through PAM). Returns its ids. Test files run in parallel processes
 * may call this at once: the account tools lock /etc/passwd and /etc/shadow, so a refused call is
 * retried, and an account another process just created is taken as it is.
 */
export function ensureSystemAccount(user: string, password?: string): { uid: number; gid: number } {
  if (!/^[a-z_][a-z0-9_-]{0,30}$/.test(user)) throw new Error(`unsafe peer test user name: ${user}`);
  // vsftpd changes to the account's home before local_root, so the home must exist.
  const home = `/var/lib/${user}-ftp-peer`;
  if (lookupAccount(user) === undefined) {
    retried(() => {
      if (lookupAccount(user) !== undefined) return;
      execFileSync(
        'useradd',
        ['--system', '--no-create-home', '--home-dir', home, '--shell', '/usr/sbin/nologin', user],
        { stdio: ['ignore', 'ignore', 'pipe'] },
      );
    });
  }
  const ids = lookupAccount(user);
  if (ids === undefined) throw new Error(`could not create the peer test user ${user}`);
  if (password !== undefined) {
    retried(() =>
      execFileSync('chpasswd', [], { input: `${user}:${password}\n`, stdio: ['pipe', 'ignore', 'pipe'] }),
    );
  }
  mkdirSync(home, { recursive: true });
  chownSync(home, ids.uid, ids.gid);
  if (ids.home !== home) {
    retried(() => execFileSync('usermod', ['--home', home, user], { stdio: ['ignore', 'ignore', 'pipe'] }));
  }
  return { uid: ids.uid, gid: ids.gid };
}

function lookupAccount(user: string): { uid: number; gid: number; home: string } | undefined {
  try {
    const entry = execFileSync('getent', ['passwd', user], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    const [, , uid, gid, , home] = entry.trim().split(':');
    return { uid: Number(uid), gid: Number(gid), home: home ?? '' };
  } catch {
    return undefined;
  }
}

/** Runs an account tool, again (up to ~5 s) while another process holds the account files' lock. */
function retried(run: () => void): void {
  for (let attempt = 0; ; attempt++) {
    try {
      run();
      return;
    } catch (error) {
      if (attempt >= 50) throw error;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100);
    }
  }
}

/** Gives the account the test root, so that its sessions may write anywhere in it. */
export function chownTree(path: string, uid: number, gid: number): void {
  chownSync(path, uid, gid);
  if (!statSync(path).isDirectory()) return;
  for (const name of readdirSync(path)) chownTree(join(path, name), uid, gid);
}
