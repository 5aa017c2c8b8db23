/**
 * `pnpm bench` (every scenario at the sizes) and `pnpm bench:one <id>` (one scenario).
 *
 *   node --conditions=@ftpkit/source --import tsx src/cli.ts [options]
 *     --only ID[,ID]     scenarios whose id starts with ID (see --list)
 *     --list             print the scenario ids and exit
 *     --quick            development sizes (32 MiB, 50 files, 1 000 entries, 200 sessions, 2 rounds)
 *     --rounds N  --size 64MiB  --files N  --entries N  --sessions 1000,10000  --concurrent N
 *     --servers ftpkit,vsftpd,…   only these servers
 *     --cpu-prof         write V8 CPU profiles of ftpkit's server into the report directory
 *     --out DIR          report directory (default apps/bench/reports/<timestamp>)
 *     --no-readme        do not update README.md and docs/latest-chart.svg (quick runs never do)
 *     --render FILE      rewrite README.md's summary and docs/ from a results.json, measuring nothing
 *
 * Everything binds 127.0.0.1; every process started is stopped by PID (group) before exit.
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BenchConfig, FULL, parseSize, QUICK } from './config.ts';
import type { ScenarioResult } from './harness.ts';
import { summarizeProfile } from './profile.ts';
import { type BenchReport, markdown, svgChart, terminalSummary } from './report.ts';
import { machineFacts, SCENARIOS } from './scenarios.ts';
import { APP_DIR, SERVER_NAMES, type ServerName, stopAllServers } from './servers/index.ts';

const argv = process.argv.slice(2);
const flag = (name: string) => argv.includes(name);
const option = (name: string): string | undefined => {
  const i = argv.indexOf(name);
  if (i !== -1) return argv[i + 1];
  const eq = argv.find((a) => a.startsWith(`${name}=`));
  return eq?.slice(name.length + 1);
};

if (flag('--list')) {
  for (const s of SCENARIOS) console.log(`${s.id.padEnd(24)} ${s.title}`);
  process.exit(0);
}

export interface RunOptions {
  readonly config: BenchConfig;
  readonly only: readonly string[] | undefined;
  readonly out: string;
  readonly quick: boolean;
  readonly updateReadme: boolean;
  readonly log: (line: string) => void;
}

export async function runBench(options: RunOptions): Promise<BenchReport> {
  const startedAt = new Date().toISOString();
  const t0 = performance.now();
  const work = await mkdtemp(join(tmpdir(), 'ftpkit-bench-work-'));
  const scenarios: ScenarioResult[] = [];
  const errors: { scenario: string; error: string }[] = [];
  const profiles: BenchReport['profiles'][number][] = [];
  const selected = SCENARIOS.filter(
    (s) => options.only === undefined || options.only.some((id) => s.id === id || s.id.startsWith(id)),
  );
  if (selected.length === 0) throw new Error(`no scenario matches ${options.only?.join(', ')} (see --list)`);
  try {
    for (const scenario of selected) {
      options.log(`\n▶ ${scenario.id}: ${scenario.title}`);
      const profileDir =
        options.config.cpuProfileDir === undefined
          ? undefined
          : join(options.config.cpuProfileDir, scenario.id);
      if (profileDir !== undefined) mkdirSync(profileDir, { recursive: true });
      try {
        const results = await scenario.run({
          config:
            profileDir === undefined ? options.config : { ...options.config, cpuProfileDir: profileDir },
          work,
          log: options.log,
        });
        scenarios.push(...results);
      } catch (error) {
        const message = (error as Error).message.split('\n').slice(0, 4).join(' | ');
        options.log(`  FAILED: ${message}`);
        errors.push({ scenario: scenario.id, error: message });
      }
      if (profileDir !== undefined) {
        for (const file of existsSync(profileDir) ? readdirSync(profileDir) : []) {
          // CPU.<date>.<time>.<pid>.<thread>.<seq>.cpuprofile: thread 0 is the main thread (the
          // others are tsx's module-loader worker).
          if (/\.\d+\.0\.\d+\.cpuprofile$/.test(file))
            profiles.push({
              scenario: scenario.id,
              file: join(profileDir, file),
              top: summarizeProfile(join(profileDir, file), 12),
            });
        }
      }
    }
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  const report: BenchReport = {
    version: 1,
    startedAt,
    seconds: (performance.now() - t0) / 1000,
    quick: options.quick,
    machine: machineFacts(),
    config: { ...options.config },
    scenarios,
    errors,
    profiles,
  };
  mkdirSync(options.out, { recursive: true });
  writeFileSync(join(options.out, 'results.json'), `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(join(options.out, 'chart.svg'), svgChart(report));
  writeFileSync(join(options.out, 'report.md'), markdown(report, 'chart.svg'));
  if (options.updateReadme) updateReadme(report);
  return report;
}

/** Puts the headline table and chart between the README's markers (the committed summary). */
function updateReadme(report: BenchReport): void {
  const readme = join(APP_DIR, 'README.md');
  if (!existsSync(readme)) return;
  mkdirSync(join(APP_DIR, 'docs'), { recursive: true });
  writeFileSync(join(APP_DIR, 'docs', 'latest-chart.svg'), svgChart(report));
  writeFileSync(join(APP_DIR, 'docs', 'latest-report.md'), markdown(report, 'latest-chart.svg'));
  const text = readFileSync(readme, 'utf8');
  const begin = '<!-- bench:latest:begin -->';
  const end = '<!-- bench:latest:end -->';
  const i = text.indexOf(begin);
  const j = text.indexOf(end);
  if (i === -1 || j === -1) return;
  const full = markdown(report, 'docs/latest-chart.svg');
  // The README keeps the header, chart, headlines and targets; the per-scenario detail is in docs/.
  const summary = full
    .split('\n## ')
    .slice(0, 3)
    .join('\n## ')
    .replace(/^# ftpkit benchmark report\n\n/, '');
  writeFileSync(
    readme,
    `${text.slice(0, i + begin.length)}\n${summary.trim()}\n\nFull report: [docs/latest-report.md](docs/latest-report.md).\n${text.slice(j)}`,
  );
}

const isMain = process.argv[1] !== undefined && import.meta.url.endsWith(process.argv[1].split('/').pop()!);
if (isMain) {
  // Interrupted: stop every daemon we started (by process group), then leave.
  let leaving = false;
  const leave = (code: number) => {
    if (leaving) return;
    leaving = true;
    void stopAllServers().finally(() => process.exit(code));
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      console.error(`\n${signal}: stopping the servers this run started`);
      leave(130);
    });
  }
  // The output pipe closed under us (`… | head`): nobody reads the figures any more. Without
  // this, the EPIPE error ended the process before it could stop the daemons it started.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') throw error;
      leave(141);
    });
  }
  // `--render FILE`: the committed summary (README, docs/) again from a run's results.json, after
  // a change to how reports are written; nothing is measured.
  const render = option('--render');
  if (render !== undefined) {
    updateReadme(JSON.parse(readFileSync(render, 'utf8')) as BenchReport);
    process.exit(0);
  }
  const quick = flag('--quick');
  let config: BenchConfig = quick ? QUICK : FULL;
  const num = (name: string) => (option(name) === undefined ? undefined : Number(option(name)));
  const rounds = num('--rounds');
  if (rounds !== undefined) config = { ...config, rounds };
  if (option('--size') !== undefined) config = { ...config, bigBytes: parseSize(option('--size')!) };
  const files = num('--files');
  if (files !== undefined) config = { ...config, smallFiles: files };
  const entries = num('--entries');
  if (entries !== undefined) config = { ...config, listEntries: entries };
  const concurrent = num('--concurrent');
  if (concurrent !== undefined) config = { ...config, concurrent };
  if (option('--concurrent-size') !== undefined)
    config = { ...config, concurrentBytes: parseSize(option('--concurrent-size')!) };
  if (option('--sessions') !== undefined) {
    const sessions = option('--sessions')!.split(',').map(Number);
    config = {
      ...config,
      sessions,
      tlsSessions: Math.min(...sessions),
      forkingSessionCap: Math.min(config.forkingSessionCap, ...sessions),
    };
  }
  if (option('--servers') !== undefined) {
    const servers = option('--servers')!.split(',') as ServerName[];
    for (const s of servers) if (!SERVER_NAMES.includes(s)) throw new Error(`unknown server ${s}`);
    config = { ...config, servers };
  }
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const out = option('--out') ?? join(APP_DIR, 'reports', stamp);
  if (flag('--cpu-prof')) config = { ...config, cpuProfileDir: join(out, 'profiles') };
  // `--only x` or a bare id (pnpm bench:one x).
  const onlyArg =
    option('--only') ??
    argv.find((a, i) => !a.startsWith('--') && (i === 0 || !argv[i - 1]!.startsWith('--')));
  const only = onlyArg?.split(',');
  const report = await runBench({
    config,
    only,
    out,
    quick,
    updateReadme: !quick && only === undefined && !flag('--no-readme'),
    log: (line) => console.log(line),
  });
  console.log(terminalSummary(report));
  // The latest run, beside the timestamped ones (reports/ is git-ignored).
  mkdirSync(join(APP_DIR, 'reports'), { recursive: true });
  for (const f of ['results.json', 'chart.svg', 'report.md'])
    copyFileSync(join(out, f), join(APP_DIR, 'reports', `latest-${f}`));
  console.log(
    `\nreport: ${join(out, 'report.md')}\njson:   ${join(out, 'results.json')}\nchart:  ${join(out, 'chart.svg')}`,
  );
  process.exit(report.errors.length > 0 ? 1 : 0);
}
