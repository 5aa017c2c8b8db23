/**
 * Connections dropped at every phase — mid-login, mid-TLS handshake (control and data), mid-
 * transfer on either channel in both directions, between RNFR and RNTO — against a server over
 * LocalFileSystem (atomic uploads). After each: the server is closed and no socket, listener,
 * timer or file descriptor is left (trackHandles/fdCount), no half file is published under the
 * real name and no temp file is left behind, and the audit events say what happened.
 */
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { LocalFileSystem, type ServerEvents } from '@ftpkit/server';
import { type HandleTracker, type TempDir, tempDir, trackHandles } from '@ftpkit/test-utils';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Fixture, PASSWORD, sleep, startServer, testTls } from '../src/harness.ts';

let dir: TempDir;
let tracker: HandleTracker;
let f: Fixture;
let events: string[];

const BIG = Buffer.alloc(4 * 1024 * 1024, 0x5a);

beforeEach(async () => {
  dir = await tempDir('ftpkit-faults-');
  await writeFile(path.join(dir.path, 'big.bin'), BIG);
  await writeFile(path.join(dir.path, 'a.txt'), 'original');
  tracker = trackHandles();
  f = await startServer({
    fileSystem: new LocalFileSystem({ root: dir.path }),
    tls: testTls(),
    limits: { dataConnectTimeout: 2000, dataStallTimeout: 2000 },
  });
  events = [];
  const names: (keyof ServerEvents)[] = [
    'connect',
    'disconnect',
    'login',
    'logout',
    'upload',
    'upload-aborted',
    'upload-connection-lost',
    'upload-failed',
    'download',
    'download-failed',
    'rename',
    'error',
  ];
  for (const name of names) f.server.on(name, () => events.push(name));
});

afterEach(async () => {
  await f.close(500);
  await tracker.assertNoLeaks(3000);
  await dir.cleanup();
});

/** Waits (bounded) until the server has no session left. */
async function drained(): Promise<void> {
  for (let i = 0; i < 300 && f.server.sessionCount > 0; i++) await sleep(10);
  expect(f.server.sessionCount).toBe(0);
}

async function files(): Promise<string[]> {
  return (await readdir(dir.path)).sort();
}

describe('drops at every phase', () => {
  it('mid-login (after USER, during PASS): no login, disconnect audited', async () => {
    const c = await f.connect();
    await c.read();
    await c.send('USER alice');
    c.write('PASS sec'); // half a line
    await c.close();
    await drained();
    expect(events).toEqual(['connect', 'disconnect']);
  });

  it('mid-login while the failed-login delay runs: the session ends at once', async () => {
    const c = await f.connect();
    await c.read();
    await c.send('USER alice');
    c.write('PASS wrong\r\n');
    await sleep(1);
    await c.close();
    await drained();
    expect(events).not.toContain('login');
    expect(events).toContain('disconnect');
  });

  it('mid-TLS handshake on the control connection: half a ClientHello, then gone', async () => {
    const c = await f.connect();
    await c.read();
    expect((await c.send('AUTH TLS')).code).toBe(234);
    c.write(Buffer.from([0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xfc, 0x03, 0x03]));
    await sleep(20);
    await c.close();
    await drained();
    expect(events).toEqual(['connect', 'disconnect']);
  });

  it('mid-TLS handshake on a PROT P data connection: 4xx, session usable, nothing published', async () => {
    const c = await f.connect();
    await c.read();
    await c.authTls(f.cert.ca);
    await c.login('alice', PASSWORD);
    await c.send('PBSZ 0');
    await c.send('PROT P');
    const d = await c.pasv();
    expect((await c.send('STOR tls-cut.bin')).code).toBe(150);
    d.write(Buffer.from([0x16, 0x03, 0x01, 0x02, 0x00]));
    await sleep(20);
    d.destroy();
    expect((await c.read()).code).toBeGreaterThanOrEqual(400);
    expect((await c.send('NOOP')).code).toBe(200);
    expect(await files()).toEqual(['a.txt', 'big.bin']);
    expect(events).toContain('upload-connection-lost');
  });

  it('upload, data connection reset mid-transfer: 426, upload-connection-lost, no half file, no temp file', async () => {
    const c = await f.login();
    await c.send('TYPE I');
    const d = await c.pasv();
    expect((await c.send('STOR cut.bin')).code).toBe(150);
    await new Promise<void>((r) => d.write(BIG.subarray(0, 1024 * 1024), () => r()));
    d.resetAndDestroy();
    expect((await c.read()).code).toBe(426);
    expect((await c.send('NOOP')).code).toBe(200);
    expect(await files()).toEqual(['a.txt', 'big.bin']);
    expect(events).toContain('upload-connection-lost');
    expect(events).not.toContain('upload');
  });

  it('upload, control connection dropped mid-transfer: upload aborted, no half file, no temp file', async () => {
    const c = await f.login();
    await c.send('TYPE I');
    const d = await c.pasv();
    expect((await c.send('STOR cut.bin')).code).toBe(150);
    await new Promise<void>((r) => d.write(BIG.subarray(0, 1024 * 1024), () => r()));
    await c.close();
    await sleep(50);
    d.end(BIG.subarray(1024 * 1024, 2 * 1024 * 1024));
    await drained();
    d.destroy();
    expect(await files()).toEqual(['a.txt', 'big.bin']);
    expect(events.some((e) => e === 'upload-aborted' || e === 'upload-connection-lost')).toBe(true);
    expect(events).not.toContain('upload');
  });

  it('overwrite cut mid-transfer keeps the old file whole (atomic replace)', async () => {
    const c = await f.login();
    await c.send('TYPE I');
    const d = await c.pasv();
    expect((await c.send('STOR a.txt')).code).toBe(150);
    await new Promise<void>((r) => d.write('NEW-PARTIAL-CONTENT', () => r()));
    d.resetAndDestroy();
    expect((await c.read()).code).toBe(426);
    expect(await readFile(path.join(dir.path, 'a.txt'), 'utf8')).toBe('original');
  });

  it('download, data connection dropped mid-transfer: 426 and download-failed', async () => {
    const c = await f.login();
    await c.send('TYPE I');
    const d = await c.pasv();
    expect((await c.send('RETR big.bin')).code).toBe(150);
    await new Promise<void>((r) => d.once('data', () => r()));
    d.resetAndDestroy();
    expect((await c.read()).code).toBe(426);
    expect((await c.send('NOOP')).code).toBe(200);
    expect(events).toContain('download-failed');
  });

  it('download, control connection dropped mid-transfer: the transfer stops, session ends', async () => {
    const c = await f.login();
    await c.send('TYPE I');
    const d = await c.pasv();
    d.pause();
    expect((await c.send('RETR big.bin')).code).toBe(150);
    await c.close();
    await drained();
    d.destroy();
    expect(events).toContain('disconnect');
    expect(events).not.toContain('download');
  });

  it('between RNFR and RNTO: nothing renamed, no rename event', async () => {
    const c = await f.login();
    expect((await c.send('RNFR a.txt')).code).toBe(350);
    await c.close();
    await drained();
    expect(await files()).toEqual(['a.txt', 'big.bin']);
    expect(events).not.toContain('rename');
  });

  it('implicit-TLS-like garbage and instant disconnects in a burst leave nothing behind', async () => {
    for (let i = 0; i < 50; i++) {
      const c = await f.connect();
      if (i % 3 === 0) c.write('USER alice\r\nPA');
      if (i % 3 === 1) c.write(Buffer.from([0x16, 0x03, 0x01]));
      await c.close();
    }
    await drained();
    expect(events.filter((e) => e === 'error')).toEqual([]);
  });
});
