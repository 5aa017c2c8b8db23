/**
 * The built command, run the way users run it: `tsc -p tsconfig.build.json`, then
 * `node dist/bin.js` (no source condition, no tsx), serving and listing over a real socket.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '@ftpkit/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VERSION } from '../src/version.js';
import { killLeftovers, PACKAGE_DIR, runCli, sha256, startServe } from './support/cli.js';

const TSC = join(PACKAGE_DIR, '..', '..', 'node_modules', 'typescript', 'bin', 'tsc');
const DIST_BIN = join(PACKAGE_DIR, 'dist', 'bin.js');
const script = [DIST_BIN];

afterAll(() => killLeftovers());

describe('dist/bin.js', () => {
  beforeAll(() => {
    // `npm test` builds every package first (turbo); build what is missing when run alone.
    for (const dep of ['codec', 'transport', 'client', 'server']) {
      const dir = join(PACKAGE_DIR, '..', dep);
      if (!existsSync(join(dir, 'dist', 'index.js'))) {
        execFileSync(process.execPath, [TSC, '-p', 'tsconfig.build.json'], { cwd: dir, stdio: 'pipe' });
      }
    }
    execFileSync(process.execPath, [TSC, '-p', 'tsconfig.build.json'], { cwd: PACKAGE_DIR, stdio: 'pipe' });
  }, 120_000);

  it('is an executable script with a node shebang', () => {
    expect(readFileSync(DIST_BIN, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
    const pkg = JSON.parse(readFileSync(join(PACKAGE_DIR, 'package.json'), 'utf8')) as {
      bin: Record<string, string>;
    };
    expect(pkg.bin.ftpkit).toBe('./dist/bin.js');
  });

  it('prints its version and serves a file that the built client downloads (SHA-256)', async () => {
    const version = await runCli(['--version'], { script });
    expect(version.code).toBe(0);
    expect(version.stdout.trim()).toBe(VERSION);
    await using root = await tempDir('ftpkit-cli-dist-');
    const content = Buffer.from('built and served\n'.repeat(1000));
    writeFileSync(join(root.path, 'file.txt'), content);
    const server = await startServe(
      ['--root', root.path, '--port', '0', '--user', 'u:pw', '--log-level', 'warn'],
      {
        script,
      },
    );
    try {
      const got = await runCli(['get', '-q', `ftp://u:pw@127.0.0.1:${server.port}/file.txt`, '-'], {
        script,
      });
      expect(got.code).toBe(0);
      expect(sha256(got.stdoutBuffer)).toBe(sha256(content));
    } finally {
      expect(await server.stop('SIGTERM')).toEqual({ code: 0, signal: null });
    }
  });
});
