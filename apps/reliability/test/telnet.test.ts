/**
 * Telnet bytes on the control channel (RFC 854, RFC 959 §4.1.3). Every command form is answered
 * and the session goes on; an unterminated subnegotiation (IAC SB without IAC SE) swallows input
 * until IAC SE — as RFC 854 says — without buffering it, and before login it cannot outlive
 * `limits.loginTimeout`. (Found by the fuzzer; kept as a documented, bounded behaviour.)
 */
import { afterEach, describe, expect, it } from 'vitest';
import { type Fixture, heapAfterGc, startServer } from '../src/harness.ts';

const fixtures: Fixture[] = [];
afterEach(async () => {
  await Promise.all(fixtures.splice(0).map((f) => f.close()));
});

describe('Telnet bytes', () => {
  it.each([
    ['IAC IP', [0xff, 0xf4]],
    ['IAC DM', [0xff, 0xf2]],
    ['IAC WILL x', [0xff, 0xfb, 1]],
    ['IAC DO 255', [0xff, 0xfd, 0xff]],
    ['SB … SE', [0xff, 0xfa, 1, 2, 3, 0xff, 0xf0]],
    ['lone IAC', [0xff]],
    ['IAC SE alone', [0xff, 0xf0]],
    ['IAC unknown', [0xff, 0x00]],
  ])('%s, then a command: answered, session goes on', async (_name, bytes) => {
    const f = await startServer();
    fixtures.push(f);
    const c = await f.login();
    c.write(Uint8Array.from(bytes));
    c.write('\r\n');
    await c.read(); // the junk line's 500/501
    expect((await c.send('NOOP')).code).toBe(200);
  });

  it('an unterminated subnegotiation swallows input (not buffered) until IAC SE', async () => {
    const f = await startServer();
    fixtures.push(f);
    const c = await f.login();
    c.write(Uint8Array.from([0xff, 0xfa, 1]));
    const heapBefore = heapAfterGc();
    const junk = Buffer.alloc(1024 * 1024, 0x41);
    for (let i = 0; i < 16; i++) c.write(junk); // 16 MiB inside the subnegotiation
    c.write('NOOP\r\n');
    await expect(c.read(500)).rejects.toThrow(/no reply/);
    expect(heapAfterGc() - heapBefore).toBeLessThan(8 * 1024 * 1024);
    c.write(Uint8Array.from([0xff, 0xf0]));
    c.write('\r\n');
    await c.read();
    expect((await c.send('NOOP')).code).toBe(200);
  });

  it('before login, an open subnegotiation fed byte by byte still ends at loginTimeout (421)', async () => {
    const f = await startServer({ limits: { loginTimeout: 800 } });
    fixtures.push(f);
    const c = await f.connect();
    await c.read();
    c.write(Uint8Array.from([0xff, 0xfa, 1]));
    const feeder = setInterval(() => {
      if (!c.closed) c.write('x');
    }, 50);
    try {
      expect((await c.read(5000)).code).toBe(421);
    } finally {
      clearInterval(feeder);
    }
  });
});
