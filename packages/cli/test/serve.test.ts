/**
 * `ftpkit serve` as a real process: banner with the real port, curl downloads and uploads
 * verified by SHA-256, the default users, TLS, the config file, the default-port fallback, and a
 * clean exit (code 0, process gone) on SIGTERM and SIGINT.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { type TempDir, tempDir } from '@ftpkit/test-utils';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  isRunning,
  killLeftovers,
  runProgram,
  type ServeProcess,
  sha256,
  sha256File,
  startServe,
} from './support/cli.js';

const CURL = '/usr/bin/curl';
const CONTENT = randomBytes(1024 * 1024 + 333);

afterAll(() => killLeftovers());

describe('ftpkit serve', () => {
  let root: TempDir;
  let work: TempDir;
  let server: ServeProcess | undefined;

  beforeEach(async () => {
    root = await tempDir('ftpkit-serve-root-');
    work = await tempDir('ftpkit-serve-work-');
    writeFileSync(join(root.path, 'data.bin'), CONTENT);
  });

  afterEach(async () => {
    await server?.stop('SIGKILL');
    server = undefined;
    await root.cleanup();
    await work.cleanup();
  });

  it('prints the real port for --port 0, serves a download and an upload to curl, exits 0 on SIGTERM', async () => {
    server = await startServe(['--root', root.path, '--port', '0', '--user', 'alice:s3cret']);
    expect(server.port).toBeGreaterThan(0);
    expect(server.banner).toContain(`ftp://alice@127.0.0.1:${server.port}/`);
    expect(server.banner).not.toContain('s3cret');
    const url = `ftp://127.0.0.1:${server.port}/`;

    const download = await runProgram(CURL, ['-sS', '--user', 'alice:s3cret', `${url}data.bin`]);
    expect(download.code).toBe(0);
    expect(sha256(download.stdoutBuffer)).toBe(sha256(CONTENT));

    const upload = randomBytes(300_000);
    writeFileSync(join(work.path, 'up.bin'), upload);
    const put = await runProgram(CURL, [
      '-sS',
      '--user',
      'alice:s3cret',
      '-T',
      join(work.path, 'up.bin'),
      `${url}up.bin`,
    ]);
    expect(put.code).toBe(0);
    expect(sha256File(join(root.path, 'up.bin'))).toBe(sha256(upload));

    // Structured logs: JSON lines on stderr, with the audit events.
    const records = server
      .stderr()
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(records.some((r) => r.msg === 'listening' && r.port === server!.port)).toBe(true);
    expect(
      records.some((r) => r.event === 'upload' && r.path === '/up.bin' && r.bytes === upload.length),
    ).toBe(true);

    const pid = server.pid;
    const exit = await server.stop('SIGTERM');
    server = undefined;
    expect(exit).toEqual({ code: 0, signal: null });
    expect(isRunning(pid)).toBe(false);
  });

  it('by default offers anonymous read-only access and a generated read-write user, and exits 0 on SIGINT', async () => {
    server = await startServe(['--root', root.path, '--port', '0']);
    const generated = /ftp:\/\/ftpkit:([^@\s]+)@127\.0\.0\.1:(\d+)\//.exec(server.banner);
    expect(generated).not.toBeNull();
    expect(server.banner).toContain(`anonymous (read-only)`);
    const url = `ftp://127.0.0.1:${server.port}/`;
    const anonymous = await runProgram(CURL, ['-sS', `${url}data.bin`]);
    expect(sha256(anonymous.stdoutBuffer)).toBe(sha256(CONTENT));
    const file = join(work.path, 'x.txt');
    writeFileSync(file, 'hello\n');
    const refused = await runProgram(CURL, ['-sS', '-T', file, `${url}anon.txt`]);
    expect(refused.code).not.toBe(0);
    const password = decodeURIComponent(generated![1]!);
    const accepted = await runProgram(CURL, [
      '-sS',
      '--user',
      `ftpkit:${password}`,
      '-T',
      file,
      `${url}gen.txt`,
    ]);
    expect(accepted.code).toBe(0);
    expect(readFileSync(join(root.path, 'gen.txt'), 'utf8')).toBe('hello\n');
    const pid = server.pid;
    expect(await server.stop('SIGINT')).toEqual({ code: 0, signal: null });
    server = undefined;
    expect(isRunning(pid)).toBe(false);
  });

  it('keeps a read-only user from writing and lets --anonymous=rw upload', async () => {
    server = await startServe(['--root', root.path, '--port', '0', '--user', 'ro:pw:ro', '--anonymous=rw']);
    expect(server.banner).not.toMatch(/ftp:\/\/ftpkit:/);
    const url = `ftp://127.0.0.1:${server.port}/`;
    const file = join(work.path, 'x.txt');
    writeFileSync(file, 'anon\n');
    expect((await runProgram(CURL, ['-sS', '--user', 'ro:pw', '-T', file, `${url}ro.txt`])).code).not.toBe(0);
    expect((await runProgram(CURL, ['-sS', '-T', file, `${url}anon.txt`])).code).toBe(0);
    expect(readFileSync(join(root.path, 'anon.txt'), 'utf8')).toBe('anon\n');
  });

  it('serves explicit FTPS with a self-signed certificate (curl --ssl-reqd) and requires it with --require-tls', async () => {
    server = await startServe(['--root', root.path, '--port', '0', '--user', 'alice:pw', '--require-tls']);
    expect(server.banner).toMatch(/certificate: self-signed .*SHA-256 [0-9A-F:]{95}/);
    const url = `ftp://127.0.0.1:${server.port}/data.bin`;
    const plain = await runProgram(CURL, ['-sS', '--user', 'alice:pw', url]);
    expect(plain.code).not.toBe(0);
    const secure = await runProgram(CURL, ['-sS', '--ssl-reqd', '-k', '--user', 'alice:pw', url]);
    expect(secure.code).toBe(0);
    expect(sha256(secure.stdoutBuffer)).toBe(sha256(CONTENT));
  });

  it('reads a JSON config file', async () => {
    mkdirSync(join(work.path, 'served'));
    writeFileSync(join(work.path, 'served', 'c.txt'), 'from config\n');
    const config = join(work.path, 'ftpkit.json');
    writeFileSync(config, JSON.stringify({ root: 'served', port: 0, users: ['carol:pw'], logLevel: 'warn' }));
    server = await startServe(['--config', config]);
    expect(server.banner).toContain(join(work.path, 'served'));
    const result = await runProgram(CURL, [
      '-sS',
      '--user',
      'carol:pw',
      `ftp://127.0.0.1:${server.port}/c.txt`,
    ]);
    expect(result.stdout).toBe('from config\n');
    expect(server.stderr()).not.toContain('"level":"info"');
  });

  it('creates ./ftp-root and falls back to a free port when 2121 is taken and no port was asked for', async () => {
    // Hold 2121 (if another process holds it already, the fallback is exercised all the same).
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => {
      blocker.once('error', () => resolve());
      blocker.listen(2121, '127.0.0.1', () => resolve());
    });
    try {
      server = await startServe([], { cwd: work.path });
      expect(server.port).not.toBe(2121);
      expect(server.banner).toContain(join(work.path, 'ftp-root'));
      expect(server.stderr()).toContain('port 2121 is in use');
    } finally {
      await new Promise<void>((resolve) => (blocker.listening ? blocker.close(() => resolve()) : resolve()));
    }
  });

  it('fails with a clear message when an explicit --port is taken', async () => {
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', () => resolve()));
    const port = (blocker.address() as { port: number }).port;
    try {
      const { runCli } = await import('./support/cli.js');
      const result = await runCli(['serve', '--root', root.path, '--port', String(port)]);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('already in use');
    } finally {
      await new Promise<void>((resolve) => blocker.close(() => resolve()));
    }
  });
});
