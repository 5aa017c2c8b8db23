/** Each security default with a test that fails when the feature is removed. */
import { once } from 'node:events';
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { tempDir } from '@ftpkit/test-utils';
import { describe, expect, it } from 'vitest';
import { LocalFileSystem } from '../src/fs/local-file-system.ts';
import { resolveOptions } from '../src/options.ts';
import { connectData, RawClient, readAll, writeAll } from './support/raw-client.ts';
import { PASSWORD, startServer, testTls } from './support/server.ts';

describe('TLS policy', () => {
  it('requireTls: USER/PASS before AUTH TLS → 530 with the same text for existing and unknown users', async () => {
    const f = await startServer({ tls: testTls(), requireTls: true });
    const c = await f.connect();
    await c.read();
    const known = await c.cmd('USER alice');
    const unknown = await c.cmd('USER nobody');
    expect(known).toMatch(/^530 /);
    expect(unknown).toBe(known);
    expect(await c.cmd('PASS secret')).toBe(known);
    expect((await c.send('FEAT')).code).toBe(211);
    expect((await c.authTls(f.cert.ca)).code).toBe(234);
    expect((await c.login('alice', PASSWORD)).code).toBe(230);
  });

  it('AUTH TLS: PBSZ before AUTH → 503, after → 200; PROT before PBSZ → 503; PROT S → 536; second AUTH → 503; CCC 533 before, 534 after', async () => {
    const f = await startServer({ tls: testTls() });
    const c = await f.connect();
    await c.read();
    expect((await c.send('PBSZ 0')).code).toBe(503);
    expect((await c.send('AUTH KERBEROS')).code).toBe(504);
    // RFC 2228 §3: CCC that is not integrity-protected → 533; on TLS, refused by policy → 534.
    expect((await c.send('CCC')).code).toBe(533);
    await c.authTls(f.cert.ca);
    expect((await c.send('CCC')).code).toBe(534);
    expect((await c.send('PROT P')).code).toBe(503);
    expect(await c.cmd('PBSZ 0')).toBe('200 PBSZ=0');
    expect((await c.send('PROT S')).code).toBe(536);
    expect((await c.send('PROT E')).code).toBe(536);
    expect((await c.send('PROT P')).code).toBe(200);
    expect((await c.send('AUTH TLS')).code).toBe(503);
    const feat = await c.send('FEAT');
    expect(feat.lines.map((l) => l.trim())).toEqual(expect.arrayContaining(['AUTH TLS', 'PBSZ', 'PROT']));
  });

  it('requireProtP: PROT C → 534; a data command without PROT P → 521', async () => {
    const f = await startServer({ tls: testTls(), requireProtP: true });
    const c = await f.connect();
    await c.read();
    await c.authTls(f.cert.ca);
    await c.login('alice', PASSWORD);
    await c.send('PBSZ 0');
    expect((await c.send('PROT C')).code).toBe(534);
    await c.send('PASV');
    expect((await c.send('LIST')).code).toBe(521);
  });

  async function protectedList(options: { resume: boolean; requireTlsSessionReuse?: boolean }) {
    const f = await startServer({
      tls: testTls(),
      ...(options.requireTlsSessionReuse === undefined
        ? {}
        : { requireTlsSessionReuse: options.requireTlsSessionReuse }),
    });
    const c = await f.connect();
    await c.read();
    await c.authTls(f.cert.ca);
    await c.login('alice', PASSWORD);
    await c.send('PBSZ 0');
    await c.send('PROT P');
    const data = await c.pasv();
    const secure = await c.secureData(data, { resume: options.resume });
    let reused: boolean | undefined;
    secure.once('secureConnect', () => {
      reused = secure.isSessionReused();
    });
    expect((await c.send('LIST /pub')).code).toBe(150);
    const body = await readAll(secure);
    return { body: body.toString(), final: await c.read(), reused };
  }

  it('PROT P data must resume the control TLS session (522 otherwise); resuming clients pass', async () => {
    const refused = await protectedList({ resume: false });
    expect(refused.final.code).toBe(522);
    expect(refused.final.lines[0]).toBe('SSL connection failed: session reuse required.');
    expect(refused.body).toBe('');
    const resumed = await protectedList({ resume: true });
    expect(resumed.reused).toBe(true);
    expect(resumed.final.code).toBe(226);
    expect(resumed.body).toMatch(/readme\.txt\r\n$/);
  });

  it('requireTlsSessionReuse: false lets a non-resuming client transfer', async () => {
    const r = await protectedList({ resume: false, requireTlsSessionReuse: false });
    expect(r.reused).toBe(false);
    expect(r.final.code).toBe(226);
  });

  it('implicit FTPS: TLS from the first byte on its own port', async () => {
    const f = await startServer({ tls: testTls(), implicitTls: { port: 0 } });
    const port = f.server.address()!.implicitTls!.port;
    const c = await RawClient.connect(port, { implicitTls: { ca: f.cert.ca } });
    try {
      expect((await c.read()).code).toBe(220);
      expect((await c.login('alice', PASSWORD)).code).toBe(230);
      expect(await c.cmd('STAT')).toMatch(/Control connection: TLS/);
    } finally {
      await c.close();
    }
  });

  it('tls: true generates a self-signed certificate that clients can pin', async () => {
    const f = await startServer({ tls: true });
    const pem = f.server.generatedCertificate!;
    expect(pem).toMatch(/BEGIN CERTIFICATE/);
    const c = await f.connect();
    await c.read();
    expect((await c.authTls(pem)).code).toBe(234);
    expect((await c.login('alice', PASSWORD)).code).toBe(230);
  });
});

