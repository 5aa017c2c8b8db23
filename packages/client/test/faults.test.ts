/**
 * Faults a real server cannot be made to show, replayed by the scripted fake server: malformed,
 * truncated and byte-split replies, odd 227 forms, unknown listings, drops mid-reply and
 * mid-transfer, silence, and the client's own guards (queue, redaction, caps, validation).
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { type TempDir, tempDir } from '@ftpkit/test-utils';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Client, connect, FtpReplyError, type Logger } from '../src/index.js';
import { closed, type FakeServer, type FakeSession, startFakeServer } from './support/fake-server.js';
import { collector, sha256 } from './support/files.js';

let server: FakeServer | undefined;
let client: Client | undefined;
let dir: TempDir;
beforeEach(async () => {
  dir = await tempDir('ftpkit-client-faults-');
});
afterEach(async () => {
  await client?.close();
  await server?.close();
  await dir.cleanup();
  client = undefined;
  server = undefined;
});

const base = (s: FakeServer) => ({
  host: s.host,
  port: s.port,
  user: 'test',
  password: 'secret',
  replyTimeout: 2000,
  keepaliveInterval: 0,
});

/** Writes `text` in pieces split at the given offsets, each piece in its own TCP segment. */
async function writeSplit(s: FakeSession, text: string, offsets: number[]): Promise<void> {
  let from = 0;
  s.socket.setNoDelay(true);
  for (const at of [...offsets, text.length]) {
    s.write(text.slice(from, at));
    from = at;
    await new Promise((r) => setTimeout(r, 2));
  }
}

describe('replies', () => {
  it('assembles a multi-line reply split at every byte offset', async () => {
    const feat = '211-Features:\r\n SIZE\r\n 211 inner line\r\n MDTM\r\n211 End\r\n';
    server = await startFakeServer({
      on: {
        SITE: async (s, arg) => writeSplit(s, feat, [Number(arg)]),
      },
    });
    client = await connect(base(server));
    for (let offset = 1; offset < feat.length; offset++) {
      const reply = await client.raw(`SITE ${offset}`);
      expect(reply.code).toBe(211);
      expect(reply.lines).toEqual(['Features:', ' SIZE', ' 211 inner line', ' MDTM', 'End']);
    }
  });

  it('assembles a reply sent one byte at a time', async () => {
    const text = '250-first\r\n250-second\r\n250 last\r\n';
    server = await startFakeServer({
      on: {
        SITE: (s) =>
          writeSplit(
            s,
            text,
            Array.from({ length: text.length - 1 }, (_, i) => i + 1),
          ),
      },
    });
    client = await connect(base(server));
    const reply = await client.raw('SITE x');
    expect(reply.lines).toEqual(['first', '250-second', 'last']);
  });

  it('waits through 120 before the 220 greeting', async () => {
    server = await startFakeServer({ greeting: '120 Ready in 1 minute.\r\n220 Now ready.\r\n' });
    client = await connect(base(server));
    expect(client.connected).toBe(true);
  });

  it('a malformed reply is a typed CodecError and closes the connection', async () => {
    server = await startFakeServer({ on: { SITE: (s) => s.write('hello there\r\n') } });
    client = await connect(base(server));
    await expect(client.raw('SITE x')).rejects.toMatchObject({
      name: 'CodecError',
      code: 'FTPKIT_ERR_REPLY',
    });
    expect(client.connected).toBe(false);
    await expect(client.pwd()).rejects.toMatchObject({ code: 'FTPKIT_ERR_CONNECTION_CLOSED' });
  });

  it('a drop in the middle of a multi-line reply is a typed error', async () => {
    server = await startFakeServer({
      on: {
        SITE: (s) => {
          s.write('211-partial\r\n more');
          setTimeout(() => s.socket.destroy(), 20);
        },
      },
    });
    client = await connect(base(server));
    const error = await client.raw('SITE x').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'FTPKIT_ERR_CONNECTION_CLOSED' });
  });

  it('a server that never greets times out (FTPKIT_ERR_TIMEOUT)', async () => {
    server = await startFakeServer({ greeting: null });
    const error = await connect({ ...base(server), replyTimeout: 300 }).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'ClientError', code: 'FTPKIT_ERR_TIMEOUT' });
  });

  it('a command that is never answered times out and the connection is closed', async () => {
    server = await startFakeServer({ on: { MKD: () => {} } });
    client = await connect({ ...base(server), replyTimeout: 300 });
    await expect(client.mkdir('x')).rejects.toMatchObject({ code: 'FTPKIT_ERR_TIMEOUT' });
    expect(client.connected).toBe(false);
  });

  it('negative replies become FtpReplyError with code, replyCode and replyText', async () => {
    server = await startFakeServer({
      on: { MKD: (s) => s.write('550-Cannot create:\r\n550 Permission denied.\r\n') },
    });
    client = await connect(base(server));
    const error = (await client.mkdir('x').catch((e: unknown) => e)) as FtpReplyError;
    expect(error).toBeInstanceOf(FtpReplyError);
    expect(error.code).toBe('FTPKIT_ERR_FTP_REPLY');
    expect(error.replyCode).toBe(550);
    expect(error.replyText).toBe('Cannot create:\nPermission denied.');
    expect(error.command).toBe('MKD x');
    expect(await client.pwd()).toBe('/');
  });

  it('a failed login is an FtpReplyError 530 whose message hides the password', async () => {
    server = await startFakeServer({ on: { PASS: (s) => s.reply(530, 'Login incorrect.') } });
    const error = (await connect(base(server)).catch((e: unknown) => e)) as FtpReplyError;
    expect(error.replyCode).toBe(530);
    expect(error.message).not.toContain('secret');
    expect(String(error.command)).toBe('PASS ****');
  });
});

