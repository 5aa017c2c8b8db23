/**
 * The consumer smoke test (STYLE habit 13): every public package is packed as it would be
 * published, installed into a scratch project with npm, imported by Node from plain ESM, and
 * type-checked from a TypeScript file with NodeNext resolution. It catches what unit tests cannot:
 * a missing file in `files`, an `exports` map that points at source, declarations that don't load.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const env = {
  ...process.env,
  COREPACK_INTEGRITY_KEYS: '0',
  COREPACK_ENABLE_DOWNLOAD_PROMPT: '0',
  TURBO_TELEMETRY_DISABLED: '1',
};

interface PublicPackage {
  readonly name: string;
  readonly dir: string;
}

function publicPackages(): PublicPackage[] {
  const dir = join(root, 'packages');
  return readdirSync(dir)
    .map((name) => join(dir, name))
    .flatMap((pkgDir) => {
      try {
        const manifest = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));
        return manifest.private ? [] : [{ name: manifest.name as string, dir: pkgDir }];
      } catch {
        return [];
      }
    });
}

function exec(command: string, args: string[], cwd: string): string {
  const result = spawnSync(command, args, { cwd, env, encoding: 'utf8' });
  if (result.status !== 0) {
    throw new Error(
      `${command} ${args.join(' ')} failed (${result.status}):\n${result.stdout}\n${result.stderr}`,
    );
  }
  return result.stdout;
}

describe('consumer smoke', () => {
  const packages = publicPackages();
  let scratch = '';

  beforeAll(() => {
    scratch = mkdtempSync(join(tmpdir(), 'ftpkit-consumer-'));
    // Build first so the packed dist/ is the current source, never a stale one (turbo caches).
    exec(
      'corepack',
      [
        'pnpm',
        'turbo',
        'run',
        'build',
        '--output-logs=errors-only',
        ...packages.map((p) => `--filter=${p.name}`),
      ],
      root,
    );
    const tarballs = packages.map((pkg) => {
      const out = exec('corepack', ['pnpm', 'pack', '--pack-destination', scratch], pkg.dir);
      const tgz = out.trim().split('\n').pop()!.trim();
      return tgz;
    });
    writeFileSync(
      join(scratch, 'package.json'),
      JSON.stringify({ name: 'scratch', private: true, type: 'module' }),
    );
    exec(
      'npm',
      ['install', '--no-audit', '--no-fund', '--offline', '--ignore-scripts', ...tarballs],
      scratch,
    );
  });

  afterAll(() => {
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  it('finds the public packages to check', () => {
    expect(packages.map((p) => p.name)).toContain('@ftpkit/codec');
  });

  it('imports every package from plain ESM in Node, with a non-empty public API', () => {
    const script = packages
      .map(
        (pkg, i) =>
          `import * as p${i} from '${pkg.name}';\nconsole.log(JSON.stringify(['${pkg.name}', Object.keys(p${i}).length]));`,
      )
      .join('\n');
    writeFileSync(join(scratch, 'consumer.mjs'), script);
    const lines = exec(process.execPath, ['consumer.mjs'], scratch).trim().split('\n');
    const counts = new Map(lines.map((line) => JSON.parse(line) as [string, number]));
    for (const pkg of packages) expect(counts.get(pkg.name), pkg.name).toBeGreaterThan(0);
  });

  it('refuses deep imports into dist (no internal paths exported)', () => {
    writeFileSync(join(scratch, 'deep.mjs'), "await import('@ftpkit/codec/dist/errors.js');");
    const result = spawnSync(process.execPath, ['deep.mjs'], { cwd: scratch, encoding: 'utf8' });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('ERR_PACKAGE_PATH_NOT_EXPORTED');
  });

  it('type-checks a TypeScript consumer against the published declarations (NodeNext)', () => {
    const source = packages
      .map(
        (pkg, i) =>
          `import * as p${i} from '${pkg.name}';\nexport const k${i}: string[] = Object.keys(p${i});`,
      )
      .join('\n');
    writeFileSync(
      join(scratch, 'consumer.ts'),
      `${source}\nimport { CodecError } from '@ftpkit/codec';\nexport const e: CodecError = new CodecError('FTPKIT_ERR_SYNTAX', 'x');\n`,
    );
    writeFileSync(
      join(scratch, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          strict: true,
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          target: 'ES2022',
          noEmit: true,
          typeRoots: [join(root, 'node_modules', '@types')],
          types: ['node'],
        },
        files: ['consumer.ts'],
      }),
    );
    exec(
      process.execPath,
      [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'],
      scratch,
    );
    expect(readFileSync(join(scratch, 'consumer.ts'), 'utf8')).toContain('@ftpkit/codec');
  });
});
