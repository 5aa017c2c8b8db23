/**
 * Disk full, quota and permission errors during STOR/APPE/MKD: the right reply (452 / 552 /
 * 550), the session stays usable, and no partial file is left as if complete (atomic fresh
 * uploads leave nothing; APPE keeps the original bytes, as a resumable in-place write should).
 * Storage: a small MemoryFileSystem `maxSize`, and a wrapper over LocalFileSystem that fails
 * with ENOSPC/EDQUOT/EACCES like a real disk (running as root, chmod cannot make EACCES).
 */
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { LocalFileSystem } from '@ftpkit/server';
import { type TempDir, tempDir } from '@ftpkit/test-utils';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Faults, faultyFileSystem } from '../src/faulty-fs.ts';
import { type Fixture, startServer } from '../src/harness.ts';
import { type RawClient, writeAll } from '../src/raw-client.ts';

let dir: TempDir;
const fixtures: Fixture[] = [];

beforeEach(async () => {
  dir = await tempDir('ftpkit-storage-');
  await writeFile(path.join(dir.path, 'existing.txt'), 'ORIGINAL');
});

afterEach(async () => {
  await Promise.all(fixtures.splice(0).map((f) => f.close()));
  await dir.cleanup();
});

async function local(faults: Faults): Promise<{ f: Fixture; c: RawClient; events: string[] }> {
  const f = await startServer({
    fileSystem: faultyFileSystem(new LocalFileSystem({ root: dir.path }), faults),
  });
  fixtures.push(f);
  const events: string[] = [];
  for (const name of ['upload', 'upload-failed', 'upload-connection-lost', 'mkdir', 'error'] as const) {
    f.server.on(name, () => events.push(name));
  }
  const c = await f.login();
  await c.send('TYPE I');
  return { f, c, events };
}

async function store(c: RawClient, verb: string, name: string, data: Buffer | string): Promise<number> {
  const d = await c.pasv();
  const first = await c.send(`${verb} ${name}`);
  if (first.code !== 150) {
    d.destroy();
    return first.code;
  }
  await writeAll(d, data).catch(() => {});
  return (await c.read()).code;
}

async function usable(c: RawClient): Promise<void> {
  expect((await c.send('NOOP')).code).toBe(200);
  expect((await c.send('PWD')).code).toBe(257);
}

const BIG = Buffer.alloc(512 * 1024, 0x42);

describe('disk full (ENOSPC → 452)', () => {
  it('STOR: 452, no file and no temp file left, session usable, a small upload works after', async () => {
    const { c, events } = await local({ budget: 64 * 1024 });
    expect(await store(c, 'STOR', 'big.bin', BIG)).toBe(452);
    expect((await readdir(dir.path)).sort()).toEqual(['existing.txt']);
    await usable(c);
    expect(await store(c, 'STOR', 'small.txt', 'fits')).toBe(226);
    expect(await readFile(path.join(dir.path, 'small.txt'), 'utf8')).toBe('fits');
    expect(events).toEqual(['upload-failed', 'upload']);
  });

  it('STOR over an existing file: 452 and the old content is intact', async () => {
    const { c } = await local({ budget: 64 * 1024 });
    expect(await store(c, 'STOR', 'existing.txt', BIG)).toBe(452);
    expect(await readFile(path.join(dir.path, 'existing.txt'), 'utf8')).toBe('ORIGINAL');
    await usable(c);
  });

  it('APPE: 452, the original bytes are kept (in-place append stays resumable), upload not reported whole', async () => {
    const { c, events } = await local({ budget: 64 * 1024 });
    expect(await store(c, 'APPE', 'existing.txt', BIG)).toBe(452);
    const after = await readFile(path.join(dir.path, 'existing.txt'));
    expect(after.subarray(0, 8).toString()).toBe('ORIGINAL');
    expect(after.length).toBeLessThan(8 + BIG.length);
    expect(events).not.toContain('upload');
    await usable(c);
  });

  it('MKD: 452 when the disk is full, session usable', async () => {
    const { c } = await local({ mkdirErrno: 'ENOSPC' });
    expect((await c.send('MKD newdir')).code).toBe(452);
    await usable(c);
  });

  it('MemoryFileSystem maxSize: STOR and APPE beyond it → 452, nothing published', async () => {
    const f = await startServer({ maxSize: 100 * 1024, files: { '/keep.txt': 'KEEP' } });
    fixtures.push(f);
    const c = await f.login();
    await c.send('TYPE I');
    expect(await store(c, 'STOR', 'big.bin', BIG)).toBe(452);
    expect((await c.send('SIZE big.bin')).code).toBe(550);
    expect(await store(c, 'APPE', 'keep.txt', BIG)).toBe(452);
    expect((await c.send('SIZE keep.txt')).code).toBe(213);
    expect(await store(c, 'STOR', 'ok.txt', 'ok')).toBe(226);
    await usable(c);
  });
});

describe('quota (EDQUOT → 552)', () => {
  it('STOR: 552, nothing published, session usable', async () => {
    const { c } = await local({ budget: 1024, writeErrno: 'EDQUOT' });
    expect(await store(c, 'STOR', 'q.bin', BIG)).toBe(552);
    expect((await readdir(dir.path)).sort()).toEqual(['existing.txt']);
    await usable(c);
  });
});

describe('permission errors (EACCES → 550)', () => {
  it('STOR, APPE and MKD refused by the storage: 550, session usable', async () => {
    const { c } = await local({ openErrno: 'EACCES', mkdirErrno: 'EACCES' });
    expect(await store(c, 'STOR', 'x.bin', 'data')).toBe(550);
    expect(await store(c, 'APPE', 'existing.txt', 'data')).toBe(550);
    expect((await c.send('MKD d')).code).toBe(550);
    expect(await readFile(path.join(dir.path, 'existing.txt'), 'utf8')).toBe('ORIGINAL');
    await usable(c);
  });

  it('a read-only user: STOR/APPE/MKD/DELE/RNFR → 550, nothing changes', async () => {
    const f = await startServer({ fileSystem: new LocalFileSystem({ root: dir.path }) });
    fixtures.push(f);
    const c = await f.login('reader');
    expect(await store(c, 'STOR', 'x.bin', 'data')).toBe(550);
    expect(await store(c, 'APPE', 'existing.txt', 'data')).toBe(550);
    for (const cmd of ['MKD d', 'DELE existing.txt', 'RNFR existing.txt', 'RMD /'])
      expect((await c.send(cmd)).code, cmd).toBe(550);
    expect((await readdir(dir.path)).sort()).toEqual(['existing.txt']);
    await usable(c);
  });
});
