/**
 * @ftpkit/client against a hostile scripted server: endless multi-line replies, endless lines,
 * giant listings, malformed or redirecting 227/229 replies, CR/LF and path tricks in names the
 * server provides, and servers that stall at every step. Each attack must end in a typed error
 * (stable `code`) within the configured caps and timeouts, with nothing left open.
 */
import { mkdir, readdir } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { Client, type ClientOptions } from '@ftpkit/client';
import { type HandleTracker, tempDir, trackHandles } from '@ftpkit/test-utils';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { flood, type HostileHandler, type HostileServer, startHostileServer } from '../src/hostile-server.ts';

let tracker: HandleTracker;
let hostile: HostileServer | undefined;
let client: Client | undefined;

beforeEach(() => {
  tracker = trackHandles();
});

afterEach(async () => {
  await client?.close().catch(() => {});
  client = undefined;
  await hostile?.close();
  hostile = undefined;
  await tracker.assertNoLeaks(3000);
});

async function setup(
  server: Parameters<typeof startHostileServer>[0],
  options: Partial<ClientOptions> = {},
): Promise<Client> {
  hostile = await startHostileServer(server);
  client = new Client({
    host: '127.0.0.1',
    port: hostile.port,
    user: 'u',
    password: 'p',
    connectTimeout: 2000,
    replyTimeout: 1500,
    dataTimeout: 1500,
    keepaliveInterval: 0,
    ...options,
  });
  return client;
}

/** The error a promise rejects with (fails the test if it resolves). */
async function failure(promise: Promise<unknown>): Promise<{ code?: string; name?: string }> {
  try {
    await promise;
  } catch (error) {
    return error as { code?: string; name?: string };
  }
  throw new Error('expected a rejection');
}

const MB = 1024 * 1024;

describe('endless and oversized replies', () => {
  it('an endless multi-line greeting is cut by the reply caps with a typed error', async () => {
    let sent = 0;
    const c = await setup({
      greeting: null,
      onConnect: (s) => {
        s.write('220-Welcome\r\n');
        void flood(s.socket, (i) => `220-line ${i} of a greeting that never ends\r\n`, 64 * MB).then((n) => {
          sent = n;
        });
      },
    });
    const error = await failure(c.connect());
    expect(error.code).toBe('FTPKIT_ERR_REPLY');
    await new Promise((r) => setTimeout(r, 100));
    // The client stopped reading and closed: the flood never got anywhere near its bound.
    expect(sent).toBeLessThan(16 * MB);
    expect(hostile!.openSockets()).toBe(0);
  });

  it('an endless line without CRLF is cut by the line cap with a typed error', async () => {
    const c = await setup({
      greeting: null,
      onConnect: (s) => void flood(s.socket, () => 'A'.repeat(8192), 64 * MB),
    });
    expect(['FTPKIT_ERR_REPLY', 'FTPKIT_ERR_LINE_TOO_LONG']).toContain((await failure(c.connect())).code);
  });

  it('an endless multi-line reply to a command (after login) → typed error, connection closed', async () => {
    const c = await setup({
      on: { SIZE: (s) => void flood(s.socket, (i) => `213-${i}\r\n`, 64 * MB) },
    });
    await c.connect();
    expect((await failure(c.size('x'))).code).toBe('FTPKIT_ERR_REPLY');
  });

  it('a giant listing is cut at maxListingBytes with FTPKIT_ERR_LISTING_TOO_LARGE', async () => {
    let sent = 0;
    const listing: HostileHandler = async (s) => {
      s.reply(150, 'Here it comes.');
      const d = await s.data();
      sent = await flood(d, (i) => `type=file;size=1;modify=20200101000000; file-${i}.txt\r\n`, 256 * MB);
      d.destroy();
      s.reply(226, 'Done.');
    };
    const c = await setup({ on: { MLSD: listing, LIST: listing } }, { maxListingBytes: 256 * 1024 });
    await c.connect();
    expect((await failure(c.list('/'))).code).toBe('FTPKIT_ERR_LISTING_TOO_LARGE');
    expect(sent).toBeLessThan(64 * MB);
  });
});

