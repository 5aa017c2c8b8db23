/**
 * The FileSystem contract as a test suite. Every adapter runs it through its own factory:
 * `fileSystemContract('MemoryFileSystem', async () => ({ fs, cleanup }))`.
 */

import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { formatListLine, formatMlsxFacts } from '@ftpkit/codec';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InvalidStateError } from '../src/errors.ts';
import { FileSystemError } from '../src/fs/errors.ts';
import { collectList, type FileSystem } from '../src/fs/file-system.ts';
import { expectKind, names, readFile, writeFile } from './helpers.ts';

export interface ContractFixture {
  readonly fs: FileSystem;
  cleanup(): Promise<void>;
}

export function fileSystemContract(name: string, factory: () => Promise<ContractFixture>): void {
  describe(`${name} (FileSystem contract)`, () => {
    let fixture: ContractFixture;
    let fs: FileSystem;

    beforeEach(async () => {
      fixture = await factory();
      fs = fixture.fs;
      await fs.mkdir('/dir');
      await writeFile(fs, '/dir/a.txt', 'hello');
      await writeFile(fs, '/file.txt', 'abcdef');
    });
    afterEach(async () => {
      await fixture.cleanup();
    });

    it('declares its capabilities', () => {
      const caps = fs.capabilities;
      for (const key of ['restartRead', 'restartWrite', 'append', 'setModified', 'atomicUpload'] as const) {
        expect(typeof caps[key]).toBe('boolean');
      }
      expect(Array.isArray(caps.hashAlgorithms)).toBe(true);
      expect(caps.setModified).toBe(typeof fs.setModified === 'function');
      expect(caps.hashAlgorithms.length > 0).toBe(typeof fs.hash === 'function');
    });

    describe('paths', () => {
      it.each(['relative', '/a/../b', '/dir/', '/./x', '//x', ''])(
        'refuses the non-normalised path %j',
        async (p) => {
          await expectKind(fs.stat(p), 'InvalidName');
          await expectKind(fs.mkdir(p), 'InvalidName');
        },
      );
    });

    describe('stat', () => {
      it('reports the root as a directory named /', async () => {
        const root = await fs.stat('/');
        expect(root).toMatchObject({ name: '/', type: 'dir' });
      });

      it('reports a file as a FileRecord the codec formats', async () => {
        const st = await fs.stat('/file.txt');
        expect(st).toMatchObject({ name: 'file.txt', type: 'file', size: 6 });
        expect(st.modified).toBeInstanceOf(Date);
        expect(formatListLine(st)).toMatch(/file\.txt$/);
        expect(formatMlsxFacts(st)).toMatch(/type=file;/i);
      });

      it('NotFound for a missing entry', async () => {
        await expectKind(fs.stat('/missing'), 'NotFound');
        await expectKind(fs.stat('/missing/deeper'), 'NotFound');
      });

      it('NotADirectory when a parent is a file', async () => {
        await expectKind(fs.stat('/file.txt/x'), 'NotADirectory');
      });

      it('errors carry the reply code from the table', async () => {
        const error = await fs.stat('/missing').catch((e: unknown) => e);
        expect(error).toBeInstanceOf(FileSystemError);
        expect(error).toMatchObject({
          kind: 'NotFound',
          replyCode: 550,
          code: 'FTPKIT_ERR_FS_NOT_FOUND',
          path: '/missing',
        });
      });
    });

    describe('list', () => {
      it('lists entries with stat info and no . or ..', async () => {
        const entries = await collectList(await fs.list('/'));
        const byName = new Map(entries.map((e) => [e.name, e]));
        expect([...byName.keys()].sort()).toEqual(['dir', 'file.txt']);
        expect(byName.get('dir')?.type).toBe('dir');
        expect(byName.get('file.txt')).toMatchObject({ type: 'file', size: 6 });
      });

      it('lists an empty directory as nothing', async () => {
        await fs.mkdir('/empty');
        expect(await names(fs, '/empty')).toEqual([]);
      });

      it('lists more entries than one batch completely', async () => {
        await fs.mkdir('/many');
        for (let i = 0; i < 120; i++) await writeFile(fs, `/many/f${i}`, String(i));
        const entries = await collectList(await fs.list('/many'));
        expect(entries).toHaveLength(120);
        expect(new Set(entries.map((e) => e.name)).size).toBe(120);
        expect(entries.find((e) => e.name === 'f119')?.size).toBe(3);
      });

      it('rejects before iteration: NotFound, NotADirectory', async () => {
        await expectKind(fs.list('/missing'), 'NotFound');
        await expectKind(fs.list('/file.txt'), 'NotADirectory');
      });

      it('stops when the signal aborts', async () => {
        await fs.mkdir('/many');
        for (let i = 0; i < 150; i++) await fs.mkdir(`/many/d${i}`);
        const controller = new AbortController();
        const seen: string[] = [];
        const iterate = async () => {
          for await (const entry of await fs.list('/many', { signal: controller.signal })) {
            seen.push(entry.name);
            controller.abort();
          }
        };
        await expect(iterate()).rejects.toThrow();
        expect(seen.length).toBeLessThan(150);
      });
    });

    describe('createReadStream', () => {
      it('reads the whole file', async () => {
        expect(await readFile(fs, '/file.txt')).toBe('abcdef');
      });

      it('restarts at an offset (REST)', async () => {
        expect(fs.capabilities.restartRead).toBe(true);
        expect(await readFile(fs, '/file.txt', 2)).toBe('cdef');
        expect(await readFile(fs, '/file.txt', 6)).toBe('');
      });

      it('InvalidOffset past the end or negative', async () => {
        await expectKind(fs.createReadStream('/file.txt', { start: 7 }), 'InvalidOffset');
        await expectKind(fs.createReadStream('/file.txt', { start: -1 }), 'InvalidOffset');
        await expectKind(fs.createReadStream('/file.txt', { start: 1.5 }), 'InvalidOffset');
      });

      it('NotFound, IsADirectory before any stream exists', async () => {
        await expectKind(fs.createReadStream('/missing'), 'NotFound');
        await expectKind(fs.createReadStream('/dir'), 'IsADirectory');
        await expectKind(fs.createReadStream('/'), 'IsADirectory');
      });

      it('streams a large file in several chunks with the exact bytes', async () => {
        const big = Buffer.alloc(3 * 1024 * 1024 + 17);
        for (let i = 0; i < big.length; i++) big[i] = i % 251;
        await writeFile(fs, '/big.bin', big);
        const stream = await fs.createReadStream('/big.bin', { start: 5 });
        const chunks: Buffer[] = [];
        for await (const chunk of stream) chunks.push(chunk as Buffer);
        expect(chunks.length).toBeGreaterThan(1);
        expect(Buffer.concat(chunks).equals(big.subarray(5))).toBe(true);
      });

      it('destroys the stream when the signal aborts', async () => {
        const controller = new AbortController();
        const stream = await fs.createReadStream('/file.txt', { signal: controller.signal });
        controller.abort();
        await expect(async () => {
          for await (const _ of stream) {
            // drain
          }
        }).rejects.toThrow();
        expect(stream.destroyed).toBe(true);
      });

      it('refuses an already aborted signal', async () => {
        await expect(fs.createReadStream('/file.txt', { signal: AbortSignal.abort() })).rejects.toThrow();
      });
    });

    describe('createWriteStream', () => {
      it('creates a file on commit', async () => {
        await writeFile(fs, '/dir/new.txt', 'fresh');
        expect(await readFile(fs, '/dir/new.txt')).toBe('fresh');
      });

      it('replaces an existing file', async () => {
        await writeFile(fs, '/file.txt', 'XY');
        expect(await readFile(fs, '/file.txt')).toBe('XY');
      });

      it('counts bytes written and accepts Uint8Array and string chunks', async () => {
        const upload = await fs.createWriteStream('/mixed');
        await pipeline(Readable.from([new Uint8Array([65, 66]), Buffer.from('CD')]), upload.stream);
        expect(upload.bytesWritten).toBe(4);
        await upload.commit();
        expect(await readFile(fs, '/mixed')).toBe('ABCD');
      });

      it('atomic: nothing under the real name before commit, nothing after abort', async () => {
        if (!fs.capabilities.atomicUpload) return expect(fs.capabilities.atomicUpload).toBe(false);
        const upload = await fs.createWriteStream('/dir/atomic.txt');
        expect(upload.atomic).toBe(true);
        upload.stream.write('partial');
        await new Promise((r) => setImmediate(r));
        await expectKind(fs.stat('/dir/atomic.txt'), 'NotFound');
        expect(await names(fs, '/dir')).toEqual(['a.txt']);
        await upload.abort();
        await expectKind(fs.stat('/dir/atomic.txt'), 'NotFound');
        expect(await names(fs, '/dir')).toEqual(['a.txt']);
      });

      it('atomic: an aborted replacement leaves the old content', async () => {
        const upload = await fs.createWriteStream('/file.txt');
        upload.stream.write('NEW CONTENT');
        await new Promise((r) => setImmediate(r));
        expect(await readFile(fs, '/file.txt')).toBe('abcdef');
        await upload.abort(new Error('client went away'));
        expect(await readFile(fs, '/file.txt')).toBe('abcdef');
      });

      it('a stream error aborts by itself; commit then rejects; no half file', async () => {
        const upload = await fs.createWriteStream('/dir/broken.txt');
        const failing = new Readable({
          read() {
            this.push(Buffer.from('some bytes'));
            this.destroy(new Error('data connection reset'));
          },
        });
        await expect(pipeline(failing, upload.stream)).rejects.toThrow('data connection reset');
        // The upload already aborted itself: commit reports the failure, not a usage error.
        await expect(upload.commit()).rejects.toBeInstanceOf(FileSystemError);
        await expectKind(fs.stat('/dir/broken.txt'), 'NotFound');
        expect(await names(fs, '/dir')).toEqual(['a.txt']);
      });

      it('the signal aborts the upload', async () => {
        const controller = new AbortController();
        const upload = await fs.createWriteStream('/dir/signalled.txt', { signal: controller.signal });
        upload.stream.write('abc');
        controller.abort();
        await upload.abort();
        await expect(upload.commit()).rejects.toThrow();
        await expectKind(fs.stat('/dir/signalled.txt'), 'NotFound');
      });

      it('commit before the stream ended is an InvalidStateError; abort is idempotent', async () => {
        const upload = await fs.createWriteStream('/dir/x.txt');
        await expect(upload.commit()).rejects.toBeInstanceOf(InvalidStateError);
        await upload.abort();
        await upload.abort();
        await expect(upload.commit()).rejects.toBeInstanceOf(InvalidStateError);
      });

      it('commit twice is harmless; abort after commit keeps the file', async () => {
        const upload = await fs.createWriteStream('/dir/twice.txt');
        upload.stream.end('ok');
        await upload.commit();
        await upload.commit();
        await upload.abort();
        expect(await readFile(fs, '/dir/twice.txt')).toBe('ok');
      });

      it('IsADirectory, NotFound, NotADirectory up front', async () => {
        await expectKind(fs.createWriteStream('/dir'), 'IsADirectory');
        await expectKind(fs.createWriteStream('/'), 'IsADirectory');
        await expectKind(fs.createWriteStream('/missing/x'), 'NotFound');
        await expectKind(fs.createWriteStream('/file.txt/x'), 'NotADirectory');
      });

      it('appends (APPE), creating a missing file', async () => {
        expect(fs.capabilities.append).toBe(true);
        await writeFile(fs, '/file.txt', 'gh', { append: true });
        expect(await readFile(fs, '/file.txt')).toBe('abcdefgh');
        await writeFile(fs, '/dir/appended.txt', 'one', { append: true });
        await writeFile(fs, '/dir/appended.txt', 'two', { append: true });
        expect(await readFile(fs, '/dir/appended.txt')).toBe('onetwo');
      });

      it('writes at an offset without truncating (REST + STOR)', async () => {
        expect(fs.capabilities.restartWrite).toBe(true);
        await writeFile(fs, '/file.txt', 'XY', { start: 3 });
        expect(await readFile(fs, '/file.txt')).toBe('abcXYf');
        await writeFile(fs, '/file.txt', '123', { start: 6 });
        expect(await readFile(fs, '/file.txt')).toBe('abcXYf123');
      });

      it('a resumable upload keeps the bytes written before an abort', async () => {
        const upload = await fs.createWriteStream('/file.txt', { start: 6 });
        expect(upload.atomic).toBe(false);
        await new Promise<void>((resolve, reject) =>
          upload.stream.write('gh', (e) => (e ? reject(e) : resolve())),
        );
        await upload.abort();
        expect(await readFile(fs, '/file.txt')).toBe('abcdefgh');
      });

      it('InvalidOffset past the end, on a missing file, negative', async () => {
        await expectKind(fs.createWriteStream('/file.txt', { start: 7 }), 'InvalidOffset');
        await expectKind(fs.createWriteStream('/dir/none.txt', { start: 1 }), 'InvalidOffset');
        await expectKind(fs.createWriteStream('/file.txt', { start: -3 }), 'InvalidOffset');
        expect(await readFile(fs, '/file.txt')).toBe('abcdef');
      });
    });

    describe('mkdir', () => {
      it('creates a directory', async () => {
        await fs.mkdir('/dir/sub');
        expect((await fs.stat('/dir/sub')).type).toBe('dir');
      });
      it('AlreadyExists for an existing name or the root', async () => {
        await expectKind(fs.mkdir('/dir'), 'AlreadyExists');
        await expectKind(fs.mkdir('/file.txt'), 'AlreadyExists');
        await expectKind(fs.mkdir('/'), 'AlreadyExists');
      });
      it('NotFound without a parent, NotADirectory through a file', async () => {
        await expectKind(fs.mkdir('/missing/sub'), 'NotFound');
        await expectKind(fs.mkdir('/file.txt/sub'), 'NotADirectory');
      });
    });

    describe('rmdir', () => {
      it('removes an empty directory', async () => {
        await fs.mkdir('/gone');
        await fs.rmdir('/gone');
        await expectKind(fs.stat('/gone'), 'NotFound');
      });
      it('NotEmpty, NotADirectory, NotFound, root refused', async () => {
        await expectKind(fs.rmdir('/dir'), 'NotEmpty');
        await expectKind(fs.rmdir('/file.txt'), 'NotADirectory');
        await expectKind(fs.rmdir('/missing'), 'NotFound');
        await expectKind(fs.rmdir('/'), 'PermissionDenied');
        expect((await fs.stat('/dir')).type).toBe('dir');
      });
    });

    describe('delete', () => {
      it('deletes a file', async () => {
        await fs.delete('/dir/a.txt');
        expect(await names(fs, '/dir')).toEqual([]);
      });
      it('IsADirectory for directories and the root, NotFound when missing', async () => {
        await expectKind(fs.delete('/dir'), 'IsADirectory');
        await expectKind(fs.delete('/'), 'IsADirectory');
        await expectKind(fs.delete('/missing'), 'NotFound');
        await expectKind(fs.delete('/file.txt/x'), 'NotADirectory');
      });
    });

    describe('rename', () => {
      it('moves a file, replacing an existing target', async () => {
        await fs.rename('/dir/a.txt', '/file.txt');
        expect(await readFile(fs, '/file.txt')).toBe('hello');
        await expectKind(fs.stat('/dir/a.txt'), 'NotFound');
      });
      it('moves a directory with its content', async () => {
        await fs.rename('/dir', '/moved');
        expect(await readFile(fs, '/moved/a.txt')).toBe('hello');
      });
      it('renaming onto itself changes nothing', async () => {
        await fs.rename('/file.txt', '/file.txt');
        expect(await readFile(fs, '/file.txt')).toBe('abcdef');
      });
      it('error kinds follow POSIX rename(2)', async () => {
        await fs.mkdir('/empty');
        await expectKind(fs.rename('/missing', '/x'), 'NotFound');
        await expectKind(fs.rename('/file.txt', '/missing/x'), 'NotFound');
        await expectKind(fs.rename('/file.txt', '/dir'), 'IsADirectory');
        await expectKind(fs.rename('/empty', '/file.txt'), 'NotADirectory');
        await expectKind(fs.rename('/empty', '/dir'), 'NotEmpty');
        await expectKind(fs.rename('/dir', '/dir/inside'), 'InvalidName');
        await expectKind(fs.rename('/', '/x'), 'PermissionDenied');
        await expectKind(fs.rename('/file.txt', '/'), 'PermissionDenied');
        expect(await readFile(fs, '/file.txt')).toBe('abcdef');
      });
      it('replaces an empty directory with a directory', async () => {
        await fs.mkdir('/empty');
        await fs.rename('/dir', '/empty');
        expect(await names(fs, '/empty')).toEqual(['a.txt']);
      });
    });

    describe('setModified', () => {
      it('sets the modification time', async () => {
        const when = new Date('2001-02-03T04:05:06Z');
        await fs.setModified!('/file.txt', when);
        expect((await fs.stat('/file.txt')).modified.getTime()).toBe(when.getTime());
      });
      it('NotFound when missing', async () => {
        await expectKind(fs.setModified!('/missing', new Date()), 'NotFound');
      });
    });

    describe('hash', () => {
      it('digests the whole file or a range', async () => {
        const sha = (s: string) => createHash('sha256').update(s).digest('hex');
        expect(await fs.hash!('/file.txt', 'sha256')).toBe(sha('abcdef'));
        expect(await fs.hash!('/file.txt', 'sha256', { start: 1, end: 4 })).toBe(sha('bcd'));
      });
      it('Unsupported for an algorithm not offered, IsADirectory for a dir', async () => {
        await expectKind(fs.hash!('/file.txt', 'whirlpool-not-offered'), 'Unsupported');
        await expectKind(fs.hash!('/dir', 'sha256'), 'IsADirectory');
      });
    });
  });
}
