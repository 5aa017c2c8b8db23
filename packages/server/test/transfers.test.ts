/** ABOR (426 then 226), the upload lifecycle events, storage errors, permissions, STAT/QUIT during transfers. */

import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { toFileSystemError } from '../src/fs/errors.ts';
import { MemoryFileSystem } from '../src/fs/memory-file-system.ts';
import { wrapFileSystem } from './helpers.ts';
import { endlessFileSystem } from './support/endless.ts';
import { readAll, writeAll } from './support/raw-client.ts';
import { startServer } from './support/server.ts';

const BIG = 8 * 1024 * 1024;

describe('ABOR', () => {
  it('while the filesystem is still reading a directory (signal.reason thrown): 426 then 226, no error event', async () => {
    const inner = new MemoryFileSystem({ files: { '/d/a.txt': 'a' } });
    const started: (() => void)[] = [];
    const slowList = wrapFileSystem(inner, {
      // Like LocalFileSystem: a listing aborted by the session's signal rejects with signal.reason.
      list: (_p, o) =>
        new Promise((_resolve, reject) => {
          started.push(() => {});
          o?.signal?.addEventListener('abort', () => reject(o.signal!.reason), { once: true });
        }),
    });
    const f = await startServer({ fileSystem: slowList });
    const errors: unknown[] = [];
    f.server.on('error', (e) => errors.push(e.error));
    const c = await f.login();
    await c.send('PASV');
    c.write('LIST /d\r\n');
    while (started.length === 0) await new Promise((r) => setTimeout(r, 5));
    expect((await c.send('ABOR')).code).toBe(426);
    expect((await c.read()).code).toBe(226);
    expect((await c.send('NOOP')).code).toBe(200);
    expect(errors).toEqual([]);
  });

  it('during an upload: 426 from the transfer, then 226; upload-aborted with bytes; nothing published', async () => {
    const f = await startServer();
    const aborted: { bytes: number; path: string }[] = [];
    f.server.on('upload-aborted', (e) => aborted.push(e));
    const c = await f.login();
    await c.send('TYPE I');
    const d = await c.pasv();
    expect((await c.send('STOR half.bin')).code).toBe(150);
    await new Promise<void>((resolve) => d.write(Buffer.alloc(64 * 1024, 1), () => resolve()));
    // The Telnet synch (IAC IP, IAC DM) that RFC 959 §4.1.3 puts before ABOR.
    c.write(Buffer.from([255, 244, 255, 242]));
    const first = await c.send('ABOR');
    expect(first.code).toBe(426);
    expect((await c.read()).code).toBe(226);
    expect(aborted).toHaveLength(1);
    expect(aborted[0]!.path).toBe('/half.bin');
    expect(aborted[0]!.bytes).toBeGreaterThan(0);
    expect((await c.send('SIZE half.bin')).code).toBe(550);
    expect((await c.send('NOOP')).code).toBe(200);
    d.destroy();
  });

  it('during a download the client does not read: 426 then 226', async () => {
    const f = await startServer({ fileSystem: endlessFileSystem() });
    const failed: number[] = [];
    f.server.on('download-failed', (e) => failed.push(e.replyCode));
    const c = await f.login();
    await c.send('TYPE I');
    const d = await c.pasv();
    d.pause();
    expect((await c.send('RETR endless.bin')).code).toBe(150);
    expect((await c.send('STAT')).code).toBe(213);
    expect((await c.send('ABOR')).code).toBe(426);
    expect((await c.read()).code).toBe(226);
    expect(failed).toEqual([426]);
    d.destroy();
    expect((await c.send('PWD')).code).toBe(257);
  });

  it('without a transfer: 225', async () => {
    const f = await startServer();
    const c = await f.login();
    expect((await c.send('ABOR')).code).toBe(225);
    await c.send('PASV');
    expect((await c.send('ABOR')).code).toBe(225);
    expect((await c.send('RETR /pub/readme.txt')).code).toBe(425);
  });
});

