/** A download to a path never destroys the local file when the transfer fails before data flows. */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type PeerServer, startPeerServer, type TempDir, tempDir } from '@ftpkit/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, isFtpReplyError } from '../src/index.ts';

describe('download to a local path (pyftpdlib)', () => {
  let root: TempDir;
  let local: TempDir;
  let peer: PeerServer;
  beforeAll(async () => {
    root = await tempDir('ftpkit-sink-root-');
    local = await tempDir('ftpkit-sink-local-');
    writeFileSync(join(root.path, 'small.txt'), 'new content');
    writeFileSync(join(root.path, 'empty.txt'), '');
    peer = await startPeerServer('pyftpdlib', { root: root.path });
  });
  afterAll(async () => {
    await peer?.stop();
    await root?.cleanup();
    await local?.cleanup();
  });

  it('leaves an existing local file untouched when the server refuses RETR (550)', async () => {
    const path = join(local.path, 'precious.txt');
    writeFileSync(path, 'precious bytes');
    const client = await connect(peer.url);
    try {
      const error = await client.download('missing.txt', path).catch((e: unknown) => e);
      expect(isFtpReplyError(error) && error.replyCode).toBe(550);
      expect(readFileSync(path, 'utf8')).toBe('precious bytes');
      // The connection stays usable.
      await client.download('small.txt', path);
      expect(readFileSync(path, 'utf8')).toBe('new content');
    } finally {
      await client.close();
    }
  });

  it('replaces a longer local file completely and creates empty files that really are empty', async () => {
    const path = join(local.path, 'longer.txt');
    writeFileSync(path, 'x'.repeat(100));
    const emptyPath = join(local.path, 'empty.txt');
    const client = await connect(peer.url);
    try {
      await client.download('small.txt', path);
      await client.download('empty.txt', emptyPath);
    } finally {
      await client.close();
    }
    expect(readFileSync(path, 'utf8')).toBe('new content');
    expect(readFileSync(emptyPath, 'utf8')).toBe('');
  });
});
