/**
 * The codec's micro-benchmarks: `pnpm --filter @ftpkit/codec bench`. Prints ops/s beside the
 * targets of the codec issue; speed is reported here, never asserted in tests.
 * `--json FILE` also writes the figures for apps/bench to collect.
 */
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { benches as commandBenches } from './commands.bench.ts';
import { type BenchResult, measure, printResults } from './harness.ts';
import { benches as listingBenches } from './listings.bench.ts';
import { benches as replyBenches } from './replies.bench.ts';

const all = [...commandBenches, ...replyBenches, ...listingBenches];
const only = process.argv.find((arg) => arg.startsWith('--only='))?.slice('--only='.length);
const jsonIndex = process.argv.indexOf('--json');

console.log(
  `@ftpkit/codec micro-benchmarks — Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}`,
);
const results: BenchResult[] = [];
for (const bench of all) {
  if (only !== undefined && !bench.name.includes(only)) continue;
  results.push(measure(bench));
}
printResults(results);
if (jsonIndex !== -1 && process.argv[jsonIndex + 1]) {
  writeFileSync(process.argv[jsonIndex + 1]!, JSON.stringify({ node: process.version, results }, null, 2));
}
