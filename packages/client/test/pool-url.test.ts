import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type TempDir, tempDir } from '@ftpkit/test-utils';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ClientPool, choosePassiveHost, createPool, isSafeEntryName, parseFtpUrl } from '../src/index.js';
import { type FakeServer, startFakeServer } from './support/fake-server.js';
import { collector } from './support/files.js';

describe('parseFtpUrl', () => {
  it('reads scheme, credentials, port and path', () => {
    expect(parseFtpUrl('ftp://bob:p%40ss@example.com:2121/pub/file.txt')).toEqual({
      options: { host: 'example.com', secure: false, port: 2121, user: 'bob', password: 'p@ss' },
      path: 'pub/file.txt',
      endsWithSlash: false,
    });
    expect(parseFtpUrl('ftps://h/').options).toEqual({ host: 'h', secure: 'implicit' });
    expect(parseFtpUrl('ftpes://h/dir/').options.secure).toBe(true);
    expect(parseFtpUrl('ftpes://h/dir/')).toMatchObject({ path: 'dir', endsWithSlash: true });
    expect(parseFtpUrl('ftp://h/%2Fetc/motd').path).toBe('/etc/motd');
    expect(parseFtpUrl('ftp://[::1]:21/x;type=i')).toMatchObject({ options: { host: '::1' }, path: 'x' });
  });

  it('refuses other schemes and CR/LF smuggled through percent-encoding', () => {
    expect(() => parseFtpUrl('http://h/')).toThrow(
      expect.objectContaining({ code: 'FTPKIT_ERR_INVALID_ARGUMENT' }),
    );
    expect(() => parseFtpUrl('ftp://u:a%0D%0APASS@h/')).toThrow(
      expect.objectContaining({ code: 'FTPKIT_ERR_INVALID_ARGUMENT' }),
    );
    expect(() => parseFtpUrl('not a url')).toThrow(
      expect.objectContaining({ code: 'FTPKIT_ERR_INVALID_ARGUMENT' }),
    );
  });
});

describe('address and name guards', () => {
  it('choosePassiveHost keeps the control host unless trusted and routable', () => {
    expect(choosePassiveHost('10.0.0.5', '203.0.113.9', false)).toBe('203.0.113.9');
    expect(choosePassiveHost('10.0.0.5', '203.0.113.9', true)).toBe('203.0.113.9');
    expect(choosePassiveHost('198.51.100.7', '203.0.113.9', true)).toBe('198.51.100.7');
    expect(choosePassiveHost('198.51.100.7', '203.0.113.9', false)).toBe('203.0.113.9');
    expect(choosePassiveHost('0.0.0.0', '127.0.0.1', true)).toBe('127.0.0.1');
  });

  it('isSafeEntryName refuses names that escape the target directory', () => {
    for (const bad of ['..', '.', '', 'a/b', '../x', 'a\\b', 'a\0b'])
      expect(isSafeEntryName(bad)).toBe(false);
    expect(isSafeEntryName('..hidden')).toBe(true);
  });
});

describe('ClientPool', () => {
  let server: FakeServer;
  let dir: TempDir;
  beforeEach(async () => {
    dir = await tempDir('ftpkit-pool-');
  });
  afterEach(async () => {
    await server?.close();
    await dir.cleanup();
  });

  it('isolates errors, caps connections and re-logs in after a drop', async () => {
    server = await startFakeServer({ files: { a: 'A', b: 'B', c: 'C', d: 'D' } });
    const pool = new ClientPool({
      host: server.host,
      port: server.port,
      user: 'u',
      password: 'p',
      size: 2,
      keepaliveInterval: 0,
    });
    try {
      const results = await Promise.allSettled(
        ['a', 'missing', 'b', 'c', 'd'].map(async (name) => {
          const out = collector();
          await pool.download(name, out.stream);
          return out.buffer().toString();
        }),
      );
      expect(
        results.map((r) =>
          r.status === 'fulfilled' ? r.value : (r.reason as { replyCode: number }).replyCode,
        ),
      ).toEqual(['A', 550, 'B', 'C', 'D']);
      expect(pool.open).toBe(2);
      expect(server.connections()).toBe(2);
      server.dropAll();
      await new Promise((r) => setTimeout(r, 50));
      const out = collector();
      await pool.download('a', out.stream);
      expect(out.buffer().toString()).toBe('A');
      expect(server.connections()).toBe(3);
    } finally {
      await pool.close();
    }
  });

  it('retries a dropped download once on a fresh login, resuming with REST', async () => {
    const content = Buffer.alloc(300_000, 9);
    let drop = true;
    server = await startFakeServer({
      files: { f: content },
      on: {
        RETR: async (s) => {
          const rest = (s.state.rest as number | undefined) ?? 0;
          s.state.rest = 0;
          s.reply(150, 'Opening.');
          const d = await s.data();
          if (drop) {
            drop = false;
            d.write(content.subarray(0, 100_000), () => setTimeout(() => server.dropAll(), 20));
            return;
          }
          d.end(content.subarray(rest));
          await new Promise((r) => d.once('close', r));
          s.reply(226, 'Done.');
        },
      },
    });
    const pool = new ClientPool({ host: server.host, port: server.port, size: 1, keepaliveInterval: 0 });
    try {
      const path = join(dir.path, 'f');
      const r = await pool.download('f', path);
      expect(readFileSync(path).equals(content)).toBe(true);
      expect(r.bytes).toBe(content.length);
      expect(server.connections()).toBe(2);
      expect(server.commands.some((c) => /^REST [1-9]\d*$/.test(c))).toBe(true);
    } finally {
      await pool.close();
    }
  });

  it('downloads a tree in parallel, skipping unsafe names from the listing', async () => {
    server = await startFakeServer({
      files: { 'd/x.txt': 'x', 'd/y.txt': 'y' },
      on: {
        MLSD: async (s, arg) => {
          s.reply(150, 'Here.');
          const d = await s.data();
          d.end(
            arg === 'd'
              ? 'type=cdir; .\r\ntype=file;size=1; x.txt\r\ntype=file;size=1; y.txt\r\ntype=file;size=1; ../../evil\r\n'
              : '',
          );
          await new Promise((r) => d.once('close', r));
          s.reply(226, 'Done.');
        },
      },
    });
    const pool = createPool(`ftp://u:p@127.0.0.1:${server.port}/`, { size: 2, keepaliveInterval: 0 });
    try {
      const progress: number[] = [];
      const result = await pool.downloadDir('d', join(dir.path, 'out'), {
        onProgress: (p) => progress.push(p.filesDone),
      });
      expect(result.files).toBe(2);
      expect(result.skipped).toEqual(['d/../../evil']);
      expect(readFileSync(join(dir.path, 'out/x.txt'), 'utf8')).toBe('x');
      expect(readFileSync(join(dir.path, 'out/y.txt'), 'utf8')).toBe('y');
      expect(progress.at(-1)).toBe(2);
    } finally {
      await pool.close();
    }
  });
});
