import { mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { collectList, type FileStat } from '../src/fs/file-system.ts';
import { LocalFileSystem, UPLOAD_TEMP_PREFIX } from '../src/fs/local-file-system.ts';
import {
  LstatThread,
  PACKED_MISSING,
  PACKED_OK,
  PACKED_RETRY,
  PACKED_STRIDE,
} from '../src/fs/lstat-thread.ts';
import { tempDir } from './helpers.ts';

describe('LstatThread (the listing helper thread)', () => {
  let tmp: Awaited<ReturnType<typeof tempDir>>;
  beforeEach(async () => {
    tmp = await tempDir();
  });
  afterEach(() => tmp.remove());

  it('packs lstat results, marks vanished entries missing and failures for a retry', async () => {
    const thread = LstatThread.shared();
    expect(await thread.online()).toBe(true);
    await writeFile(path.join(tmp.dir, 'a'), 'abc');
    await mkdir(path.join(tmp.dir, 'd'));
    const packed = await thread.request(`${tmp.dir}/`, ['a', 'gone', 'a/child', 'd']);
    expect(packed).toBeInstanceOf(Float64Array);
    const slot = (i: number, k: number) => packed![i * PACKED_STRIDE + k];
    expect(slot(0, 0)).toBe(PACKED_OK);
    expect(slot(0, 2)).toBe(3); // size
    expect(slot(1, 0)).toBe(PACKED_MISSING);
    // ENOTDIR is not "gone": the caller re-stats it to get the real error.
    expect(slot(2, 0)).toBe(PACKED_RETRY);
    expect(slot(3, 0)).toBe(PACKED_OK);
    expect(slot(3, 1)! & 0o170000).toBe(0o040000); // S_IFDIR
  });

  it('lists a large directory exactly as without the helper, and the helper does the lstat work', async () => {
    const root = tmp.dir;
    const dir = path.join(root, 'big');
    await mkdir(dir);
    await mkdir(path.join(root, 'target-dir'));
    for (let i = 0; i < 2500; i++) {
      const name = path.join(dir, `f-${i}`);
      if (i % 97 === 0) await mkdir(name);
      else await writeFile(name, 'x'.repeat(i % 13));
    }
    // Links: one inside the root (followed), one outside (shown as a link), one dangling.
    await symlink(path.join(root, 'target-dir'), path.join(dir, 'link-in'));
    await symlink('/etc', path.join(dir, 'link-out'));
    await symlink(path.join(root, 'nowhere'), path.join(dir, 'link-dangling'));
    await writeFile(path.join(dir, `${UPLOAD_TEMP_PREFIX}hidden`), 'tmp');

    const byName = (a: FileStat, b: FileStat) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
    const plain = (
      await collectList(await new LocalFileSystem({ root, listThread: false }).list('/big'))
    ).sort(byName);
    const thread = LstatThread.shared();
    expect(await thread.online()).toBe(true);
    const before = thread.answered;
    const helped = (await collectList(await new LocalFileSystem({ root }).list('/big'))).sort(byName);
    expect(thread.answered).toBeGreaterThan(before);
    expect(helped).toHaveLength(2503);
    expect(helped).toEqual(plain);
    expect(helped.find((e) => e.name === 'link-in')?.type).toBe('dir');
    expect(helped.find((e) => e.name === 'link-out')?.type).toBe('symlink');
    expect(helped.find((e) => e.name === 'link-dangling')?.type).toBe('symlink');
    expect(helped.filter((e) => e.type === 'dir')).toHaveLength(Math.ceil(2500 / 97) + 1);
  });

  it('ends after being idle (no thread or handle left), and the next listing starts another', async () => {
    const saved = LstatThread.idleMs;
    LstatThread.idleMs = 50;
    try {
      const ports = () => process.getActiveResourcesInfo().filter((r) => r === 'MessagePort').length;
      await writeFile(path.join(tmp.dir, 'x'), 'x');
      const thread = LstatThread.shared();
      expect(await thread.online()).toBe(true);
      // A request restarts the idle countdown, now with the short idle time.
      expect(await thread.request(`${tmp.dir}/`, ['x'])).toBeInstanceOf(Float64Array);
      const before = ports();
      expect(before).toBeGreaterThan(0);
      for (let i = 0; i < 100 && !thread.ended; i++) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(thread.ended).toBe(true);
      for (let i = 0; i < 100 && ports() >= before; i++)
        await new Promise((resolve) => setTimeout(resolve, 20));
      expect(ports()).toBeLessThan(before);
      const next = LstatThread.shared();
      expect(next).not.toBe(thread);
      expect(await next.online()).toBe(true);
      expect(await next.request(`${tmp.dir}/`, ['x'])).toBeInstanceOf(Float64Array);
    } finally {
      LstatThread.idleMs = saved;
    }
  });

  it('is not asked when listThread is false', async () => {
    await mkdir(path.join(tmp.dir, 'big'));
    for (let i = 0; i < 600; i++) await writeFile(path.join(tmp.dir, 'big', `f-${i}`), '');
    const thread = LstatThread.shared();
    expect(await thread.online()).toBe(true);
    const before = thread.answered;
    const entries = await collectList(
      await new LocalFileSystem({ root: tmp.dir, listThread: false }).list('/big'),
    );
    expect(entries).toHaveLength(600);
    expect(thread.answered).toBe(before);
  });

  it('a listing whose entries vanish while it runs lists the rest', async () => {
    const dir = path.join(tmp.dir, 'shrinking');
    await mkdir(dir);
    for (let i = 0; i < 3000; i++) await writeFile(path.join(dir, `f-${i}`), '');
    expect(await LstatThread.shared().online()).toBe(true);
    const fs = new LocalFileSystem({ root: tmp.dir, listConcurrency: 256 });
    const seen: string[] = [];
    let removed = 0;
    for await (const entry of await fs.list('/shrinking')) {
      seen.push(entry.name);
      // After the first batch, remove every file not yet seen with an even number.
      if (seen.length === 256) {
        for (let i = 0; i < 3000; i += 2) {
          const name = `f-${i}`;
          if (!seen.includes(name)) {
            await rm(path.join(dir, name));
            removed++;
          }
        }
      }
    }
    expect(removed).toBeGreaterThan(0);
    // Every entry is listed once; every entry not removed is listed.
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.length).toBeGreaterThanOrEqual(3000 - removed);
    expect(seen.length).toBeLessThanOrEqual(3000);
  });
});
