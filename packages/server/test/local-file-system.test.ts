import { closeSync, openSync, writeSync } from 'node:fs';
import {
  chmod,
  mkdir,
  readdir,
  readFile as readRealFile,
  stat,
  symlink,
  writeFile as writeRealFile,
} from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { CHUNK_WRITTEN } from '@ftpkit/transport';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../src/errors.ts';
import { collectList } from '../src/fs/file-system.ts';
import { OPEN_READ_FAST } from '../src/fs/internal.ts';
import { LocalFileSystem, UPLOAD_TEMP_PREFIX } from '../src/fs/local-file-system.ts';
import { fileSystemContract } from './file-system-contract.ts';
import { expectKind, names, readFile, tempDir, writeFile } from './helpers.ts';

fileSystemContract('LocalFileSystem', async () => {
  const tmp = await tempDir();
  return { fs: new LocalFileSystem({ root: tmp.dir }), cleanup: tmp.remove };
});

fileSystemContract('LocalFileSystem (root given through a symlink)', async () => {
  const tmp = await tempDir();
  await mkdir(path.join(tmp.dir, 'real'));
  await symlink(path.join(tmp.dir, 'real'), path.join(tmp.dir, 'alias'));
  return { fs: new LocalFileSystem({ root: path.join(tmp.dir, 'alias') }), cleanup: tmp.remove };
});

