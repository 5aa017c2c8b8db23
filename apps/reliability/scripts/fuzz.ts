/**
 * The long control-channel fuzz run: the CI fuzzer's cases (src/fuzz.ts) against one live server
 * for `--minutes` (default 30) or `--max-cases` (default 1,000,000), whichever comes first, with a
 * fresh fast-check seed per batch. Stops at the first violation (printing the case and its seed).
 * At the end: server closed, nothing outside the root changed, fds/heap against the baseline.
 *
 *   pnpm --filter @ftpkit/reliability fuzz -- --minutes 30
 */
import { LocalFileSystem } from '@ftpkit/server';
import { fdCount, tempDir } from '@ftpkit/test-utils';
import fc from 'fast-check';
import { type CaseResult, caseArb, fuzzRoot, runCase, startSink } from '../src/fuzz.ts';
import { heapAfterGc, PASSWORD, sleep, startServer, testTls, treeSnapshot, USER } from '../src/harness.ts';
import { numberFlag, stamp } from './args.ts';

const minutes = numberFlag('minutes', 30);
const maxCases = numberFlag('max-cases', 1_000_000);
const batch = 200;

const unhandled: unknown[] = [];
process.on('unhandledRejection', (r) => unhandled.push(r));
process.on('uncaughtException', (e) => unhandled.push(e));

const dir = await tempDir('ftpkit-fuzz-long-');
const root = await fuzzRoot(dir.path);
const before = await treeSnapshot(dir.path, ['root']);
fc.sample(caseArb(1, 20), { numRuns: 5 }); // fast-check's Unicode tables, before the baseline
const heapBefore = heapAfterGc();
const fdsBefore = fdCount();
const sink = await startSink();
const f = await startServer({
  fileSystem: new LocalFileSystem({ root }),
  tls: testTls(),
  limits: { loginDelay: { base: 1, max: 2 }, ban: false, dataConnectTimeout: 400, dataStallTimeout: 500 },
});
let serverErrors = 0;
f.server.on('error', (e) => {
  serverErrors++;
  console.error('server error event:', e.error);
});
const target = { port: f.port, ca: f.cert.ca, sinkPort: sink.port, user: USER, password: PASSWORD };
const started = Date.now();
const deadline = started + minutes * 60_000;
let cases = 0;
let replies = 0;
const endings: Record<string, number> = {};
let failure: string | undefined;
let nextReport = started + 60_000;
console.log(`${stamp()} fuzz: up to ${minutes} min / ${maxCases} cases against 127.0.0.1:${f.port}`);

while (Date.now() < deadline && cases < maxCases && failure === undefined) {
  const seed = Math.floor(Math.random() * 2 ** 31);
  const result = await fc.check(
    fc.asyncProperty(caseArb(sink.port, 25), async (fuzzCase) => {
      const r: CaseResult = await runCase(target, fuzzCase);
      cases++;
      replies += r.replies;
      endings[r.ended] = (endings[r.ended] ?? 0) + 1;
      if (Date.now() >= nextReport) {
        nextReport += 60_000;
        const heap = Math.round(process.memoryUsage().heapUsed / 1048576);
        console.log(
          `${stamp()} ${cases} cases, ${replies} replies, heap ${heap} MB, fds ${fdCount()}, sessions ${f.server.sessionCount}`,
        );
      }
      if (r.violations.length > 0) console.error(r.violations);
      return r.violations.length === 0;
    }),
    {
      numRuns: Math.min(batch, maxCases - cases),
      seed,
      endOnFailure: true,
      interruptAfterTimeLimit: Math.max(1, deadline - Date.now()),
    },
  );
  if (result.failed) failure = `seed ${seed}: ${fc.defaultReportMessage(result)}`;
  if (serverErrors > 0 || unhandled.length > 0)
    failure ??= `server errors ${serverErrors}, unhandled ${unhandled.length}`;
}

await f.close(1000);
await sink.close();
await sleep(500);
const outsideUnchanged = JSON.stringify(await treeSnapshot(dir.path, ['root'])) === JSON.stringify(before);
await dir.cleanup();
const summary = {
  minutes: Number(((Date.now() - started) / 60_000).toFixed(1)),
  cases,
  replies,
  endings,
  violations: failure === undefined ? 0 : 1,
  serverErrors,
  unhandled: unhandled.length,
  outsideUnchanged,
  heapBeforeMb: Math.round(heapBefore / 1048576),
  heapAfterMb: Math.round(heapAfterGc() / 1048576),
  fdsBefore,
  fdsAfter: fdCount(),
};
console.log(`${stamp()} summary ${JSON.stringify(summary)}`);
if (failure !== undefined) console.error(failure);
process.exitCode = failure === undefined && outsideUnchanged && summary.fdsAfter <= fdsBefore ? 0 : 1;