describe('passive addresses', () => {
  for (const [label, text] of [
    ['parenthesised', (p: number) => `Entering Passive Mode (10,1,2,3,${p >> 8},${p & 255}).`],
    ['bare', (p: number) => `Entering Passive Mode 10,1,2,3,${p >> 8},${p & 255}`],
    ['= prefixed', (p: number) => `Entering Passive Mode=10,1,2,3,${p >> 8},${p & 255}`],
  ] as const) {
    it(`uses the control host for a private 227 address (${label})`, async () => {
      server = await startFakeServer({
        noEpsv: true,
        files: { 'f.txt': 'pasv works' },
        on: {
          PASV: async (s) => {
            const net = await import('node:net');
            const listener = net.createServer();
            const socket = new Promise<import('node:net').Socket>((resolve) =>
              listener.once('connection', (c) => {
                listener.close();
                resolve(c);
              }),
            );
            s.state.dataSocket = socket;
            await new Promise<void>((r) => listener.listen(0, '127.0.0.1', () => r()));
            s.reply(227, text((listener.address() as import('node:net').AddressInfo).port));
          },
        },
      });
      client = await connect(base(server));
      const out = collector();
      await client.download('f.txt', out.stream);
      expect(out.buffer().toString()).toBe('pasv works');
      // EPSV refused once, then PASV only.
      await client.download('f.txt', collector().stream);
      expect(server.commands.filter((c) => c === 'EPSV')).toHaveLength(1);
      expect(server.commands.filter((c) => c === 'PASV')).toHaveLength(2);
    });
  }

  it('refuses a 227 without an address with a typed CodecError', async () => {
    server = await startFakeServer({
      noEpsv: true,
      files: { 'f.txt': 'x' },
      on: { PASV: (s) => s.reply(227, 'Passive, somewhere.') },
    });
    client = await connect(base(server));
    await expect(client.download('f.txt', collector().stream)).rejects.toMatchObject({
      code: 'FTPKIT_ERR_ADDRESS',
    });
    expect(await client.pwd()).toBe('/');
  });

  it('active mode falls back from EPRT to PORT', async () => {
    server = await startFakeServer({
      files: { 'f.txt': 'active data' },
      on: { EPRT: (s) => s.reply(500, 'EPRT?') },
    });
    client = await connect({ ...base(server), dataMode: 'active' });
    const out = collector();
    await client.download('f.txt', out.stream);
    expect(out.buffer().toString()).toBe('active data');
    expect(server.commands.some((c) => c.startsWith('PORT 127,0,0,1,'))).toBe(true);
  });
});