describe('data connection policy', () => {
  it('passive data from another IP than the control peer is refused (425); allowed when switched off', async () => {
    const f = await startServer();
    const c = await f.login();
    const reply = await c.send('PASV');
    const port = Number(
      /,(\d+),(\d+)\)/
        .exec(reply.lines[0]!)!
        .slice(1)
        .reduce((a, b) => String(Number(a) * 256 + Number(b))),
    );
    const foreign = await connectData('127.0.0.1', port, '127.0.0.2');
    const closed = once(foreign, 'close');
    expect(await c.cmd('RETR /pub/readme.txt')).toBe(
      '425 Security: data connection from a foreign address refused.',
    );
    await closed;
    expect((await c.send('NOOP')).code).toBe(200);

    const open = await startServer({ dataPeerMustMatch: false });
    const o = await open.login();
    const d = await o.pasv({ localAddress: '127.0.0.2' });
    expect((await o.send('RETR /pub/readme.txt')).code).toBe(150);
    expect((await readAll(d)).toString()).toBe('hello\r\n');
  });

  it('passive.maxPerIp: one IP cannot hold more passive listeners than its share; others still get one', async () => {
    const f = await startServer({ passive: { maxPerIp: 2 } });
    const sessions = [await f.login(), await f.login(), await f.login()];
    expect((await sessions[0]!.send('PASV')).code).toBe(227);
    expect((await sessions[1]!.send('EPSV')).code).toBe(229);
    expect(await sessions[2]!.cmd('PASV')).toBe(
      "425 Can't open passive connection: too many from your address.",
    );
    // Replacing one's own listener does not count twice.
    expect((await sessions[0]!.send('PASV')).code).toBe(227);
    const other = await f.connect({ localAddress: '127.0.0.2' });
    await other.read();
    await other.login('alice', PASSWORD);
    expect((await other.send('PASV')).code).toBe(227);
    // A released listener frees the slot.
    await sessions[1]!.send('ABOR');
    await sessions[1]!.send('REIN');
    expect((await sessions[2]!.send('PASV')).code).toBe(227);
  });

  it('passive.maxPerIp defaults to half of the port range, and to no cap without one', async () => {
    expect(resolveOptions({}).passive.maxPerIp).toBe(Number.POSITIVE_INFINITY);
    expect(resolveOptions({ passive: { portRange: { min: 50000, max: 50099 } } }).passive.maxPerIp).toBe(50);
    expect(resolveOptions({ passive: { portRange: { min: 50000, max: 50005 } } }).passive.maxPerIp).toBe(3);
    expect(resolveOptions({ passive: { portRange: { min: 50000, max: 50000 } } }).passive.maxPerIp).toBe(1);
    expect(
      resolveOptions({ passive: { portRange: { min: 50000, max: 50005 }, maxPerIp: 6 } }).passive.maxPerIp,
    ).toBe(6);
  });

  it('PORT/EPRT only to the control peer and ports ≥ 1024 (bounce protection), unless allowed', async () => {
    const f = await startServer();
    const c = await f.login();
    expect(await c.cmd('PORT 127,0,0,2,200,10')).toMatch(/^501 .*control address/);
    expect(await c.cmd('EPRT |1|10.0.0.1|51200|')).toMatch(/^501 /);
    expect(await c.cmd('PORT 127,0,0,1,0,80')).toMatch(/^501 .*privileged/);
    expect(await c.cmd('EPRT |1|127.0.0.1|21|')).toMatch(/^501 /);
    expect((await c.send('PORT 127,0,0,1,200,10')).code).toBe(200);

    const open = await startServer({ active: { allowThirdParty: true, allowPrivilegedPorts: true } });
    const o = await open.login();
    expect((await o.send('PORT 127,0,0,2,0,80')).code).toBe(200);
    const off = await startServer({ active: { enabled: false } });
    const x = await off.login();
    expect((await x.send('PORT 127,0,0,1,200,10')).code).toBe(502);
  });

  it('data-connect timeout: PASV without a connection → 425 after dataConnectTimeout', async () => {
    const f = await startServer({ limits: { dataConnectTimeout: 200 } });
    const c = await f.login();
    await c.send('PASV');
    expect((await c.send('RETR /pub/readme.txt')).code).toBe(425);
    expect((await c.send('NOOP')).code).toBe(200);
  });

  it('data-stall timeout: an upload that stops sending → 426 and upload-connection-lost, nothing published', async () => {
    const f = await startServer({ limits: { dataStallTimeout: 300 } });
    const lost: { bytes: number; replyCode: number }[] = [];
    f.server.on('upload-connection-lost', (e) => lost.push(e));
    const c = await f.login();
    await c.send('TYPE I');
    const d = await c.pasv();
    expect((await c.send('STOR stalled.bin')).code).toBe(150);
    d.write(Buffer.alloc(1000, 1));
    expect((await c.read()).code).toBe(426);
    expect(lost).toEqual([expect.objectContaining({ bytes: 1000, replyCode: 426 })]);
    expect((await c.send('SIZE stalled.bin')).code).toBe(550);
    d.destroy();
  });
});