describe('LocalFileSystem specifics', () => {
  let tmp: Awaited<ReturnType<typeof tempDir>>;
  let root: string;
  let fs: LocalFileSystem;

  beforeEach(async () => {
    tmp = await tempDir();
    root = tmp.dir;
    fs = new LocalFileSystem({ root });
  });
  afterEach(() => tmp.remove());

  it('refuses a missing root option; a missing root directory is NotFound', async () => {
    expect(() => new LocalFileSystem({ root: '' })).toThrow(InvalidArgumentError);
    expect(() => new LocalFileSystem({ root, listConcurrency: 0 })).toThrow(InvalidArgumentError);
    const missing = new LocalFileSystem({ root: path.join(root, 'nope') });
    await expectKind(missing.stat('/'), 'NotFound');
  });

  it('reports numeric uid/gid, permission bits and a unique id', async () => {
    await writeRealFile(path.join(root, 'f'), 'x');
    await chmod(path.join(root, 'f'), 0o640);
    const st = await fs.stat('/f');
    const real = await stat(path.join(root, 'f'));
    expect(st).toMatchObject({ owner: real.uid, group: real.gid, mode: 0o640, nlink: 1 });
    expect(st.unique).toBe(`${real.dev.toString(16)}g${real.ino.toString(16)}`);
  });

  describe('atomic uploads', () => {
    it('write to a hidden temp file in the same directory, renamed on commit', async () => {
      await mkdir(path.join(root, 'd'));
      const upload = await fs.createWriteStream('/d/up.bin');
      await new Promise<void>((resolve) => upload.stream.write('part', () => resolve()));
      const during = await readdir(path.join(root, 'd'));
      expect(during).toHaveLength(1);
      expect(during[0]).toMatch(/^\.ftpkit-upload-[0-9a-f]{16}$/);
      expect(during[0]!.startsWith(UPLOAD_TEMP_PREFIX)).toBe(true);
      expect(await names(fs, '/d')).toEqual([]);
      upload.stream.end('-rest');
      await upload.commit();
      expect(await readdir(path.join(root, 'd'))).toEqual(['up.bin']);
      expect(await readRealFile(path.join(root, 'd', 'up.bin'), 'utf8')).toBe('part-rest');
    });

    it('leave no temp file after abort or a stream error', async () => {
      const aborted = await fs.createWriteStream('/a.bin');
      aborted.stream.write('x');
      await aborted.abort();
      const broken = await fs.createWriteStream('/b.bin');
      broken.stream.destroy(new Error('boom'));
      // No abort() call: a stream error cleans up by itself.
      await expect(broken.commit()).rejects.toMatchObject({
        kind: 'Io',
        cause: expect.objectContaining({ message: 'boom' }),
      });
      expect(await readdir(root)).toEqual([]);
    });

    it('clean up after a stream error even when the caller never calls commit() or abort()', async () => {
      const upload = await fs.createWriteStream('/orphan.bin');
      upload.stream.on('error', () => {});
      upload.stream.write('x');
      upload.stream.destroy(new Error('socket reset'));
      let left = await readdir(root);
      for (let i = 0; i < 100 && left.length > 0; i++) {
        await new Promise((r) => setTimeout(r, 5));
        left = await readdir(root);
      }
      expect(left).toEqual([]);
    });

    it('keep the permission bits of the file they replace', async () => {
      await writeRealFile(path.join(root, 'script.sh'), 'old');
      await chmod(path.join(root, 'script.sh'), 0o750);
      await writeFile(fs, '/script.sh', 'new');
      expect((await stat(path.join(root, 'script.sh'))).mode & 0o777).toBe(0o750);
    });

    it('can be turned off: then the upload writes in place and says so', async () => {
      const direct = new LocalFileSystem({ root, atomicUploads: false });
      expect(direct.capabilities.atomicUpload).toBe(false);
      const upload = await direct.createWriteStream('/in-place.txt');
      expect(upload.atomic).toBe(false);
      await new Promise<void>((resolve) => upload.stream.write('abc', () => resolve()));
      expect(await readdir(root)).toEqual(['in-place.txt']);
      upload.stream.end();
      await upload.commit();
      expect(await readFile(direct, '/in-place.txt')).toBe('abc');
    });
  });

  it('hides stray upload temp files from listings (configurable)', async () => {
    await writeRealFile(path.join(root, `${UPLOAD_TEMP_PREFIX}0123`), 'x');
    await writeRealFile(path.join(root, 'visible'), 'x');
    expect(await names(fs, '/')).toEqual(['visible']);
    const showing = new LocalFileSystem({ root, hideUploadTempFiles: false });
    expect(await names(showing, '/')).toEqual([`${UPLOAD_TEMP_PREFIX}0123`, 'visible']);
  });

  it('reads in 1 MiB chunks by default', async () => {
    await writeRealFile(path.join(root, 'big'), Buffer.alloc(3 * 1024 * 1024));
    const stream = await fs.createReadStream('/big');
    const sizes: number[] = [];
    for await (const chunk of stream) sizes.push((chunk as Buffer).length);
    expect(sizes).toEqual([1024 * 1024, 1024 * 1024, 1024 * 1024]);
  });

  it('reuses a read buffer once the consumer says it was written (CHUNK_WRITTEN), bytes intact', async () => {
    const size = 5 * 256 * 1024 + 77;
    const bytes = Buffer.from(Array.from({ length: size }, (_, i) => (i * 13 + (i >> 16)) & 0xff));
    await writeRealFile(path.join(root, 'big'), bytes);
    const small = new LocalFileSystem({ root, readHighWaterMark: 256 * 1024 });
    for (const opened of [
      await small.createReadStream('/big'),
      (await small[OPEN_READ_FAST]('/big', 0))?.stream,
    ]) {
      const stream = opened as Readable & { [CHUNK_WRITTEN](chunk: Buffer): void };
      const copies: Buffer[] = [];
      const seen = new Set<ArrayBufferLike>();
      for await (const chunk of stream) {
        copies.push(Buffer.from(chunk as Buffer));
        seen.add((chunk as Buffer).buffer);
        stream[CHUNK_WRITTEN](chunk as Buffer);
      }
      expect(Buffer.concat(copies).equals(bytes)).toBe(true);
      expect(seen.size).toBeLessThan(copies.length);
    }
  });

  it('lists 10,000 entries completely', async () => {
    await mkdir(path.join(root, 'huge'));
    for (let i = 0; i < 10_000; i++) {
      const fd = openSync(path.join(root, 'huge', `file-${i}`), 'w');
      if (i % 7 === 0) writeSync(fd, 'x');
      closeSync(fd);
    }
    const entries = await collectList(await fs.list('/huge'));
    expect(entries).toHaveLength(10_000);
    expect(entries.filter((e) => e.size === 1)).toHaveLength(Math.ceil(10_000 / 7));
  });

  describe("RETR's open fast path", () => {
    async function fastRead(target: LocalFileSystem, p: string, start = 0) {
      const opened = await target[OPEN_READ_FAST](p, start);
      if (opened === undefined) return undefined;
      const chunks: Buffer[] = [];
      for await (const chunk of opened.stream) chunks.push(chunk as Buffer);
      return { stat: opened.stat, bytes: Buffer.concat(chunks) };
    }
    const bytes = (n: number) => Buffer.from(Array.from({ length: n }, (_, i) => (i * 7 + 3) & 0xff));

    it('reads small files whole (sync), larger ones streamed from the same fd, at any offset', async () => {
      await mkdir(path.join(root, 'sub'));
      const small = bytes(4096);
      const large = bytes(200 * 1024);
      await writeRealFile(path.join(root, 'sub', 'small.bin'), small);
      await writeRealFile(path.join(root, 'large.bin'), large);
      await writeRealFile(path.join(root, 'empty'), '');
      const tiny = new LocalFileSystem({ root, syncReadBytes: 1000 });
      const off = new LocalFileSystem({ root, syncReadBytes: 0 });
      for (const target of [fs, tiny, off]) {
        const a = await fastRead(target, '/sub/small.bin');
        expect(a?.bytes.equals(small)).toBe(true);
        expect(a?.stat).toMatchObject({ name: 'small.bin', type: 'file', size: 4096 });
        expect((await fastRead(target, '/sub/small.bin', 4000))?.bytes.equals(small.subarray(4000))).toBe(
          true,
        );
        expect((await fastRead(target, '/sub/small.bin', 4096))?.bytes.length).toBe(0);
        expect((await fastRead(target, '/large.bin'))?.bytes.equals(large)).toBe(true);
        expect((await fastRead(target, '/large.bin', 150_000))?.bytes.equals(large.subarray(150_000))).toBe(
          true,
        );
        expect((await fastRead(target, '/empty'))?.bytes.length).toBe(0);
      }
      expect(() => new LocalFileSystem({ root, syncReadBytes: -1 })).toThrow(InvalidArgumentError);
    });

    it('declines (undefined) whatever the checked path must word: missing, directory, offset past the end, a link', async () => {
      await mkdir(path.join(root, 'dir'));
      await writeRealFile(path.join(root, 'f'), 'abc');
      await symlink(path.join(root, 'f'), path.join(root, 'link'));
      for (const target of [fs, new LocalFileSystem({ root, syncReadBytes: 0 })]) {
        for (const [p, start] of [
          ['/missing', 0],
          ['/dir', 0],
          ['/f', 4],
          ['/link', 0],
          ['/', 0],
        ] as const) {
          expect(await target[OPEN_READ_FAST](p, start)).toBeUndefined();
        }
      }
    });

    it('closes the fd of a streamed file that is never read once destroyed', async () => {
      await writeRealFile(path.join(root, 'large.bin'), bytes(300 * 1024));
      const before = (await readdir('/proc/self/fd')).length;
      const opened = await fs[OPEN_READ_FAST]('/large.bin', 0);
      expect((await readdir('/proc/self/fd')).length).toBe(before + 1);
      opened?.stream.destroy();
      await new Promise((resolve) => opened?.stream.once('close', resolve));
      expect((await readdir('/proc/self/fd')).length).toBe(before);
    });
  });

  it('treats a backslash as an ordinary file-name character on POSIX', async () => {
    if (path.sep === '\\') return expect(path.sep).toBe('\\');
    await writeFile(fs, '/a\\..\\b', 'x');
    expect(await readdir(root)).toEqual(['a\\..\\b']);
    expect(await names(fs, '/')).toEqual(['a\\..\\b']);
  });

  it('keeps UTF-8 names as they are', async () => {
    await writeFile(fs, '/héllo wörld ✓.txt', 'x');
    expect(await readdir(root)).toEqual(['héllo wörld ✓.txt']);
  });
});