describe('listings', () => {
  it('returns lines of an unknown format in unparsed, never throws', async () => {
    server = await startFakeServer({
      features: ['EPSV', 'SIZE'],
      on: {
        LIST: async (s) => {
          s.reply(150, 'Here.');
          const d = await s.data();
          d.end('-rw-r--r--   1 u g   5 Jan  1  2020 ok.txt\r\n%%% weird line %%%\r\n');
          await closed(d);
          s.reply(226, 'Done.');
        },
      },
    });
    client = await connect(base(server));
    const listing = await client.list();
    expect(listing.format).toBe('unix');
    expect(listing.entries.map((e) => e.name)).toEqual(['ok.txt']);
    expect(listing.unparsed).toEqual(['%%% weird line %%%']);
  });

  it('a listing bigger than maxListingBytes is refused and the connection stays usable', async () => {
    const big = `${'type=file;size=1; x\r\n'.repeat(5000)}`;
    server = await startFakeServer({
      on: {
        MLSD: async (s) => {
          s.reply(150, 'Here.');
          const d = await s.data();
          d.on('error', () => {});
          d.end(big);
          await closed(d);
          s.reply(426, 'Connection closed; transfer aborted.');
        },
      },
    });
    client = await connect({ ...base(server), maxListingBytes: 1000 });
    await expect(client.list()).rejects.toMatchObject({ code: 'FTPKIT_ERR_LISTING_TOO_LARGE' });
    expect(await client.pwd()).toBe('/');
  });

  it('stat falls back to the parent listing without MLST', async () => {
    server = await startFakeServer({
      features: ['EPSV'],
      on: {
        LIST: async (s, arg) => {
          s.reply(150, 'Here.');
          const d = await s.data();
          d.end(arg === 'dir' ? '-rw-r--r-- 1 u g 42 Jan  1  2020 f.bin\r\n' : '');
          await closed(d);
          s.reply(226, 'Done.');
        },
      },
    });
    client = await connect(base(server));
    expect(await client.stat('dir/f.bin')).toMatchObject({ name: 'f.bin', size: 42, type: 'file' });
    await expect(client.stat('dir/missing')).rejects.toMatchObject({ code: 'FTPKIT_ERR_NOT_FOUND' });
    await expect(client.size('dir/f.bin')).resolves.toBe(42);
    await expect(client.setLastModified('dir/f.bin', new Date())).rejects.toMatchObject({
      code: 'FTPKIT_ERR_NOT_SUPPORTED',
    });
  });
});

