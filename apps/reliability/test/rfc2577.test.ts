/**
 * RFC 2577 ("FTP Security Considerations") attacks against a live server: bounce (§3), port
 * stealing from a foreign address (§3, §5), passive port-range exhaustion by one client,
 * brute force (§4), username enumeration (§5), plaintext login and data when TLS is required
 * (RFC 4217 policy). Each test fails if the defence it names is removed.
 */
import net from 'node:net';
import { parsePasvReply } from '@ftpkit/codec';
import { hashPassword, MemoryFileSystem, StaticUserAuthenticator } from '@ftpkit/server';
import { afterEach, describe, expect, it } from 'vitest';
import { type Fixture, freePortRange, PASSWORD, startServer, testTls } from '../src/harness.ts';
import { connectData, type RawClient, readAll, writeAll } from '../src/raw-client.ts';

const fixtures: Fixture[] = [];
async function server(options: Parameters<typeof startServer>[0] = {}): Promise<Fixture> {
  const f = await startServer(options);
  fixtures.push(f);
  return f;
}
afterEach(async () => {
  await Promise.all(fixtures.splice(0).map((f) => f.close()));
});

/** A listener that records every connection it gets (a would-be bounce victim). */
async function victimListener(host: string): Promise<{ port: number; hits: () => number; close(): void }> {
  let hits = 0;
  const s = net.createServer((socket) => {
    hits++;
    socket.destroy();
  });
  await new Promise<void>((resolve) => s.listen(0, host, resolve));
  return { port: (s.address() as net.AddressInfo).port, hits: () => hits, close: () => s.close() };
}

describe('bounce attacks (RFC 2577 §3)', () => {
  it('PORT/EPRT to a third-party address or a privileged port is refused and never connected', async () => {
    const f = await server();
    const victim = await victimListener('127.0.0.2');
    try {
      const c = await f.login();
      const hi = victim.port >> 8;
      const lo = victim.port & 255;
      const attempts = [
        `PORT 127,0,0,2,${hi},${lo}`,
        `EPRT |1|127.0.0.2|${victim.port}|`,
        `EPRT |2|::1|${victim.port}|`,
        'PORT 10,0,0,1,4,1',
        'PORT 127,0,0,1,0,25',
        'PORT 127,0,0,1,3,255', // 1023
        'EPRT |1|127.0.0.1|21|',
        'EPRT |1|127.0.0.1|0|',
        'PORT 127,0,0,1,256,1',
        'PORT 0,0,0,0,200,1',
        'PORT 255,255,255,255,200,1',
        'EPRT |1|127.000.000.002|2000|',
        `EPRT |1|::ffff:127.0.0.2|${victim.port}|`,
      ];
      for (const line of attempts) {
        const reply = await c.send(line);
        expect(reply.code, line).toBeGreaterThanOrEqual(500);
        // A transfer after a refused PORT has no target: 425, never a connection.
        expect((await c.send('RETR /pub/readme.txt')).code, line).toBe(425);
      }
      expect(victim.hits()).toBe(0);
      expect((await c.send('NOOP')).code).toBe(200);
    } finally {
      victim.close();
    }
  });
});

describe('port stealing (RFC 2577 §3)', () => {
  it('a passive data connection from 127.0.0.2 is refused; the file never reaches it', async () => {
    const f = await server({ files: { '/secret.txt': 'CONFIDENTIAL-PAYLOAD' } });
    const c = await f.login();
    const reply = await c.send('PASV');
    const { port } = parsePasvReply(reply.lines[0]!);
    const thief = await connectData('127.0.0.1', port, '127.0.0.2');
    const stolen = readAll(thief);
    expect(await c.cmd('RETR /secret.txt')).toBe(
      '425 Security: data connection from a foreign address refused.',
    );
    expect((await stolen).toString()).not.toContain('CONFIDENTIAL');
    // The session is fine and a proper transfer works afterwards.
    const data = await c.pasv();
    expect((await c.send('RETR /secret.txt')).code).toBe(150);
    expect((await readAll(data)).toString()).toBe('CONFIDENTIAL-PAYLOAD');
    expect((await c.read()).code).toBe(226);
  });

  it('EPSV: the same check applies to 229 listeners', async () => {
    const f = await server({ files: { '/secret.txt': 'CONFIDENTIAL-PAYLOAD' } });
    const c = await f.login();
    const reply = await c.send('EPSV');
    const port = Number(/\|\|\|(\d+)\|/.exec(reply.lines[0]!)![1]);
    const thief = await connectData('127.0.0.1', port, '127.0.0.2');
    const stolen = readAll(thief);
    expect((await c.send('RETR /secret.txt')).code).toBe(425);
    expect((await stolen).toString()).toBe('');
  });
});