describe('LocalFileSystem symlink jail', () => {
  let tmp: Awaited<ReturnType<typeof tempDir>>;
  let root: string;
  let outside: string;
  let fs: LocalFileSystem;

  beforeEach(async () => {
    tmp = await tempDir();
    root = path.join(tmp.dir, 'root');
    outside = path.join(tmp.dir, 'outside');
    await mkdir(root);
    await mkdir(outside);
    await mkdir(path.join(outside, 'sub'));
    await writeRealFile(path.join(outside, 'secret.txt'), 'secret');
    await mkdir(path.join(root, 'inner'));
    await writeRealFile(path.join(root, 'inner', 'ok.txt'), 'ok');
    await writeRealFile(path.join(root, 'plain.txt'), 'plain');
    await symlink(outside, path.join(root, 'out')); // dir link escaping
    await symlink(path.join(outside, 'secret.txt'), path.join(root, 'secret')); // file link escaping
    await symlink('../outside/secret.txt', path.join(root, 'relsecret')); // relative escape
    await symlink(path.join(outside, 'planted.txt'), path.join(root, 'dangling')); // dangling, escaping
    await symlink(path.join(root, 'inner'), path.join(root, 'innerlink')); // dir link inside
    await symlink('inner/ok.txt', path.join(root, 'oklink')); // file link inside
    fs = new LocalFileSystem({ root });
  });
  afterEach(() => tmp.remove());

  async function outsideUntouched(): Promise<void> {
    expect((await readdir(outside)).sort()).toEqual(['secret.txt', 'sub']);
    expect(await readRealFile(path.join(outside, 'secret.txt'), 'utf8')).toBe('secret');
  }

  it('stat: escaping links show as symlinks (no target), inside links are followed', async () => {
    for (const name of ['out', 'secret', 'relsecret', 'dangling']) {
      const st = await fs.stat(`/${name}`);
      expect(st.type).toBe('symlink');
      expect(st.size).toBe(0);
      expect(st.target).toBeUndefined();
    }
    expect(await fs.stat('/innerlink')).toMatchObject({ type: 'dir' });
    expect(await fs.stat('/oklink')).toMatchObject({ type: 'file', size: 2 });
    await expectKind(fs.stat('/out/secret.txt'), 'PermissionDenied');
    await expectKind(fs.stat('/out/missing'), 'PermissionDenied');
  });

  it('list: escaping links are not followed', async () => {
    const entries = await collectList(await fs.list('/'));
    const types = Object.fromEntries(entries.map((e) => [e.name, e.type]));
    expect(types).toEqual({
      inner: 'dir',
      'plain.txt': 'file',
      out: 'symlink',
      secret: 'symlink',
      relsecret: 'symlink',
      dangling: 'symlink',
      innerlink: 'dir',
      oklink: 'file',
    });
    await expectKind(fs.list('/out'), 'PermissionDenied');
    await expectKind(fs.list('/out/sub'), 'PermissionDenied');
    expect(await names(fs, '/innerlink')).toEqual(['ok.txt']);
  });

  it("RETR's fast path declines a parent that escapes, and reads through an inside one", async () => {
    await writeRealFile(path.join(outside, 'sub', 'x'), 'x');
    for (const target of [fs, new LocalFileSystem({ root, syncReadBytes: 0 })]) {
      expect(await target[OPEN_READ_FAST]('/out/secret.txt', 0)).toBeUndefined();
      expect(await target[OPEN_READ_FAST]('/out/sub/x', 0)).toBeUndefined();
      expect((await target[OPEN_READ_FAST]('/innerlink/ok.txt', 0))?.stat.size).toBe(2);
    }
  });

  it('read: refused through escaping links, allowed through inside links', async () => {
    for (const p of ['/secret', '/relsecret', '/out/secret.txt', '/dangling']) {
      await expectKind(fs.createReadStream(p), 'PermissionDenied');
    }
    expect(await readFile(fs, '/oklink')).toBe('ok');
    expect(await readFile(fs, '/innerlink/ok.txt')).toBe('ok');
  });

  it('write: refused through escaping and dangling links (every mode); inside links write the target', async () => {
    for (const p of ['/secret', '/relsecret', '/dangling', '/out/new.txt', '/out/secret.txt']) {
      await expectKind(fs.createWriteStream(p), 'PermissionDenied');
      await expectKind(fs.createWriteStream(p, { append: true }), 'PermissionDenied');
      await expectKind(fs.createWriteStream(p, { start: 1 }), 'PermissionDenied');
    }
    await outsideUntouched();
    await writeFile(fs, '/oklink', 'new');
    expect(await readRealFile(path.join(root, 'inner', 'ok.txt'), 'utf8')).toBe('new');
    expect((await fs.stat('/oklink')).type).toBe('file');
    await writeFile(fs, '/innerlink/created.txt', 'c');
    expect(await readRealFile(path.join(root, 'inner', 'created.txt'), 'utf8')).toBe('c');
  });

  it('mkdir: refused below an escaping link', async () => {
    await expectKind(fs.mkdir('/out/newdir'), 'PermissionDenied');
    await expectKind(fs.mkdir('/out'), 'AlreadyExists');
    await outsideUntouched();
    await fs.mkdir('/innerlink/made');
    expect((await stat(path.join(root, 'inner', 'made'))).isDirectory()).toBe(true);
  });

  it('rmdir: refused below an escaping link; the link itself is not a directory', async () => {
    await expectKind(fs.rmdir('/out/sub'), 'PermissionDenied');
    await expectKind(fs.rmdir('/out'), 'NotADirectory');
    await outsideUntouched();
  });

  it('delete: refused below an escaping link; deleting the link removes only the link', async () => {
    await expectKind(fs.delete('/out/secret.txt'), 'PermissionDenied');
    await fs.delete('/secret');
    await fs.delete('/out');
    await fs.delete('/dangling');
    await outsideUntouched();
    expect((await readdir(root)).sort()).toEqual(['inner', 'innerlink', 'oklink', 'plain.txt', 'relsecret']);
  });

  it('rename: refused into or out of an escaping link; renaming the link moves only the link', async () => {
    await expectKind(fs.rename('/out/secret.txt', '/stolen.txt'), 'PermissionDenied');
    await expectKind(fs.rename('/plain.txt', '/out/plain.txt'), 'PermissionDenied');
    await expectKind(fs.rename('/out/sub', '/sub'), 'PermissionDenied');
    await fs.rename('/secret', '/renamed-link');
    await outsideUntouched();
    expect((await fs.stat('/renamed-link')).type).toBe('symlink');
    await expectKind(fs.createReadStream('/renamed-link'), 'PermissionDenied');
    expect(await readRealFile(path.join(root, 'plain.txt'), 'utf8')).toBe('plain');
  });

  it('setModified and hash: refused through escaping links', async () => {
    const before = (await stat(path.join(outside, 'secret.txt'))).mtimeMs;
    await expectKind(fs.setModified('/secret', new Date(0)), 'PermissionDenied');
    await expectKind(fs.setModified('/out/secret.txt', new Date(0)), 'PermissionDenied');
    await expectKind(fs.hash('/secret', 'sha256'), 'PermissionDenied');
    expect((await stat(path.join(outside, 'secret.txt'))).mtimeMs).toBe(before);
  });

  it('a link loop is not followed', async () => {
    await symlink(path.join(root, 'loop'), path.join(root, 'loop'));
    expect((await fs.stat('/loop')).type).toBe('symlink');
    await expectKind(fs.createReadStream('/loop'), 'PermissionDenied');
    await expectKind(fs.createWriteStream('/loop'), 'PermissionDenied');
  });
});
