/**
 * LIST streams a directory of a filesystem that lists in name order (`capabilities.sortedList`),
 * and collects and sorts the entries of one that does not: both give sorted `ls -l` lines.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { formatListLines } from '@ftpkit/codec';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { collectList, type FileStat, type ListOptions } from '../src/fs/file-system.ts';
import { LocalFileSystem } from '../src/fs/local-file-system.ts';
import { MemoryFileSystem } from '../src/fs/memory-file-system.ts';
import { tempDir, wrapFileSystem } from './helpers.ts';
import { readAll } from './support/raw-client.ts';
import { type Fixture, startServer } from './support/server.ts';

async function list(f: Fixture, target: string): Promise<string[]> {
  const c = await f.login();
  const data = await c.pasv();
  await c.send(`LIST ${target}`);
  const text = (await readAll(data)).toString('utf8');
  expect((await c.read()).code).toBe(226);
  const lines = text.split('\r\n');
  expect(lines.pop()).toBe('');
  return lines;
}

const nameOf = (line: string) => line.split(/ +/).slice(8).join(' ');

describe('LIST streaming', () => {
  let tmp: Awaited<ReturnType<typeof tempDir>>;
  beforeEach(async () => {
    tmp = await tempDir();
  });
  afterEach(() => tmp.remove());

  it('streams a large LocalFileSystem directory sorted, every line parseable, widths from the first 1,024', async () => {
    const dir = path.join(tmp.dir, 'big');
    await mkdir(dir);
    // Reverse creation order, so the directory's own order is not the sorted one; the last
    // names carry sizes wider than any in the first 1,024.
    for (let i = 2999; i >= 0; i--) {
      const name = `n-${String(i).padStart(4, '0')}${i % 500 === 0 ? ' with space' : ''}`;
      await writeFile(path.join(dir, name), i >= 2990 ? Buffer.alloc(123_456) : 'x'.repeat(i % 10));
    }
    const fs = new LocalFileSystem({ root: tmp.dir });
    expect(fs.capabilities.sortedList).toBe(true);
    const f = await startServer({ fileSystem: fs });
    const lines = await list(f, '/big');
    expect(lines).toHaveLength(3000);
    const names = lines.map(nameOf);
    expect(names).toEqual([...names].sort());
    expect(names[0]).toBe('n-0000 with space');
    expect(lines.at(-1)).toMatch(/ 123456 /);
    // The first 1,024 lines are aligned as one listing: the name starts in the same column.
    const firstBatch = lines.slice(0, 1024);
    const column = firstBatch[0]!.indexOf('n-0000');
    expect(firstBatch.every((line) => line.indexOf('n-') === column)).toBe(true);
  });

  it('a directory of up to 1,024 entries is byte-identical to formatListLines over all of it', async () => {
    const fs = new MemoryFileSystem({
      files: Object.fromEntries(
        Array.from({ length: 300 }, (_, i) => [`/d/f${(i * 7) % 300}`, 'y'.repeat((i * 37) % 5000)]),
      ),
    });
    const f = await startServer({ fileSystem: fs });
    const lines = await list(f, '/d');
    const entries = (await collectList(await fs.list('/d'))).sort((a, b) => (a.name < b.name ? -1 : 1));
    expect(lines).toEqual(formatListLines(entries));
  });

  it('a filesystem without sortedList is collected and sorted', async () => {
    const inner = new MemoryFileSystem({
      files: Object.fromEntries(
        Array.from({ length: 50 }, (_, i) => [`/d/e${String(i).padStart(2, '0')}`, 'z']),
      ),
    });
    // Lists in reverse order and ignores `sorted`, as a filesystem from elsewhere may.
    const unsorted = wrapFileSystem(inner, {
      capabilities: { ...inner.capabilities, sortedList: false },
      async list(p: string, options?: ListOptions) {
        const all: FileStat[] = await collectList(
          await inner.list(p, options?.signal ? { signal: options.signal } : {}),
        );
        all.reverse();
        return (async function* () {
          yield* all;
        })();
      },
    });
    const f = await startServer({ fileSystem: unsorted });
    const names = (await list(f, '/d')).map(nameOf);
    expect(names).toHaveLength(50);
    expect(names).toEqual([...names].sort());
  });
});