describe('passive port-range exhaustion', () => {
  it('one client cannot take every passive port: another client still gets one and transfers', async () => {
    const range = await freePortRange(6);
    const f = await server({
      passive: { portRange: range },
      limits: { maxSessionsPerIp: 32, dataConnectTimeout: 10_000 },
    });
    // The hog: as many sessions as it may open from 127.0.0.1, each holding a PASV listener.
    const hogs: RawClient[] = [];
    const hogReplies: number[] = [];
    for (let i = 0; i < 10; i++) {
      const h = await f.login();
      hogs.push(h);
      hogReplies.push((await h.send('PASV')).code);
      hogReplies.push((await h.send('EPSV')).code); // a second listener per session replaces the first
    }
    expect(hogReplies.filter((code) => code === 227 || code === 229).length).toBeGreaterThan(0);
    // The victim, from another address, must still be served.
    const v = await f.login('alice', { localAddress: '127.0.0.2' });
    const data = await v.pasv({ localAddress: '127.0.0.2' });
    expect((await v.send('RETR /pub/readme.txt')).code).toBe(150);
    expect((await readAll(data)).toString()).toBe('hello\r\n');
    expect((await v.read()).code).toBe(226);
    // The hog's refusals are a clean 425, and its sessions stay usable.
    expect(hogReplies.every((code) => code === 227 || code === 229 || code === 425)).toBe(true);
    expect((await hogs[9]!.send('NOOP')).code).toBe(200);
  });

  it('a single session spamming PASV never holds more than one port', async () => {
    const range = await freePortRange(3);
    const f = await server({ passive: { portRange: range } });
    const c = await f.login();
    for (let i = 0; i < 50; i++) expect((await c.send('PASV')).code).toBe(227);
    const other = await f.login('alice', { localAddress: '127.0.0.2' });
    const data = await other.pasv();
    expect((await other.send('LIST /pub')).code).toBe(150);
    expect((await readAll(data)).toString()).toContain('readme.txt');
    expect((await other.read()).code).toBe(226);
  });
});

describe('brute force (RFC 2577 §4)', () => {
  it('failed logins are delayed and then banned; another client is served meanwhile', async () => {
    const f = await server({
      limits: { loginDelay: { base: 300, max: 600 }, ban: { after: 4, duration: 60_000 } },
    });
    const failed: { delay: number; banned: boolean }[] = [];
    const logins: string[] = [];
    f.server.on('login-failed', (e) => failed.push({ delay: e.delay, banned: e.banned }));
    f.server.on('login', (e) => logins.push(e.remoteAddress));
    const attacker = await f.connect();
    await attacker.read();
    await attacker.send('USER alice');
    // While the attacker's PASS waits out its delay, a client from elsewhere logs in and transfers.
    attacker.write('PASS guess-0\r\n');
    const order: string[] = [];
    const attackerReply = attacker.read().then((r) => {
      order.push('attacker-530');
      return r;
    });
    const victim = await f.login('alice', { localAddress: '127.0.0.2' });
    const data = await victim.pasv();
    expect((await victim.send('RETR /pub/readme.txt')).code).toBe(150);
    expect((await readAll(data)).toString()).toBe('hello\r\n');
    expect((await victim.read()).code).toBe(226);
    order.push('victim-done');
    expect((await attackerReply).code).toBe(530);
    expect(order).toEqual(['victim-done', 'attacker-530']);
    for (let i = 1; i < 4; i++) {
      await attacker.send('USER alice');
      expect((await attacker.send(`PASS guess-${i}`)).code).toBe(530);
    }
    expect((await attacker.read()).code).toBe(421);
    expect(failed.map((e) => e.delay)).toEqual([300, 600, 600, 600]);
    expect(failed.map((e) => e.banned)).toEqual([false, false, false, true]);
    // Banned: even the right password on a new connection gets 421 before any greeting.
    const again = await f.connect();
    expect((await again.read()).code).toBe(421);
    await expect(again.read(2000)).rejects.toThrow(/closed/);
    // The victim's address is not banned.
    const victim2 = await f.login('alice', { localAddress: '127.0.0.2' });
    expect((await victim2.send('NOOP')).code).toBe(200);
    expect(logins).toEqual(['127.0.0.2', '127.0.0.2']);
  });
});

