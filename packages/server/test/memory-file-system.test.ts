import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../src/errors.ts';
import { MemoryFileSystem } from '../src/fs/memory-file-system.ts';
import { fileSystemContract } from './file-system-contract.ts';
import { expectKind, names, readFile, writeFile } from './helpers.ts';

fileSystemContract('MemoryFileSystem', async () => ({ fs: new MemoryFileSystem(), cleanup: async () => {} }));

describe('MemoryFileSystem specifics', () => {
  it('seeds files and directories from options', async () => {
    const fs = new MemoryFileSystem({ files: { '/pub/readme.txt': 'hi', '/incoming/': '' } });
    expect(await names(fs, '/')).toEqual(['incoming', 'pub']);
    expect(await readFile(fs, '/pub/readme.txt')).toBe('hi');
    expect((await fs.stat('/incoming')).type).toBe('dir');
    expect(fs.capabilities.symlinks).toBe('none');
  });

  it('refuses bad options at construction', () => {
    expect(() => new MemoryFileSystem({ maxSize: -1 })).toThrow(InvalidArgumentError);
    expect(() => new MemoryFileSystem({ maxSize: 3, files: { '/a': 'abcd' } })).toThrow(InvalidArgumentError);
    expect(() => new MemoryFileSystem({ hashAlgorithms: ['nope'] })).toThrow(InvalidArgumentError);
  });

  describe('size cap (disk full)', () => {
    it('a fresh upload over the cap fails with NoSpace (452) and leaves nothing', async () => {
      const fs = new MemoryFileSystem({ maxSize: 10 });
      const upload = await fs.createWriteStream('/big');
      const error = await pipeline(Readable.from([Buffer.alloc(6), Buffer.alloc(6)]), upload.stream).catch(
        (e) => e,
      );
      expect(error).toMatchObject({ kind: 'NoSpace', replyCode: 452, code: 'FTPKIT_ERR_FS_NO_SPACE' });
      await expect(upload.commit()).rejects.toMatchObject({ kind: 'NoSpace' });
      await expectKind(fs.stat('/big'), 'NotFound');
      expect(fs.usedBytes).toBe(0);
      // The reservation was released: a file that fits still goes in.
      await writeFile(fs, '/fits', '0123456789');
      expect(fs.usedBytes).toBe(10);
    });

    it('append over the cap keeps what fitted', async () => {
      const fs = new MemoryFileSystem({ maxSize: 8, files: { '/log': 'abcd' } });
      const upload = await fs.createWriteStream('/log', { append: true });
      const error = await pipeline(
        Readable.from([Buffer.from('ef'), Buffer.from('ghijk')]),
        upload.stream,
      ).catch((e) => e);
      expect(error).toMatchObject({ kind: 'NoSpace' });
      expect(await readFile(fs, '/log')).toBe('abcdef');
    });

    it('a replacement counts twice until committed, like temp file + old file on disk', async () => {
      const fs = new MemoryFileSystem({ maxSize: 10, files: { '/f': '123456' } });
      await expect(writeFile(fs, '/f', '12345')).rejects.toMatchObject({ kind: 'NoSpace' });
      await writeFile(fs, '/f', '1234');
      expect(fs.usedBytes).toBe(4);
    });

    it('deleting and overwriting give space back', async () => {
      const fs = new MemoryFileSystem({ maxSize: 5, files: { '/a': '12345' } });
      await expect(writeFile(fs, '/b', 'x')).rejects.toMatchObject({ kind: 'NoSpace' });
      await fs.delete('/a');
      await writeFile(fs, '/b', '12345');
      await writeFile(fs, '/b', '1', { start: 4 });
      expect(await readFile(fs, '/b')).toBe('12341');
      expect(fs.usedBytes).toBe(5);
    });
  });

  it('a commit whose directory vanished meanwhile fails NotFound', async () => {
    const fs = new MemoryFileSystem({ files: { '/d/': '' } });
    const upload = await fs.createWriteStream('/d/x');
    upload.stream.end('data');
    await fs.rmdir('/d');
    await expect(upload.commit()).rejects.toMatchObject({ kind: 'NotFound' });
  });

  it('reports owner and group when configured', async () => {
    const fs = new MemoryFileSystem({ owner: 'alice', group: 1000, files: { '/a': '' } });
    expect(await fs.stat('/a')).toMatchObject({ owner: 'alice', group: 1000 });
  });
});
