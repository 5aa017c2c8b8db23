/**
 * Resume: a download and an upload interrupted at a random offset and resumed with REST
 * (@ftpkit/client `start`) end with equal SHA-256, over plain FTP and explicit FTPS (PROT P with
 * TLS session reuse). The upload side uses LocalFileSystem with `atomicUploads: false`: with
 * atomic uploads (the default) an interrupted fresh upload leaves nothing to resume, by design.
 */
import { randomBytes, randomInt } from 'node:crypto';
import { open, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Readable, Writable } from 'node:stream';
import { Client } from '@ftpkit/client';
import { LocalFileSystem } from '@ftpkit/server';
import { type TempDir, tempDir } from '@ftpkit/test-utils';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Fixture, PASSWORD, sha256, startServer, testTls, USER } from '../src/harness.ts';

const SIZE = 3 * 1024 * 1024 + 17;

let dir: TempDir;
let serverRoot: string;
let localRoot: string;
let f: Fixture;
let client: Client | undefined;
let content: Buffer;

beforeEach(async () => {
  dir = await tempDir('ftpkit-resume-');
  serverRoot = path.join(dir.path, 'server');
  localRoot = path.join(dir.path, 'local');
  await Promise.all([
    import('node:fs/promises').then((fs) => fs.mkdir(serverRoot)),
    import('node:fs/promises').then((fs) => fs.mkdir(localRoot)),
  ]);
  content = randomBytes(SIZE);
  await writeFile(path.join(serverRoot, 'remote.bin'), content);
  await writeFile(path.join(localRoot, 'upload.bin'), content);
  f = await startServer({
    fileSystem: new LocalFileSystem({ root: serverRoot, atomicUploads: false }),
    tls: testTls(),
    requireTlsSessionReuse: true,
  });
});

afterEach(async () => {
  await client?.close().catch(() => {});
  client = undefined;
  await f.close();
  await dir.cleanup();
});

async function connect(secure: boolean): Promise<Client> {
  client = new Client({
    host: '127.0.0.1',
    port: f.port,
    user: USER,
    password: PASSWORD,
    keepaliveInterval: 0,
    ...(secure ? { secure: true, tls: { ca: f.cert.ca } } : {}),
  });
  await client.connect();
  return client;
}

/** A sink that writes the first `limit` bytes to `file` and then fails (a crash at that offset). */
async function cutSink(file: string, limit: number): Promise<Writable> {
  const handle = await open(file, 'w');
  let written = 0;
  return new Writable({
    async write(chunk: Buffer, _e, callback) {
      const take = Math.min(chunk.length, limit - written);
      if (take > 0) await handle.write(chunk.subarray(0, take));
      written += take;
      callback(written >= limit ? new Error('simulated crash') : null);
    },
    async destroy(error, callback) {
      await handle.close();
      callback(error);
    },
  });
}

/** A source that yields the first `limit` bytes of `data` and then fails. */
function cutSource(data: Buffer, limit: number): Readable {
  let sent = 0;
  return new Readable({
    read() {
      if (sent >= limit) {
        this.destroy(new Error('simulated crash'));
        return;
      }
      const take = Math.min(64 * 1024, limit - sent);
      this.push(data.subarray(sent, sent + take));
      sent += take;
    },
  });
}

describe.each([
  ['plain FTP', false],
  ['explicit FTPS (PROT P, session reuse)', true],
])('resume over %s', (_name, secure) => {
  it('download interrupted at a random offset, resumed with start → same SHA-256', async () => {
    const offset = randomInt(1, SIZE - 1);
    const c = await connect(secure);
    const local = path.join(localRoot, 'download.bin');
    await expect(c.download('remote.bin', await cutSink(local, offset))).rejects.toThrow();
    expect((await stat(local)).size, `offset ${offset}`).toBe(offset);
    // The connection may have been replaced after the abort; a fresh one resumes.
    await c.close();
    const d = await connect(secure);
    const result = await d.download('remote.bin', local, { start: offset });
    expect(result.bytes, `offset ${offset}`).toBe(SIZE - offset);
    expect(sha256(await readFile(local)), `offset ${offset}`).toBe(sha256(content));
  });

  it('upload interrupted at a random offset, resumed from the remote size → same SHA-256', async () => {
    const offset = randomInt(1, SIZE - 1);
    const c = await connect(secure);
    await expect(c.upload(cutSource(content, offset), 'uploaded.bin')).rejects.toThrow();
    await c.close();
    const u = await connect(secure);
    const have = await u.size('uploaded.bin').catch(() => 0);
    expect(have, `offset ${offset}`).toBeLessThanOrEqual(offset);
    await u.upload(path.join(localRoot, 'upload.bin'), 'uploaded.bin', { start: have });
    const onServer = await readFile(path.join(serverRoot, 'uploaded.bin'));
    expect(onServer.length, `offset ${offset}, resumed from ${have}`).toBe(SIZE);
    expect(sha256(onServer), `offset ${offset}, resumed from ${have}`).toBe(sha256(content));
  });
});