describe('malformed and redirecting passive replies', () => {
  async function passiveWith(reply: (port: number) => string) {
    const stray: string[] = [];
    const foreign = net.createServer((s) => {
      stray.push(s.remoteAddress ?? '?');
      s.destroy();
    });
    await new Promise<void>((r) => foreign.listen(0, '127.0.0.2', r));
    const foreignPort = (foreign.address() as net.AddressInfo).port;
    const c = await setup({
      on: {
        EPSV: (s) => s.reply(500, 'EPSV not understood.'),
        PASV: async (s) => {
          const port = await s.listenData();
          s.reply(227, reply(port === 0 ? foreignPort : port).replace('FOREIGN', String(foreignPort)));
        },
        MLSD: async (s) => {
          s.reply(150, 'ok');
          const d = await s.data();
          d.end('type=file;size=1; a.txt\r\n');
          s.reply(226, 'ok');
        },
      },
    });
    await c.connect();
    return { c, stray, close: () => new Promise<void>((r) => foreign.close(() => r())) };
  }

  it('a 227 pointing at another host is not followed: the client uses the control peer', async () => {
    const { c, stray, close } = await passiveWith(
      (port) => `Entering Passive Mode (127,0,0,2,${port >> 8},${port & 255}).`,
    );
    try {
      const listing = await c.list('/');
      expect(listing.entries.map((e) => e.name)).toEqual(['a.txt']);
      expect(stray).toEqual([]);
    } finally {
      await close();
    }
  });

  it('a 227 pointing at a foreign listener is not followed even with trustPassiveAddress (private target)', async () => {
    const { c, stray, close } = await passiveWith(
      (port) => `Entering Passive Mode (127,0,0,2,${port >> 8},${port & 255}).`,
    );
    try {
      await c.list('/');
      expect(stray).toEqual([]);
    } finally {
      await close();
    }
  });

  it.each([
    ['octet out of range', 'Entering Passive Mode (999,0,0,1,1,1).'],
    ['port byte out of range', 'Entering Passive Mode (127,0,0,1,300,1).'],
    ['no numbers', 'Entering Passive Mode, trust me.'],
    ['too few numbers', 'Entering Passive Mode (127,0,0,1,1).'],
    ['negative', 'Entering Passive Mode (127,0,0,1,-1,5).'],
  ])('a malformed 227 (%s) → typed error, nothing connected', async (_name, text) => {
    const { c, stray, close } = await passiveWith(() => text);
    try {
      const error = await failure(c.list('/'));
      expect(['FTPKIT_ERR_ADDRESS', 'FTPKIT_ERR_REPLY', 'FTPKIT_ERR_PROTOCOL']).toContain(error.code);
      expect(stray).toEqual([]);
    } finally {
      await close();
    }
  });

  it.each([
    ['port 0', 'Entering Extended Passive Mode (|||0|)'],
    ['port too large', 'Entering Extended Passive Mode (|||99999|)'],
    ['unterminated', 'Entering Extended Passive Mode (|||2000)'],
    ['mixed delimiters', 'Entering Extended Passive Mode (|!|2000|)'],
    ['an address inside', 'Entering Extended Passive Mode (|1|127.0.0.2|2000|)'],
    ['nothing', 'Entering Extended Passive Mode'],
  ])('a malformed 229 (%s) → typed error', async (_name, text) => {
    const c = await setup({ on: { EPSV: (s) => s.reply(229, text) } });
    await c.connect();
    const error = await failure(c.list('/'));
    expect(['FTPKIT_ERR_ADDRESS', 'FTPKIT_ERR_REPLY', 'FTPKIT_ERR_PROTOCOL']).toContain(error.code);
  });
});

