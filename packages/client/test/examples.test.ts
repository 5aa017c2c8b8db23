/** The README's examples (examples/*.ts), run against pyftpdlib (or the fake server without it). */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type PeerServer, startPeerServer, type TempDir, tempDir } from '@ftpkit/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cancelAfter } from '../examples/cancel.js';
import { mirror } from '../examples/parallel-tree.js';
import { uploadWithProgress } from '../examples/progress.js';
import { resume } from '../examples/resume.js';
import { randomContent, sha256 } from './support/files.js';

describe('README examples against pyftpdlib', () => {
  let root: TempDir;
  let local: TempDir;
  let peer: PeerServer;
  const big = randomContent(4 * 1024 * 1024);
  beforeAll(async () => {
    root = await tempDir('ftpkit-examples-root-');
    local = await tempDir('ftpkit-examples-local-');
    writeFileSync(join(root.path, 'big.bin'), big);
    mkdirSync(join(root.path, 'tree/sub'), { recursive: true });
    writeFileSync(join(root.path, 'tree/one.txt'), 'one');
    writeFileSync(join(root.path, 'tree/sub/two.txt'), 'two');
    peer = await startPeerServer('pyftpdlib', { root: root.path });
  });
  afterAll(async () => {
    await peer?.stop();
    await root?.cleanup();
    await local?.cleanup();
  });

  it('resume.ts completes a partial file (SHA-256)', async () => {
    const path = join(local.path, 'big.bin');
    writeFileSync(path, big.subarray(0, 123_456));
    expect(await resume(`${peer.url}big.bin`, path)).toBe(big.length);
    expect(sha256(readFileSync(path))).toBe(sha256(big));
  });

  it('cancel.ts aborts and keeps the connection usable', async () => {
    expect(await cancelAfter(`${peer.url}big.bin`, 100)).toEqual({ aborted: true, pwd: '/' });
  });

  it('progress.ts reports bytes up to the total', async () => {
    const src = join(local.path, 'up.bin');
    writeFileSync(src, big);
    const events = await uploadWithProgress(src, `${peer.url}uploaded.bin`);
    expect(events.at(-1)).toMatchObject({ done: true, bytes: big.length, total: big.length });
    expect(sha256(readFileSync(join(root.path, 'uploaded.bin')))).toBe(sha256(big));
  });

  it('parallel-tree.ts mirrors a tree over a pool', async () => {
    const result = await mirror(`${peer.url}tree/`, join(local.path, 'mirror'), 2);
    expect(result.files).toBe(2);
    expect(readFileSync(join(local.path, 'mirror/sub/two.txt'), 'utf8')).toBe('two');
  });
});