describe('upload lifecycle and storage errors', () => {
  it('upload event only after a complete upload, with bytes and duration; download event too', async () => {
    const f = await startServer();
    const events: string[] = [];
    const uploads: { bytes: number; path: string; user: string; duration: number }[] = [];
    f.server.on('upload', (e) => {
      events.push('upload');
      uploads.push(e);
    });
    f.server.on('download', (e) => events.push(`download:${e.bytes}`));
    f.server.on('mkdir', (e) => events.push(`mkdir:${e.path}`));
    f.server.on('rename', (e) => events.push(`rename:${e.from}>${e.to}`));
    f.server.on('delete', (e) => events.push(`delete:${e.path}`));
    f.server.on('rmdir', (e) => events.push(`rmdir:${e.path}`));
    f.server.on('login', (e) => events.push(`login:${e.user}`));
    f.server.on('logout', (e) => events.push(`logout:${e.user}`));
    const c = await f.login();
    await c.send('TYPE I');
    await c.send('MKD d');
    let d = await c.pasv();
    await c.send('STOR d/x.bin');
    await writeAll(d, Buffer.alloc(5000));
    expect((await c.read()).code).toBe(226);
    d = await c.pasv();
    await c.send('RETR d/x.bin');
    await readAll(d);
    await c.read();
    await c.send('RNFR d/x.bin');
    await c.send('RNTO d/y.bin');
    await c.send('DELE d/y.bin');
    await c.send('RMD d');
    await c.quit();
    await new Promise((r) => setTimeout(r, 50));
    expect(events).toEqual([
      'login:alice',
      'mkdir:/d',
      'upload',
      'download:5000',
      'rename:/d/x.bin>/d/y.bin',
      'delete:/d/y.bin',
      'rmdir:/d',
      'logout:alice',
    ]);
    expect(uploads[0]).toMatchObject({ bytes: 5000, path: '/d/x.bin', user: 'alice' });
    expect(uploads[0]!.duration).toBeGreaterThanOrEqual(0);
  });

  it('connection lost mid-upload (reset): 426, upload-connection-lost, no half file', async () => {
    const f = await startServer();
    const lost: number[] = [];
    f.server.on('upload-connection-lost', (e) => lost.push(e.bytes));
    const c = await f.login();
    await c.send('TYPE I');
    const d = await c.pasv();
    await c.send('STOR cut.bin');
    await new Promise<void>((resolve) => d.write(Buffer.alloc(10_000, 1), () => resolve()));
    await new Promise((r) => setTimeout(r, 50));
    d.resetAndDestroy();
    expect((await c.read()).code).toBe(426);
    expect(lost).toHaveLength(1);
    expect(lost[0]).toBeGreaterThan(0);
    expect((await c.send('SIZE cut.bin')).code).toBe(550);
  });

  it('disk full (MemoryFileSystem maxSize): 452, upload-failed, nothing published, session usable', async () => {
    const f = await startServer({ files: {}, maxSize: 10_000 });
    const failed: number[] = [];
    f.server.on('upload-failed', (e) => failed.push(e.replyCode));
    const c = await f.login();
    await c.send('TYPE I');
    const d = await c.pasv();
    await c.send('STOR full.bin');
    d.on('error', () => {});
    d.end(Buffer.alloc(50_000, 1));
    expect((await c.read()).code).toBe(452);
    expect(failed).toEqual([452]);
    expect((await c.send('SIZE full.bin')).code).toBe(550);
    const ok = await c.pasv();
    await c.send('STOR small.bin');
    await writeAll(ok, 'fits');
    expect((await c.read()).code).toBe(226);
  });

  it('EACCES from the filesystem → 550; the session stays usable', async () => {
    const inner = new MemoryFileSystem({ files: { '/a.txt': 'a' } });
    const denied = toFileSystemError(Object.assign(new Error('denied'), { code: 'EACCES' }));
    const fail = async (): Promise<never> => {
      throw denied;
    };
    const fs = wrapFileSystem(inner, {
      createWriteStream: fail,
      mkdir: fail,
      rmdir: fail,
      delete: fail,
      rename: fail,
    });
    const f = await startServer({ fileSystem: fs });
    const c = await f.login();
    expect((await c.send('DELE a.txt')).code).toBe(550);
    expect((await c.send('MKD x')).code).toBe(550);
    await c.send('PASV');
    expect((await c.send('STOR b.txt')).code).toBe(550);
    expect((await c.send('SIZE a.txt')).code).toBe(213);
  });

  it('per-user permissions: a read-only user gets 550 for writes and can still read', async () => {
    const f = await startServer();
    const c = await f.login('reader');
    await c.send('PASV');
    expect(await c.cmd('STOR x')).toBe('550 Permission denied.');
    for (const line of [
      'APPE x',
      'DELE /pub/readme.txt',
      'MKD d',
      'RMD /pub',
      'RNFR /pub/readme.txt',
      'MFMT 20200101000000 /pub/readme.txt',
    ]) {
      expect((await c.send(line)).code, line).toBe(550);
    }
    const d = await c.pasv();
    await c.send('RETR /pub/readme.txt');
    expect((await readAll(d)).toString()).toBe('hello\r\n');
    expect((await c.read()).code).toBe(226);
  });

  it('QUIT during a transfer waits for it to finish (226 before 221)', async () => {
    const f = await startServer({ files: { '/big.bin': Buffer.alloc(BIG, 5) } });
    const c = await f.login();
    await c.send('TYPE I');
    const d = await c.pasv();
    expect((await c.send('RETR big.bin')).code).toBe(150);
    c.write('QUIT\r\n');
    const received = await readAll(d);
    expect(received.length).toBe(BIG);
    expect((await c.read()).code).toBe(226);
    expect((await c.read()).code).toBe(221);
  });
});

describe('the 150 of a small RETR', () => {
  it('a small file: 150, the whole body, 226, in that order', async () => {
    const body = Buffer.from('small body\n'.repeat(100));
    const f = await startServer({ fileSystem: new MemoryFileSystem({ files: { '/s.txt': body } }) });
    const c = await f.login();
    await c.send('TYPE I');
    for (let i = 0; i < 3; i++) {
      const d = await c.pasv();
      const first = await c.send('RETR s.txt');
      expect(first.code).toBe(150);
      expect(first.text).toContain(`(${body.length} bytes)`);
      expect((await readAll(d)).equals(body)).toBe(true);
      expect((await c.read()).code).toBe(226);
    }
    expect((await c.send('NOOP')).code).toBe(200);
  });

  it('is written on its own when the body is not ready soon (a client waiting for it never stalls)', async () => {
    const inner = new MemoryFileSystem({ files: { '/slow.txt': 'abcdef' } });
    let release: (() => void) | undefined;
    const slow = wrapFileSystem(inner, {
      // A small file whose bytes come only after the client saw the 150.
      createReadStream: async () =>
        new Readable({
          read() {
            if (release === undefined)
              release = () => {
                this.push(Buffer.from('abcdef'));
                this.push(null);
              };
          },
        }),
    });
    const f = await startServer({ fileSystem: slow });
    const c = await f.login();
    await c.send('TYPE I');
    const d = await c.pasv();
    expect((await c.send('RETR slow.txt')).code).toBe(150);
    expect(release).toBeDefined();
    release!();
    expect((await readAll(d)).toString()).toBe('abcdef');
    expect((await c.read()).code).toBe(226);
  });
});
