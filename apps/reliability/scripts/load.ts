/**
 * The long load run: `--sessions` (default 2,000) concurrent sessions for `--seconds` (default
 * 60) with `--death-rate` (default 0.05) dying abruptly. Prints the report (src/load.ts) and
 * exits 1 if a healthy client saw an error, a file was corrupted or published half, or fds did
 * not return to the baseline.
 *
 *   pnpm --filter @ftpkit/reliability load -- --sessions 2000 --seconds 60
 */
import { runLoad } from '../src/load.ts';
import { numberFlag, stamp } from './args.ts';

const sessions = numberFlag('sessions', 2000);
const seconds = numberFlag('seconds', 60);
const deathRate = numberFlag('death-rate', 0.05);
console.log(`${stamp()} load: ${sessions} sessions, ${seconds} s, ${deathRate * 100}% abrupt deaths`);
const report = await runLoad({
  sessions,
  durationMs: seconds * 1000,
  deathRate,
  smallBytes: 4096,
  largeBytes: 1024 * 1024,
  rampBatch: numberFlag('ramp-batch', 50),
  rampPauseMs: numberFlag('ramp-pause', 100),
  connectConcurrency: numberFlag('connect-concurrency', 50),
  thinkMs: numberFlag('think', 1000),
  log: (line) => console.log(`${stamp()} ${line}`),
});
console.log(`${stamp()} report ${JSON.stringify(report)}`);
const ok =
  report.healthyErrors === 0 &&
  report.corrupted === 0 &&
  report.publishedByDying === 0 &&
  report.serverErrors === 0 &&
  report.fdsAfter <= report.fdsBefore;
process.exitCode = ok ? 0 : 1;
