/**
 * The long slowloris run: `--connections` (default 1,000) trickling connections from
 * `--sources` (default 40) loopback addresses, with production-like limits scaled down by
 * `--scale` (default: lineTimeout 10 s, loginTimeout 20 s, idleTimeout 15 s), bounded by
 * `--bound` seconds (default 60), while healthy clients work. Exits 1 if a connection outlived
 * the limits or a healthy client saw an error.
 *
 *   pnpm --filter @ftpkit/reliability slowloris -- --connections 1000
 */
import { runSlowloris } from '../src/slowloris.ts';
import { numberFlag, stamp } from './args.ts';

const connections = numberFlag('connections', 1000);
const sources = numberFlag('sources', 40);
const bound = numberFlag('bound', 60);
console.log(`${stamp()} slowloris: ${connections} connections from ${sources} addresses, bound ${bound} s`);
const report = await runSlowloris({
  connections,
  sources,
  lineTimeout: numberFlag('line-timeout', 10_000),
  loginTimeout: numberFlag('login-timeout', 20_000),
  idleTimeout: numberFlag('idle-timeout', 15_000),
  boundMs: bound * 1000,
  healthyClients: numberFlag('healthy', 10),
  log: (line) => console.log(`${stamp()} ${line}`),
});
console.log(`${stamp()} report ${JSON.stringify(report)}`);
process.exitCode =
  report.survivors === 0 && report.healthyErrors.length === 0 && report.sessionsAfter === 0 ? 0 : 1;