describe('transfers', () => {
  it('a final reply that never comes after the data ended times out and closes the connection', async () => {
    server = await startFakeServer({
      files: { 'a.txt': Buffer.from('hello') },
      on: {
        RETR: async (s) => {
          s.reply(150, 'Opening.');
          const d = await s.data();
          d.end(Buffer.from('hello'));
          // no 226
        },
      },
    });
    client = await connect({ ...base(server), replyTimeout: 200 });
    const out = collector();
    const error = await client.download('a.txt', out.stream).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'ClientError', code: 'FTPKIT_ERR_TIMEOUT' });
    expect((error as Error).message).toContain('after the data connection ended');
    expect(client.connected).toBe(false);
  });

  it('the final-reply limit starts when the data ends, and later replies get the usual limit again', async () => {
    const body = Buffer.alloc(10_000, 0x61);
    server = await startFakeServer({
      files: { 'slow.bin': body },
      on: {
        RETR: async (s) => {
          s.reply(150, 'Opening.');
          const d = await s.data();
          // Longer than replyTimeout in all, but the data keeps moving: no limit meanwhile.
          for (let i = 0; i < 5; i++) {
            d.write(body.subarray(i * 2000, (i + 1) * 2000));
            await new Promise((r) => setTimeout(r, 80));
          }
          d.end();
          await closed(d);
          s.reply(226, 'Done.');
        },
        MKD: (s) => {
          setTimeout(() => s.reply(257, '"x" created.'), 100);
        },
      },
    });
    client = await connect({ ...base(server), replyTimeout: 250 });
    for (let i = 0; i < 3; i++) {
      const out = collector();
      expect((await client.download('slow.bin', out.stream)).bytes).toBe(body.length);
    }
    // Slower than nothing, well within replyTimeout: the final-reply limit was lifted.
    await client.mkdir('x');
    expect(client.connected).toBe(true);
  });

  it('a drop mid-transfer is a typed error; download with start resumes to the same SHA-256', async () => {
    const content = randomBytes(400_000);
    let first = true;
    server = await startFakeServer({
      files: { 'big.bin': content },
      on: {
        RETR: async (s) => {
          const rest = (s.state.rest as number | undefined) ?? 0;
          s.state.rest = 0;
          s.reply(150, 'Opening.');
          const d = await s.data();
          if (first) {
            first = false;
            d.write(content.subarray(0, 150_000), () => {
              setTimeout(() => {
                d.resetAndDestroy();
                s.socket.destroy();
              }, 20);
            });
            return;
          }
          d.end(content.subarray(rest));
          await closed(d);
          s.reply(226, 'Done.');
        },
      },
    });
    const path = join(dir.path, 'big.bin');
    client = await connect(base(server));
    const error = await client.download('big.bin', path).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'FTPKIT_ERR_TRANSFER_ABORTED' });
    expect(client.connected).toBe(false);
    await client.close();
    const have = readFileSync(path).length;
    expect(have).toBeGreaterThan(0);
    expect(have).toBeLessThan(content.length);
    client = await connect(base(server));
    const r = await client.download('big.bin', path, { start: have });
    expect(r.bytes).toBe(content.length - have);
    expect(sha256(readFileSync(path))).toBe(sha256(content));
    expect(server.commands).toContain(`REST ${have}`);
  });

  it('autoReconnect resumes an interrupted download with REST and restores the directory', async () => {
    const content = randomBytes(300_000);
    let drops = 1;
    server = await startFakeServer({
      files: { '/pub/big.bin': content },
      on: {
        RETR: async (s, arg) => {
          const rest = (s.state.rest as number | undefined) ?? 0;
          s.state.rest = 0;
          const f = server!.files.get(`${s.state.cwd as string}/${arg}`);
          if (f === undefined) return s.reply(550, 'No file.');
          s.reply(150, 'Opening.');
          const d = await s.data();
          if (drops-- > 0) {
            d.write(f.subarray(0, 100_000), () => setTimeout(() => server!.dropAll(), 20));
            return;
          }
          d.end(f.subarray(rest));
          await closed(d);
          s.reply(226, 'Done.');
        },
      },
    });
    const reconnects: number[] = [];
    client = new Client({ ...base(server), autoReconnect: { retries: 2, delay: 10 } });
    client.on('reconnect', (e) => reconnects.push(e.attempt));
    await client.connect();
    await client.cd('/pub');
    const path = join(dir.path, 'big.bin');
    await client.download('big.bin', path);
    expect(sha256(readFileSync(path))).toBe(sha256(content));
    expect(reconnects).toEqual([1]);
    expect(server.connections()).toBe(2);
    expect(server.commands.filter((c) => c === 'CWD /pub')).toHaveLength(2);
    expect(server.commands.some((c) => /^REST [1-9]\d*$/.test(c))).toBe(true);
  });

  it('a stalled data connection fails after dataTimeout with a typed error', async () => {
    server = await startFakeServer({
      files: { 'f.bin': 'x' },
      on: {
        RETR: async (s) => {
          s.reply(150, 'Opening.');
          const d = await s.data();
          d.write('some');
          // ...then nothing: a stalled transfer. The 426 comes when the client gives up.
          d.once('close', () => s.reply(426, 'Transfer aborted.'));
        },
      },
    });
    client = await connect({ ...base(server), dataTimeout: 200 });
    const error = await client.download('f.bin', collector().stream).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'FTPKIT_ERR_FTP_REPLY', replyCode: 426 });
    expect((error as Error).cause).toMatchObject({ code: 'FTPKIT_ERR_TRANSFER_ABORTED' });
    expect(await client.pwd()).toBe('/');
  });

  it('abort before the 150 sends ABOR, reads the owed replies, stays usable', async () => {
    server = await startFakeServer({
      files: { 'f.bin': 'x' },
      on: {
        RETR: (s) => {
          s.state.pendingRetr = true;
        },
        ABOR: (s) => {
          s.write('426 Transfer aborted.\r\n226 ABOR successful.\r\n');
        },
      },
    });
    client = await connect(base(server));
    const controller = new AbortController();
    const p = client.download('f.bin', collector().stream, { signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    await expect(p).rejects.toMatchObject({ code: 'FTPKIT_ERR_ABORTED' });
    expect(await client.pwd()).toBe('/');
    expect(server.commands).toContain('ABOR');
  });

  it('small path uploads in a row arrive intact, from a start offset too', async () => {
    server = await startFakeServer();
    client = await connect(base(server));
    for (let i = 0; i < 5; i++) {
      const src = join(dir.path, `small-${i}.bin`);
      const content = randomBytes(4096 + i);
      writeFileSync(src, content);
      expect((await client.upload(src, `small-${i}.bin`)).bytes).toBe(content.length);
      expect(server.files.get(`small-${i}.bin`)?.equals(content)).toBe(true);
    }
    const src = join(dir.path, 'resume.bin');
    const content = randomBytes(5000);
    writeFileSync(src, content);
    await client.upload(src, 'small-0.bin', { start: 4096 });
    expect(server.files.get('small-0.bin')?.subarray(4096).equals(content.subarray(4096))).toBe(true);
    const missing = await client.upload(join(dir.path, 'nope.bin'), 'x.bin').catch((e: unknown) => e);
    expect(missing).toMatchObject({ code: 'FTPKIT_ERR_INVALID_ARGUMENT' });
    expect(server.files.has('x.bin')).toBe(false);
    // The connection is still usable.
    await client.upload(src, 'after.bin');
    expect(server.files.get('after.bin')?.equals(content)).toBe(true);
  });

  it('upload progress and per-client progress events', async () => {
    server = await startFakeServer();
    client = await connect({ ...base(server), progressInterval: 1 });
    const src = join(dir.path, 'up.bin');
    const content = randomBytes(200_000);
    writeFileSync(src, content);
    const events: number[] = [];
    client.on('progress', (p) => events.push(p.bytes));
    const seen: { total: number | undefined; done: boolean }[] = [];
    await client.upload(src, 'up.bin', { onProgress: (p) => seen.push({ total: p.total, done: p.done }) });
    expect(server.files.get('up.bin')?.equals(content)).toBe(true);
    expect(seen.at(-1)).toEqual({ total: content.length, done: true });
    expect(events.at(-1)).toBe(content.length);
  });

  it('hash uses HASH and OPTS HASH when offered', async () => {
    server = await startFakeServer({
      features: ['EPSV', 'HASH SHA-1;SHA-256*;MD5'],
      on: {
        HASH: (s, arg) => s.reply(213, `SHA-256 0-11 ${'AB'.repeat(32)} ${arg}`),
      },
    });
    client = await connect(base(server));
    const result = await client.hash('my file.txt', { algorithm: 'sha-256' });
    expect(result).toEqual({ algorithm: 'SHA-256', start: 0, end: 11, hash: 'ab'.repeat(32) });
    expect(server.commands).toContain('OPTS HASH SHA-256');
    await expect(client.hash('x', { algorithm: 'CRC32' })).rejects.toMatchObject({
      code: 'FTPKIT_ERR_NOT_SUPPORTED',
    });
  });
});

