/**
 * Interop with lftp (/usr/bin/lftp): plain passive, explicit FTPS with PROT P (passive and
 * active) under the default requireTlsSessionReuse — lftp resumes the control session on data
 * connections. Files move through a LocalFileSystem on a temp dir; verified by SHA-256.
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
  root = await tempDir('ftpkit-lftp-root-');
  local = await tempDir('ftpkit-lftp-local-');
});
afterEach(async () => {
  await root.cleanup();
  await local.cleanup();
});

async function workflow(port: number, settings: string[]) {
  const payload = randomBytes(700 * 1024);
  await writeFile(path.join(local.path, 'source.bin'), payload);
  const script = [
    'set net:max-retries 1',
    'set net:timeout 15',
    'set cmd:fail-exit true',
    ...settings,
    `open -u alice,${PASSWORD} ftp://127.0.0.1:${port}`,
    'mkdir "lftp dir"',
    'put source.bin -o "lftp dir/up.bin"',
    'get "lftp dir/up.bin" -o down.bin',
    'cls -l "lftp dir"',
    'mv "lftp dir/up.bin" "lftp dir/moved.bin"',
    'cls "lftp dir"',
    'rm "lftp dir/moved.bin"',
    'rmdir "lftp dir"',
    'cls /',
  ].join('; ');
  const r = await run('/usr/bin/lftp', ['-c', script], { timeout: 60_000, cwd: local.path });
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  expect(sha(await readFile(path.join(local.path, 'down.bin')))).toBe(sha(payload));
  const lines = r.stdout.split('\n');
  // lftp re-renders the listing it parsed from our LIST output: size and name must survive.
  expect(lines[0]).toMatch(/^-rw-r--r-- .* 716800 .* lftp dir\/up\.bin$/);
  expect(lines[1]).toBe('lftp dir/moved.bin');
  expect(r.stdout.trim().split('\n')).toHaveLength(2);
}

describe('interop: lftp', () => {
  it('plain, passive', async () => {
    const f = await startServer({ fileSystem: new LocalFileSystem({ root: root.path }) });
    await workflow(f.port, ['set ftp:ssl-allow false', 'set ftp:passive-mode true']);
  });

  it('explicit FTPS + PROT P, passive, session reuse required (lftp resumes)', async () => {
    const f = await startServer({
      fileSystem: new LocalFileSystem({ root: root.path }),
      tls: testTls(),
      requireTls: true,
      requireProtP: true,
    });
    await workflow(f.port, [
      'set ftp:ssl-force true',
      'set ftp:ssl-protect-data true',
      'set ssl:verify-certificate false',
      'set ftp:passive-mode true',
    ]);
  });

  it('explicit FTPS + PROT P, active mode', async () => {
    const f = await startServer({
      fileSystem: new LocalFileSystem({ root: root.path }),
      tls: testTls(),
      requireProtP: true,
    });
    await workflow(f.port, [
      'set ftp:ssl-force true',
      'set ftp:ssl-protect-data true',
      'set ssl:verify-certificate false',
      'set ftp:passive-mode false',
      'set ftp:port-ipv4 127.0.0.1',
    ]);
  });
});
