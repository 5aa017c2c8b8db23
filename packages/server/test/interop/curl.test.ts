/**
 * Interop with the real curl binary (/usr/bin/curl): plain passive, active (-P, EPRT/PORT), and
 * explicit FTPS (--ssl-reqd, PROT P) with the default requireTlsSessionReuse — curl resumes the
 * control session on data connections, so it must pass. Files move through a LocalFileSystem on
 * a real temp dir and are verified by SHA-256.
 */
import { createHash, randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { type TempDir, tempDir } from '@ftpkit/test-utils';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalFileSystem } from '../../src/fs/local-file-system.ts';
import { run } from '../support/run.ts';
import { PASSWORD, startServer, testTls } from '../support/server.ts';

const sha = (data: Buffer) => createHash('sha256').update(data).digest('hex');

let root: TempDir;
let local: TempDir;
beforeEach(async () => {
  root = await tempDir('ftpkit-curl-root-');
  local = await tempDir('ftpkit-curl-local-');
});
afterEach(async () => {
  await root.cleanup();
  await local.cleanup();
});

async function curl(args: string[]) {
  const result = await run(
    '/usr/bin/curl',
    ['-sS', '--max-time', '30', '--user', `alice:${PASSWORD}`, ...args],
    {
      timeout: 40_000,
    },
  );
  return result;
}

async function workflow(port: number, extra: string[]) {
  const base = `ftp://127.0.0.1:${port}`;
  const payload = randomBytes(512 * 1024);
  const source = path.join(local.path, 'source.bin');
  await writeFile(source, payload);

  // mkdir + upload (curl: MKD via --ftp-create-dirs, STOR)
  let r = await curl([...extra, '--ftp-create-dirs', '-T', source, `${base}/dir%20one/up.bin`]);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  expect(sha(await readFile(path.join(root.path, 'dir one', 'up.bin')))).toBe(sha(payload));

  // download
  const target = path.join(local.path, 'down.bin');
  r = await curl([...extra, '-o', target, `${base}/dir%20one/up.bin`]);
  expect(r.code).toBe(0);
  expect(sha(await readFile(target))).toBe(sha(payload));

  // list (LIST) and names (NLST)
  r = await curl([...extra, `${base}/dir%20one/`]);
  expect(r.code).toBe(0);
  expect(r.stdout).toMatch(/^-rw-\S+ +\d+ +\S+ +\S+ +524288 \w{3} [ \d]\d [\d:]{4,5} up\.bin\r?\n$/);
  r = await curl([...extra, '-l', `${base}/dir%20one/`]);
  expect(r.stdout.trim()).toBe('up.bin');

  // rename (RNFR/RNTO as post-quote commands)
  r = await curl([...extra, '-Q', '-RNFR /dir one/up.bin', '-Q', '-RNTO /dir one/moved.bin', `${base}/`]);
  expect(r.code).toBe(0);
  expect(sha(await readFile(path.join(root.path, 'dir one', 'moved.bin')))).toBe(sha(payload));

  // delete + rmdir
  r = await curl([...extra, '-Q', '-DELE /dir one/moved.bin', '-Q', '-RMD /dir one', `${base}/`]);
  expect(r.code).toBe(0);
  r = await curl([...extra, '-l', `${base}/`]);
  expect(r.stdout.trim()).toBe('');
}

describe('interop: curl', () => {
  it('plain, passive (EPSV/PASV)', async () => {
    const f = await startServer({ fileSystem: new LocalFileSystem({ root: root.path }) });
    await workflow(f.port, []);
  });

  it('plain, active (-P 127.0.0.1: EPRT/PORT)', async () => {
    const f = await startServer({ fileSystem: new LocalFileSystem({ root: root.path }) });
    await workflow(f.port, ['-P', '127.0.0.1']);
  });

  it('explicit FTPS with PROT P and the default session-reuse requirement (curl resumes)', async () => {
    const f = await startServer({
      fileSystem: new LocalFileSystem({ root: root.path }),
      tls: testTls(),
      requireTls: true,
      requireProtP: true,
    });
    await workflow(f.port, ['--ssl-reqd', '-k']);
  });

  it('explicit FTPS, active mode: curl 7.88.1 sends plaintext data (curl#10666) and the server refuses it', async () => {
    // curl 7.87-7.88.1 lost the TLS filter on active-mode data connections (fixed upstream in
    // curl PR #10669). Under PROT P the server must not accept those plaintext bytes.
    const f = await startServer({ fileSystem: new LocalFileSystem({ root: root.path }), tls: testTls() });
    const source = path.join(local.path, 'source.bin');
    await writeFile(source, randomBytes(1000));
    const r = await curl([
      '--ssl-reqd',
      '-k',
      '-P',
      '127.0.0.1',
      '-T',
      source,
      `ftp://127.0.0.1:${f.port}/up.bin`,
    ]);
    expect(r.code).not.toBe(0);
    await expect(readFile(path.join(root.path, 'up.bin'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('plain curl against requireTls is refused (530) and moves nothing', async () => {
    const f = await startServer({
      fileSystem: new LocalFileSystem({ root: root.path }),
      tls: testTls(),
      requireTls: true,
    });
    const r = await curl([`ftp://127.0.0.1:${f.port}/`]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/530|Access denied|denied/i);
  });
});