describe('the control connection', () => {
  it('runs one task at a time, in call order', async () => {
    server = await startFakeServer({
      on: {
        MKD: (s, arg) => {
          setTimeout(() => s.reply(257, `"${arg}" created`), arg === 'a' ? 50 : 1);
        },
      },
    });
    client = await connect(base(server));
    const before = server.commands.length;
    const results = await Promise.all([
      client.mkdir('a'),
      client.mkdir('b'),
      client.pwd(),
      client.mkdir('c'),
    ]);
    expect(results[2]).toBe('/');
    expect(server.commands.slice(before)).toEqual(['MKD a', 'MKD b', 'PWD', 'MKD c']);
  });

  it('an abort while queued rejects at once and the command is never sent', async () => {
    server = await startFakeServer({
      on: { MKD: (s, arg) => void setTimeout(() => s.reply(257, `"${arg}"`), 80) },
    });
    client = await connect(base(server));
    const controller = new AbortController();
    const first = client.mkdir('slow');
    const second = client.mkdir('never', { signal: controller.signal });
    controller.abort();
    await expect(second).rejects.toMatchObject({ code: 'FTPKIT_ERR_ABORTED' });
    await first;
    expect(await client.pwd()).toBe('/');
    expect(server.commands).not.toContain('MKD never');
  });

  it('an abort while waiting for a reply skips that reply later', async () => {
    server = await startFakeServer({
      on: { MKD: (s, arg) => void setTimeout(() => s.reply(257, `"${arg}"`), 100) },
    });
    client = await connect(base(server));
    const controller = new AbortController();
    const p = client.mkdir('slow', { signal: controller.signal });
    setTimeout(() => controller.abort(), 20);
    await expect(p).rejects.toMatchObject({ code: 'FTPKIT_ERR_ABORTED' });
    expect(await client.pwd()).toBe('/');
  });

  it('refuses CR/LF/NUL in arguments before sending anything', async () => {
    server = await startFakeServer();
    client = await connect(base(server));
    const before = server.commands.length;
    await expect(client.mkdir('a\r\nDELE b')).rejects.toMatchObject({ code: 'FTPKIT_ERR_INVALID_ARGUMENT' });
    await expect(client.raw('NOOP\nDELE x')).rejects.toMatchObject({ code: 'FTPKIT_ERR_INVALID_ARGUMENT' });
    await expect(client.download('a\0b', collector().stream)).rejects.toMatchObject({
      code: 'FTPKIT_ERR_INVALID_ARGUMENT',
    });
    expect(server.commands.length).toBe(before);
  });

  it('never shows the password in logs, inspect or JSON', async () => {
    server = await startFakeServer();
    const records: string[] = [];
    const log = (o: object, m?: string) => records.push(`${m} ${JSON.stringify(o)}`);
    const logger: Logger = { debug: log, info: log, warn: log, error: log };
    client = await connect({ ...base(server), password: 'hunter2-secret', logger });
    await client.pwd();
    expect(records.some((r) => r.includes('PASS ****'))).toBe(true);
    expect(records.join('\n')).not.toContain('hunter2');
    expect(inspect(client, { showHidden: true, depth: 5 })).not.toContain('hunter2');
    expect(JSON.stringify(client)).not.toContain('hunter2');
  });

  it('sends NOOP when idle (keepalive)', async () => {
    server = await startFakeServer();
    client = await connect({ ...base(server), keepaliveInterval: 30 });
    await new Promise((r) => setTimeout(r, 150));
    expect(server.commands.filter((c) => c === 'NOOP').length).toBeGreaterThanOrEqual(2);
    expect(client.keepalivesSent).toBeGreaterThanOrEqual(2);
    expect(await client.pwd()).toBe('/');
  });

  it('sends NOOP during a long transfer and matches the 200s before or after the 226', async () => {
    const content = randomBytes(64 * 1024);
    for (const order of ['before', 'after'] as const) {
      server = await startFakeServer({
        files: { 'f.bin': content },
        on: {
          NOOP: (s) => {
            if (order === 'before' || s.state.transferring !== true) s.reply(200, 'NOOP ok.');
            else s.state.noops = ((s.state.noops as number | undefined) ?? 0) + 1;
          },
          RETR: async (s) => {
            s.state.transferring = true;
            s.reply(150, 'Opening.');
            const d = await s.data();
            for (let i = 0; i < 8; i++) {
              d.write(content.subarray(i * 8192, (i + 1) * 8192));
              await new Promise((r) => setTimeout(r, 25));
            }
            d.end();
            await closed(d);
            s.state.transferring = false;
            s.reply(226, 'Done.');
            // vsftpd style: the NOOPs read during the transfer are answered after the 226.
            for (let i = 0; i < ((s.state.noops as number | undefined) ?? 0); i++) s.reply(200, 'NOOP ok.');
            s.state.noops = 0;
          },
        },
      });
      client = await connect({ ...base(server), keepaliveInterval: 40 });
      const out = collector();
      await client.download('f.bin', out.stream);
      expect(sha256(out.buffer())).toBe(sha256(content));
      expect(server.commands.filter((c) => c === 'NOOP').length).toBeGreaterThan(0);
      expect(await client.pwd()).toBe('/');
      await client.close();
      await server.close();
    }
  });

  it('validates options up front', () => {
    expect(() => new Client({ port: 70000 })).toThrow(
      expect.objectContaining({ code: 'FTPKIT_ERR_INVALID_ARGUMENT' }),
    );
    expect(() => new Client({ replyTimeout: -1 })).toThrow(
      expect.objectContaining({ code: 'FTPKIT_ERR_INVALID_ARGUMENT' }),
    );
    expect(() => new Client({ user: 'a\r\nb' })).toThrow(
      expect.objectContaining({ code: 'FTPKIT_ERR_INVALID_ARGUMENT' }),
    );
    expect(() => new Client({ dataMode: 'x' as 'active' })).toThrow(
      expect.objectContaining({ code: 'FTPKIT_ERR_INVALID_ARGUMENT' }),
    );
  });
});