describe('username enumeration (RFC 2577 §5)', () => {
  it('unknown users and wrong passwords get byte-identical replies (real scrypt hashes)', async () => {
    const fs = new MemoryFileSystem({ files: { '/a.txt': 'a' } });
    const authenticator = new StaticUserAuthenticator({
      users: [
        { username: 'alice', password: await hashPassword(PASSWORD, { N: 1024, r: 8, p: 1 }), root: fs },
      ],
    });
    const f = await server({ authenticator, limits: { loginDelay: false, ban: false } });
    const transcript = async (user: string, password: string) => {
      const c = await f.connect();
      const lines: string[] = [];
      await c.read();
      for (const cmd of [`USER ${user}`, `PASS ${password}`]) {
        const r = await c.send(cmd);
        lines.push(`${r.code} ${r.lines.join('\n')}`);
      }
      await c.close();
      return lines;
    };
    const wrongPassword = await transcript('alice', 'not-the-password');
    expect(wrongPassword[1]).toMatch(/^530 /);
    for (const user of ['bob', 'root', 'ALICE', 'alice ', 'anonymous', 'ftp', 'a'.repeat(200)]) {
      expect(await transcript(user, 'not-the-password')).toEqual(wrongPassword);
    }
    expect((await transcript('alice', PASSWORD))[1]).toMatch(/^230 /);
  });
});

describe('TLS policy (RFC 4217)', () => {
  it('requireTls: a plaintext login with the right password is refused and never logs in', async () => {
    const f = await server({ tls: testTls(), requireTls: true });
    const logins: unknown[] = [];
    f.server.on('login', (e) => logins.push(e));
    const c = await f.connect();
    await c.read();
    const user = await c.cmd('USER alice');
    expect(user).toMatch(/^530 /);
    expect(await c.cmd(`PASS ${PASSWORD}`)).toBe(user);
    expect(await c.cmd('USER nobody')).toBe(user);
    for (const cmd of [
      'PWD',
      'LIST',
      'RETR /pub/readme.txt',
      'STOR x',
      'MKD x',
      'CWD /',
      'PASV',
      'PORT 127,0,0,1,200,1',
    ]) {
      expect((await c.send(cmd)).code, cmd).toBe(530);
    }
    expect(logins).toEqual([]);
    // After AUTH TLS the same credentials work.
    expect((await c.authTls(f.cert.ca)).code).toBe(234);
    expect((await c.login('alice', PASSWORD)).code).toBe(230);
    expect(logins).toHaveLength(1);
  });

  it('requireProtP: data in clear is refused both ways, nothing published, no plaintext leaked', async () => {
    const f = await server({
      tls: testTls(),
      requireProtP: true,
      files: { '/secret.txt': 'CONFIDENTIAL-PAYLOAD' },
    });
    const uploads: unknown[] = [];
    f.server.on('upload', (e) => uploads.push(e));
    const c = await f.connect();
    await c.read();
    await c.authTls(f.cert.ca);
    await c.login('alice', PASSWORD);
    // Without PROT P at all: 521 before any data connection.
    await c.send('PASV');
    expect((await c.send('RETR /secret.txt')).code).toBe(521);
    expect((await c.send('PBSZ 0')).code).toBe(200);
    expect((await c.send('PROT C')).code).toBe(534);
    expect((await c.send('PROT P')).code).toBe(200);
    // PROT P set, but the client speaks clear text on the data connection.
    const down = await c.pasv();
    const received = readAll(down);
    expect((await c.send('RETR /secret.txt')).code).toBe(150);
    down.end(); // no TLS ClientHello: the server's handshake cannot complete
    expect((await c.read()).code).toBeGreaterThanOrEqual(400);
    expect((await received).toString('latin1')).not.toContain('CONFIDENTIAL');
    const up = await c.pasv();
    expect((await c.send('STOR clear.txt')).code).toBe(150);
    await writeAll(up, 'PLAINTEXT-UPLOAD\r\n');
    expect((await c.read()).code).toBeGreaterThanOrEqual(400);
    expect((await c.send('SIZE clear.txt')).code).toBe(550);
    expect(uploads).toEqual([]);
    expect((await c.send('NOOP')).code).toBe(200);
  });
});
