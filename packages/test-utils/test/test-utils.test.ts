import { existsSync } from 'node:fs';
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { createCertificate, duplexPair, fdCount, loopbackPair, tempDir, trackHandles } from '../src/index.ts';

describe('test-utils', () => {
  it('duplexPair connects both directions and propagates end', async () => {
    const [a, b] = duplexPair();
    const got: string[] = [];
    b.on('data', (d: Buffer) => got.push(d.toString()));
    const ended = new Promise((r) => b.once('end', r));
    a.write('ping');
    a.end();
    await ended;
    expect(got.join('')).toBe('ping');
  });

  it('loopbackPair gives two real sockets, from 127.0.0.2 when asked', async () => {
    const pair = await loopbackPair({ localAddress: '127.0.0.2' });
    expect(pair.server.remoteAddress).toBe('127.0.0.2');
    await pair.destroy();
  });

  it('trackHandles catches a leaked server and passes once it is closed', async () => {
    const tracker = trackHandles();
    const server = net.createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    await expect(tracker.assertNoLeaks(50)).rejects.toThrow(/Leaked/);
    await new Promise((r) => server.close(r));
    await tracker.assertNoLeaks();
    expect(fdCount()).toBeGreaterThan(0);
  });

  it('tempDir cleans up; createCertificate caches', async () => {
    const dir = await tempDir();
    expect(existsSync(dir.path)).toBe(true);
    await dir.cleanup();
    expect(existsSync(dir.path)).toBe(false);
    expect(createCertificate()).toBe(createCertificate());
    expect(createCertificate().ca).toContain('BEGIN CERTIFICATE');
  });
});
