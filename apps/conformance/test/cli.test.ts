import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startPeerServer, tempDir } from '@ftpkit/test-utils';
import { describe, expect, it } from 'vitest';
import { main, targetFromUrl } from '../src/cli.ts';

function capture() {
  let out = '';
  let err = '';
  return {
    io: { stdout: (t: string) => (out += t), stderr: (t: string) => (err += t) },
    out: () => out,
    err: () => err,
  };
}

describe('ftpkit-conformance', () => {
  it('runs against a server URL, prints the summary and writes JUnit and HTML reports', async () => {
    await using root = await tempDir('ftpkit-conformance-cli-');
    await using reports = await tempDir('ftpkit-conformance-reports-');
    const peer = await startPeerServer('pyftpdlib', { root: root.path });
    try {
      const c = capture();
      const status = await main(
        [
          'server',
          `ftp://${peer.user}:${peer.password}@127.0.0.1:${peer.port}`,
          '--filter',
          'rfc959/5.4-login,rfc959/5.4-rename,rfc959/5.4-rein',
          '--name',
          'pyftpdlib',
          '--report',
          reports.path,
          '--no-color',
        ],
        c.io,
      );
      expect(status).toBe(0);
      // 5.4-rein fails on pyftpdlib with a justification: shown with its exchange, not fatal.
      expect(c.out()).toContain('JUST [MUST] rfc959/5.4-rein');
      expect(c.out()).toContain('S: 230 Ready for new user.');
      expect(c.out()).toMatch(/\n\d+ passed, 1 failed\n/);
      const junit = readFileSync(join(reports.path, 'junit.xml'), 'utf8');
      expect(junit).toContain('<testsuite name="pyftpdlib"');
      const html = readFileSync(join(reports.path, 'index.html'), 'utf8');
      expect(html).toContain('href="#x-pyftpdlib-rfc959-5-4-rename"');
      expect(html).not.toMatch(/<script|<link|src="http/);
    } finally {
      await peer.stop();
    }
  });

  it('exits 1 on an unjustified MUST failure', async () => {
    await using root = await tempDir('ftpkit-conformance-cli-');
    const peer = await startPeerServer('pyftpdlib', { root: root.path });
    try {
      const c = capture();
      // Under another name the pyftpdlib justification of 5.4-rein does not apply.
      const status = await main(['server', peer.url, '--filter', 'rfc959/5.4-rein', '--name', 'other'], c.io);
      expect(status).toBe(1);
      expect(c.out()).toContain('FAIL [MUST] rfc959/5.4-rein');
      expect(c.out()).toMatch(/\n0 passed, 1 failed\n$/);
    } finally {
      await peer.stop();
    }
  });

  it('exits 2 on usage errors and lists the corpus', async () => {
    const c = capture();
    expect(await main(['server'], c.io)).toBe(2);
    expect(await main(['server', 'http://x'], c.io)).toBe(2);
    expect(await main(['server', 'ftp://h', '--tls', 'sometimes'], c.io)).toBe(2);
    expect(c.err()).toContain('usage:');
    const l = capture();
    expect(await main(['list', '--filter', 'rfc4217'], l.io)).toBe(0);
    expect(l.out()).toMatch(/rfc4217\/explicit-session\tMUST/);
    expect(existsSync(new URL('../package.json', import.meta.url))).toBe(true);
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
    expect(pkg.bin['ftpkit-conformance']).toBe('./dist/cli.js');
  });

  it('reads targets from URLs', () => {
    expect(targetFromUrl('ftp://a%40b:p%3Ass@[::1]:2121', {})).toMatchObject({
      host: '::1',
      port: 2121,
      user: 'a@b',
      password: 'p:ss',
      tls: 'none',
      name: '::1:2121',
    });
    expect(targetFromUrl('ftps://h', { insecure: true })).toMatchObject({
      port: 990,
      tls: 'implicit',
      rejectUnauthorized: false,
      user: 'anonymous',
    });
  });
});