describe('login throttling and limits', () => {
  it('failed-login delay doubles per attempt from the same IP (and is really waited)', async () => {
    const f = await startServer({ limits: { loginDelay: { base: 40, max: 1000 }, ban: false } });
    const delays: number[] = [];
    f.server.on('login-failed', (e) => delays.push(e.delay));
    const c = await f.connect();
    await c.read();
    for (let i = 0; i < 3; i++) {
      await c.send('USER alice');
      const started = Date.now();
      expect((await c.send('PASS wrong')).code).toBe(530);
      expect(Date.now() - started).toBeGreaterThanOrEqual(40 * 2 ** i - 5);
    }
    expect(delays).toEqual([40, 80, 160]);
    expect((await c.login('alice', PASSWORD)).code).toBe(230);
  });

  it('after N failures the IP is banned: 421 on that session, 421 before the greeting on new ones', async () => {
    const f = await startServer({ limits: { loginDelay: false, ban: { after: 3, duration: 60_000 } } });
    const banned: boolean[] = [];
    f.server.on('login-failed', (e) => banned.push(e.banned));
    const c = await f.connect();
    await c.read();
    for (let i = 0; i < 2; i++) {
      await c.send('USER alice');
      expect((await c.send('PASS wrong')).code).toBe(530);
    }
    await c.send('USER alice');
    expect((await c.send('PASS wrong')).code).toBe(530);
    expect((await c.read()).code).toBe(421);
    expect(banned).toEqual([false, false, true]);
    const next = await f.connect();
    expect(await next.read().then((r) => r.code)).toBe(421);
  });

  it('max sessions total and per IP: 421 before the greeting', async () => {
    const f = await startServer({ limits: { maxSessions: 2, maxSessionsPerIp: 1 } });
    const a = await f.connect();
    expect((await a.read()).code).toBe(220);
    const b = await f.connect();
    const rb = await b.read();
    expect(rb.code).toBe(421);
    expect(rb.lines[0]).toMatch(/from your address/);
    const c = await f.connect({ localAddress: '127.0.0.2' });
    expect((await c.read()).code).toBe(220);
    const d = await f.connect({ localAddress: '127.0.0.3' });
    const rd = await d.read();
    expect(rd.code).toBe(421);
    expect(rd.lines[0]).toMatch(/Too many connections/);
  });

  it('idle timeout: 421 then close', async () => {
    const f = await startServer({ limits: { idleTimeout: 200 } });
    const c = await f.connect();
    await c.read();
    expect((await c.read(5000)).code).toBe(421);
    await expect(c.read(5000)).rejects.toThrow(/closed/);
  });

  it('login timeout: an unauthenticated client kept alive by NOOPs gets 421 and is closed', async () => {
    const f = await startServer({ limits: { loginTimeout: 300 } });
    const c = await f.connect();
    await c.read();
    const started = Date.now();
    let last = await c.send('NOOP');
    // NOOPs reset the idle timer but not the login clock.
    while (last.code === 200 && Date.now() - started < 5000) {
      await new Promise((r) => setTimeout(r, 50));
      last = await c.send('NOOP').catch(() => ({ code: -1, lines: [] }) as never);
    }
    expect(last.code).toBe(421);
    expect(last.lines[0]).toBe('Login timeout: closing control connection.');
    await expect(c.read(5000)).rejects.toThrow(/closed/);
  });

  it('login timeout: a login in time clears it; REIN restarts it, REIN before login does not', async () => {
    const f = await startServer({ limits: { loginTimeout: 300 } });
    const c = await f.login();
    await new Promise((r) => setTimeout(r, 500));
    expect((await c.send('NOOP')).code).toBe(200);
    expect((await c.send('REIN')).code).toBe(220);
    expect((await c.read(5000)).code).toBe(421);

    const g = await startServer({ limits: { loginTimeout: 1000 } });
    const d = await g.connect();
    await d.read();
    await new Promise((r) => setTimeout(r, 700));
    expect((await d.send('REIN')).code).toBe(220);
    // The clock started at the greeting (421 at ~1000 ms); a restarted one would say 421 at ~1700 ms.
    expect((await d.read(650)).code).toBe(421);
  });

  it('max line length: 500 for an over-long line, the session stays usable', async () => {
    const f = await startServer({ limits: { maxLineLength: 64 } });
    const c = await f.login();
    expect(await c.cmd(`CWD ${'x'.repeat(100)}`)).toBe('500 Command line too long.');
    expect((await c.send('PWD')).code).toBe(257);
  });
});

