/**
 * The peer launchers work: each real server starts on loopback, greets, lets the test user log
 * in, stores and serves a file (checked with curl, an independent client), and stops leaving no
 * process behind. Plain and explicit FTPS.
 */
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { isPeerAvailable, type PeerServer, PYTHON, startPeerServer, tempDir } from '../src/index.ts';

const run = promisify(execFile);
const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

describe.each(['pyftpdlib', 'vsftpd', 'proftpd', 'pure-ftpd'] as const)('peer server %s', (name) => {
  let server: PeerServer | undefined;
  const cleanups: Array<() => Promise<void>> = [];

  afterEach(async () => {
    await server?.stop();
    server = undefined;
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });

  it('is installed (or unpacked) here (scripts/install-system-deps.sh)', () => {
    expect(isPeerAvailable(name)).toBe(true);
    expect(isPeerAvailable('curl')).toBe(true);
  });

  for (const tls of [false, true]) {
    it(`serves an upload back byte for byte (${tls ? 'explicit FTPS, PROT P' : 'plain'})`, async () => {
      const root = await tempDir(`ftpkit-peer-${name}-`);
      const local = await tempDir('ftpkit-peer-local-');
      cleanups.push(root.cleanup, local.cleanup);
      server = await startPeerServer(name, { root: root.path, tls });
      const payload = randomBytes(256 * 1024);
      writeFileSync(join(local.path, 'up.bin'), payload);
      if (tls && name === 'pyftpdlib') {
        // pyftpdlib closes a PROT P data connection whose TLS handshake starts before the
        // transfer command (curl's habit), so it is checked with ftplib, which waits for 150.
        await ftplibRoundTrip(server, join(local.path, 'up.bin'), join(local.path, 'down.bin'));
        expect(sha256(readFileSync(join(root.path, 'up.bin')))).toBe(sha256(payload));
        expect(sha256(readFileSync(join(local.path, 'down.bin')))).toBe(sha256(payload));
        return;
      }
      // vsftpd 3.0.3 answers 426 to about one curl upload in four over TLS 1.3 (measured here:
      // 5/20 with TLS 1.3, 0/20 with TLS 1.2), so its FTPS round trip is checked on TLS 1.2.
      const tlsMax = name === 'vsftpd' ? ['--tls-max', '1.2'] : [];
      const tlsArgs = tls ? ['--ssl-reqd', '--insecure', ...tlsMax] : [];
      const auth = ['--user', `${server.user}:${server.password}`];
      const base = `ftp://127.0.0.1:${server.port}/`;
      await run('curl', [
        '-sS',
        '--max-time',
        '20',
        ...tlsArgs,
        ...auth,
        '-T',
        join(local.path, 'up.bin'),
        `${base}up.bin`,
      ]);
      expect(sha256(readFileSync(join(root.path, 'up.bin')))).toBe(sha256(payload));
      await run('curl', [
        '-sS',
        '--max-time',
        '20',
        ...tlsArgs,
        ...auth,
        '-o',
        join(local.path, 'down.bin'),
        `${base}up.bin`,
      ]);
      expect(sha256(readFileSync(join(local.path, 'down.bin')))).toBe(sha256(payload));
      const { stdout } = await run('curl', ['-sS', '--max-time', '20', ...tlsArgs, ...auth, base]);
      expect(stdout).toContain('up.bin');
    });
  }

  it('stops every process it started', async () => {
    const root = await tempDir(`ftpkit-peer-${name}-`);
    cleanups.push(root.cleanup);
    server = await startPeerServer(name, { root: root.path });
    const port = server.port;
    await server.stop();
    server = undefined;
    await expect(run('curl', ['-sS', '--max-time', '5', `ftp://127.0.0.1:${port}/`])).rejects.toThrow();
  });
});

/** Upload then download with Python's ftplib over explicit FTPS with PROT P. */
async function ftplibRoundTrip(server: PeerServer, upload: string, download: string): Promise<void> {
  const script = [
    'import ftplib, ssl, sys',
    'ctx = ssl.create_default_context(); ctx.check_hostname = False; ctx.verify_mode = ssl.CERT_NONE',
    'f = ftplib.FTP_TLS(context=ctx, timeout=20)',
    'f.connect(sys.argv[1], int(sys.argv[2])); f.login(sys.argv[3], sys.argv[4]); f.prot_p()',
    "f.storbinary('STOR up.bin', open(sys.argv[5], 'rb'))",
    "f.retrbinary('RETR up.bin', open(sys.argv[6], 'wb').write)",
    'f.quit()',
  ].join('\n');
  await run(
    PYTHON,
    ['-c', script, server.host, String(server.port), server.user, server.password, upload, download],
    {
      timeout: 30_000,
    },
  );
}
