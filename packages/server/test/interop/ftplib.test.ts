/**
 * Interop with Python's stock ftplib (/usr/bin/python3): plain and FTP_TLS + PROT P. Stock ftplib
 * does not resume the control connection's TLS session on data connections, so with
 * requireTlsSessionReuse (the default) it must get a clear 522; with the requirement off the
 * whole workflow passes. Every workflow is verified by the SHA-256 of the bytes moved.
 */

import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { run } from '../support/run.ts';
import { PASSWORD, startServer, testTls } from '../support/server.ts';

const script = fileURLToPath(new URL('./ftplib_workflow.py', import.meta.url));

async function workflow(port: number, mode: 'plain' | 'tls') {
  const result = await run(
    '/usr/bin/python3',
    [script, '127.0.0.1', String(port), 'alice', PASSWORD, mode, '/tmp'],
    {
      timeout: 45_000,
    },
  );
  expect(result.stderr).toBe('');
  return JSON.parse(result.stdout) as Record<string, unknown>;
}

describe('interop: Python ftplib', () => {
  it('plain: mkdir, cwd, upload, download, size, rename, list, mlsd, delete, rmdir', async () => {
    const f = await startServer({ files: {} });
    const out = await workflow(f.port, 'plain');
    expect(out.error).toBeUndefined();
    expect(out.downloaded_sha256).toBe(out.uploaded_sha256);
    expect(out.pwd).toBe('/py dir');
    expect(out.size).toBe(300_018);
    expect(out.nlst).toEqual(['renamed.bin']);
    expect((out.list as string[])[0]).toMatch(
      /^-rw-r--r-- +1 +\S+ +\S+ +300018 \w{3} [ \d]\d [\d:]{4,5} renamed\.bin$/,
    );
    expect(out.mlsd).toEqual(['renamed.bin']);
    expect(out.final_nlst).toEqual([]);
  });

  it('FTP_TLS + PROT P without session resumption gets a clear 522 (requireTlsSessionReuse default)', async () => {
    const f = await startServer({ files: {}, tls: testTls() });
    const out = await workflow(f.port, 'tls');
    // ftplib raises on the data socket first (the server closed it after the handshake); the
    // transfer's reply waiting on the control connection is the 522.
    const reply = String(out.error).startsWith('522') ? out.error : out.late_reply;
    expect(String(reply)).toMatch(/^522 SSL connection failed: session reuse required/);
    expect(out.downloaded_sha256).toBeUndefined();
  });

  it('FTP_TLS + PROT P passes the whole workflow when session reuse is not required', async () => {
    const f = await startServer({ files: {}, tls: testTls(), requireTlsSessionReuse: false });
    const out = await workflow(f.port, 'tls');
    expect(out.error).toBeUndefined();
    expect(out.downloaded_sha256).toBe(out.uploaded_sha256);
    expect(out.nlst).toEqual(['renamed.bin']);
    expect(out.final_nlst).toEqual([]);
  });
});