describe('the jail', () => {
  it('paths never leave the root, symlinks out of the root refuse access', async () => {
    const dir = await tempDir('ftpkit-jail-');
    try {
      await mkdir(path.join(dir.path, 'root'));
      await writeFile(path.join(dir.path, 'secret.txt'), 'top secret');
      await writeFile(path.join(dir.path, 'root', 'ok.txt'), 'fine');
      await symlink(path.join(dir.path, 'secret.txt'), path.join(dir.path, 'root', 'escape'));
      const f = await startServer({ fileSystem: new LocalFileSystem({ root: path.join(dir.path, 'root') }) });
      const c = await f.login();
      await c.send('PASV');
      expect((await c.send('RETR ../secret.txt')).code).toBe(550);
      await c.send('PASV');
      expect((await c.send('RETR /../../secret.txt')).code).toBe(550);
      await c.send('PASV');
      expect((await c.send('RETR escape')).code).toBe(550);
      expect((await c.send('SIZE escape')).code).toBe(550);
      const d = await c.pasv();
      await c.send('STOR ../../outside.txt');
      await writeAll(d, 'x');
      expect((await c.read()).code).toBe(226);
      expect((await c.send('SIZE /outside.txt')).code).toBe(213);
    } finally {
      await dir.cleanup();
    }
  });

  it('RETR follows symlinks inside the root and refuses a linked-out directory (download fast path)', async () => {
    const dir = await tempDir('ftpkit-jail-');
    try {
      const root = path.join(dir.path, 'root');
      await mkdir(path.join(root, 'sub'), { recursive: true });
      await mkdir(path.join(dir.path, 'out'));
      await writeFile(path.join(dir.path, 'out', 'secret.txt'), 'top secret');
      await writeFile(path.join(root, 'sub', 'ok.txt'), 'fine');
      await symlink(path.join(root, 'sub', 'ok.txt'), path.join(root, 'link-file'));
      await symlink(path.join(root, 'sub'), path.join(root, 'link-dir'));
      await symlink(path.join(dir.path, 'out'), path.join(root, 'link-out'));
      const f = await startServer({ fileSystem: new LocalFileSystem({ root }) });
      const c = await f.login();
      await c.send('TYPE I');
      for (const target of ['/sub/ok.txt', '/link-file', '/link-dir/ok.txt']) {
        const d = await c.pasv();
        expect((await c.send(`RETR ${target}`)).code).toBe(150);
        expect((await readAll(d)).toString()).toBe('fine');
        expect((await c.read()).code).toBe(226);
      }
      await c.send('PASV');
      expect((await c.send('RETR /link-out/secret.txt')).code).toBe(550);
      await c.send('PASV');
      expect((await c.send('RETR /sub')).code).toBe(550);
    } finally {
      await dir.cleanup();
    }
  });
});
