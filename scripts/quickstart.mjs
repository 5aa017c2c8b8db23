#!/usr/bin/env node
/**
 * The two quick-start commands (README.md), working on a fresh machine with only Node 20:
 *
 *   npm start   →  installs, builds, and starts the main job (the FTP server, `ftpkit serve`)
 *   npm test    →  installs, builds, type-checks, lints, runs every test, prints the totals
 *
 * Why a script: pnpm is pinned in package.json's `packageManager` and comes from corepack, but
 * Node 20's bundled corepack cannot verify the signatures of current pnpm releases, so corepack is
 * told to skip that check (COREPACK_INTEGRITY_KEYS=0) and a `pnpm` shim is put on PATH for the
 * tools that spawn pnpm themselves (publint, turbo).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const ci = process.env.CI === 'true' || process.env.CI === '1';
const shimDir = join(root, '.tools', 'bin');

const env = {
  ...process.env,
  COREPACK_INTEGRITY_KEYS: '0',
  COREPACK_ENABLE_DOWNLOAD_PROMPT: '0',
  TURBO_TELEMETRY_DISABLED: '1',
  DO_NOT_TRACK: '1',
  PATH: `${shimDir}${delimiter}${join(root, 'node_modules', '.bin')}${delimiter}${process.env.PATH ?? ''}`,
};

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { cwd: root, env, stdio: 'inherit', ...options });
  if (result.error) throw result.error;
  return result.status ?? 1;
}

function must(command, args) {
  const status = run(command, args);
  if (status !== 0) {
    console.error(`\nquickstart: \`${command} ${args.join(' ')}\` failed with exit code ${status}`);
    process.exit(status);
  }
}

function ensurePnpm() {
  if (!existsSync(join(shimDir, 'pnpm'))) {
    mkdirSync(shimDir, { recursive: true });
    must('corepack', ['enable', 'pnpm', '--install-directory', shimDir]);
  }
  must('pnpm', ['--version']);
}

function install() {
  must('pnpm', ['install', ...(ci ? ['--frozen-lockfile'] : []), '--reporter=append-only']);
}

function build() {
  must('pnpm', ['turbo', 'run', 'build', '--output-logs=errors-only']);
}

/**
 * Static checks, then vitest once for every project, then the one totals line CI reads. A failed
 * static check (type-check, publint, biome) counts as one failed test, so that it shows in the
 * totals and fails the run, but the tests still run and report.
 */
function test() {
  const staticChecks = [
    ['type-check and publint', 'pnpm', ['turbo', 'run', 'typecheck', 'lint', '--output-logs=errors-only']],
    ['biome (format and lint)', 'pnpm', ['exec', 'biome', 'check', '.']],
  ];
  const failedChecks = staticChecks
    .filter(([, command, args]) => run(command, args) !== 0)
    .map(([name]) => name);
  const resultsDir = join(root, '.test-results');
  rmSync(resultsDir, { recursive: true, force: true });
  mkdirSync(resultsDir, { recursive: true });
  const jsonFile = join(resultsDir, 'vitest.json');
  const status = run('pnpm', [
    'exec',
    'vitest',
    'run',
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${jsonFile}`,
  ]);
  const totals = readTotals(jsonFile);
  const vitestFailed = totals.failed + (status !== 0 && totals.failed === 0 ? 1 : 0);
  const failed = vitestFailed + failedChecks.length;
  console.log('');
  for (const name of failedChecks) console.log(`static check failed: ${name} (counted as 1 failed)`);
  console.log(`${totals.passed} passed, ${failed} failed, ${totals.skipped} skipped`);
  process.exit(failed > 0 ? 1 : 0);
}

function readTotals(file) {
  if (!existsSync(file)) return { passed: 0, failed: 0, skipped: 0 };
  const report = JSON.parse(readFileSync(file, 'utf8'));
  return {
    passed: report.numPassedTests ?? 0,
    failed: (report.numFailedTests ?? 0) + (report.numRuntimeErrorTestSuites ?? 0),
    skipped: (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0),
  };
}

function start(args) {
  const serve = join(root, 'packages', 'cli', 'dist', 'bin.js');
  if (existsSync(serve)) process.exit(run(process.execPath, [serve, ...(args.length ? args : ['serve'])]));
  // Until the server lands, the main job is the codec's own demo.
  process.exit(run(process.execPath, [join(root, 'packages', 'codec', 'examples', 'demo.mjs')]));
}

const [task = 'test', ...rest] = process.argv.slice(2);
ensurePnpm();
install();
build();
if (task === 'start') start(rest);
else if (task === 'test') test();
else {
  console.error(`quickstart: unknown task ${task} (use start or test)`);
  process.exit(2);
}