describe('names provided by the server', () => {
  it('CR/LF, NUL, slashes and .. in listed names never become commands or local paths', async () => {
    const dir = await tempDir('ftpkit-hostile-names-');
    try {
      const names = [
        'good.txt',
        'evil\rDELE important',
        'evil2\nRMD /',
        '..',
        '../escape.txt',
        'a/b.txt',
        'back\\slash',
        'nul\0byte',
      ];
      const c = await setup({
        on: {
          MLSD: async (s) => {
            s.reply(150, 'ok');
            const d = await s.data();
            d.end(names.map((n) => `type=file;size=4; ${n}\r\n`).join(''));
            s.reply(226, 'ok');
          },
          SIZE: (s) => s.reply(213, '4'),
          RETR: async (s) => {
            s.reply(150, 'ok');
            const d = await s.data();
            d.end('data');
            s.reply(226, 'ok');
          },
        },
      });
      await c.connect();
      const target = path.join(dir.path, 'target');
      await mkdir(target);
      const result = await c.downloadDir('/', target, { continueOnError: true });
      // A bare LF ends a listing line (tolerated framing): "evil2" is then an ordinary name and
      // "RMD /" an unparsed line, never a command. Everything else unsafe is skipped.
      expect((await readdir(target)).sort()).toEqual(['evil2', 'good.txt']);
      expect(await readdir(dir.path)).toEqual(['target']);
      expect(result.skipped.length).toBeGreaterThan(0);
      // No command line was ever split by a server-provided name.
      const verbs = hostile!.commands.map((l) => l.split(' ')[0]);
      expect(verbs).not.toContain('DELE');
      expect(verbs).not.toContain('RMD');
      expect(hostile!.commands.filter((l) => l.startsWith('RETR')).sort()).toEqual([
        'RETR /evil2',
        'RETR /good.txt',
      ]);
      // And the API refuses such a name outright.
      expect((await failure(c.download('evil\r\nDELE important', path.join(dir.path, 'x')))).code).toBe(
        'FTPKIT_ERR_INVALID_ARGUMENT',
      );
    } finally {
      await dir.cleanup();
    }
  });
});

describe('a server that stalls', () => {
  it('no greeting → FTPKIT_ERR_TIMEOUT', async () => {
    const c = await setup({ greeting: null });
    expect((await failure(c.connect())).code).toBe('FTPKIT_ERR_TIMEOUT');
  });

  it('no answer to PASS → FTPKIT_ERR_TIMEOUT', async () => {
    const c = await setup({ on: { PASS: () => {} } });
    expect((await failure(c.connect())).code).toBe('FTPKIT_ERR_TIMEOUT');
  });

  it('150 then a data connection that never sends → typed error after dataTimeout', async () => {
    const c = await setup({
      on: {
        RETR: async (s) => {
          s.reply(150, 'ok');
          await s.data(); // connected, silent forever
        },
        SIZE: (s) => s.reply(213, '100'),
      },
    });
    await c.connect();
    const chunks: Buffer[] = [];
    const { Writable } = await import('node:stream');
    const sink = new Writable({
      write(chunk, _e, cb) {
        chunks.push(chunk);
        cb();
      },
    });
    const error = await failure(c.download('f.bin', sink));
    expect(['FTPKIT_ERR_TIMEOUT', 'FTPKIT_ERR_TRANSFER_ABORTED']).toContain(error.code);
  });

  it('the data arrives but the 226 never does → FTPKIT_ERR_TIMEOUT', async () => {
    const c = await setup({
      on: {
        MLSD: async (s) => {
          s.reply(150, 'ok');
          const d = await s.data();
          d.end('type=file;size=1; a.txt\r\n');
        },
      },
    });
    await c.connect();
    expect((await failure(c.list('/'))).code).toBe('FTPKIT_ERR_TIMEOUT');
  });

  it('a 1xx storm without a final reply is bounded by the reply timeout', async () => {
    const c = await setup({
      on: {
        NOOP: (s) => {
          let n = 0;
          const timer = setInterval(() => {
            if (s.socket.destroyed || n++ > 200) clearInterval(timer);
            else s.reply(150, 'still working');
          }, 10);
        },
      },
    });
    await c.connect();
    const error = await failure(c.raw('NOOP'));
    expect(['FTPKIT_ERR_TIMEOUT', 'FTPKIT_ERR_PROTOCOL']).toContain(error.code);
  });
});
