/**
 * The control-channel fuzzer, CI size: fast-check plays random and grammar-aware command
 * sequences (hostile arguments, interleaved PASV/PORT/REST/RNFR/ABOR, TLS upgrades at odd
 * moments, broken handshakes, half lines, garbage, Telnet bytes) against one live server over a
 * LocalFileSystem with symlinks pointing out of the root. Properties per session: every reply is
 * well-formed (the codec's strict ReplyParser), the session never hangs, and it ends with 221 or
 * 421. For the whole run: no crash, no unhandled rejection, no `error` event, nothing created or
 * changed outside the root, file descriptors and heap back to baseline.
 * The long run is `pnpm --filter @ftpkit/reliability fuzz` (scripts/fuzz.ts).
 */
import { LocalFileSystem } from '@ftpkit/server';
import { fdCount, tempDir, trackHandles } from '@ftpkit/test-utils';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type CaseResult, caseArb, fuzzRoot, runCase, startSink } from '../src/fuzz.ts';
import { heapAfterGc, PASSWORD, startServer, testTls, treeSnapshot, USER } from '../src/harness.ts';

describe('control-channel fuzzer (CI size)', () => {
  it('hostile sequences: well-formed replies, 221/421 endings, no crash, nothing outside the root, no leaks', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    process.on('uncaughtException', onUnhandled);
    const dir = await tempDir('ftpkit-fuzz-');
    // fast-check builds its Unicode tables (~80 MB) on first use: warm them up before the baseline.
    fc.sample(caseArb(1, 20), { numRuns: 5 });
    const tracker = trackHandles();
    const fdsBefore = fdCount();
    const heapBefore = heapAfterGc();
    try {
      const root = await fuzzRoot(dir.path);
      const before = await treeSnapshot(dir.path, ['root']);
      const sink = await startSink();
      const f = await startServer({
        fileSystem: new LocalFileSystem({ root }),
        tls: testTls(),
        limits: {
          loginDelay: { base: 1, max: 2 },
          ban: false,
          dataConnectTimeout: 400,
          dataStallTimeout: 500,
        },
      });
      const serverErrors: unknown[] = [];
      f.server.on('error', (e) => {
        serverErrors.push(e.error);
        console.error('server error event', e.sessionId, (e.error as Error)?.stack ?? e.error);
      });
      const results: CaseResult[] = [];
      const target = { port: f.port, ca: f.cert.ca, sinkPort: sink.port, user: USER, password: PASSWORD };
      await fc.assert(
        fc.asyncProperty(caseArb(sink.port, 20), async (fuzzCase) => {
          const result = await runCase(target, fuzzCase);
          results.push(result);
          expect(result.violations).toEqual([]);
        }),
        { numRuns: 100, interruptAfterTimeLimit: 16_000, markInterruptAsFailure: false, endOnFailure: true },
      );
      await f.close(1000);
      await sink.close();
      expect(serverErrors).toEqual([]);
      expect(unhandled).toEqual([]);
      expect(await treeSnapshot(dir.path, ['root'])).toEqual(before);
      // Enough cases ran to mean something, and they reached every ending.
      expect(results.length).toBeGreaterThanOrEqual(10);
      const endings = new Set(results.map((r) => r.ended));
      expect(endings.has('quit')).toBe(true);
      console.log(
        `fuzz: ${results.length} sessions, ${results.reduce((n, r) => n + r.replies, 0)} replies, endings ${JSON.stringify(
          Object.fromEntries([...endings].map((e) => [e, results.filter((r) => r.ended === e).length])),
        )}`,
      );
      await tracker.assertNoLeaks(3000);
      expect(fdCount()).toBeLessThanOrEqual(fdsBefore);
      // Heap back near the baseline (a session leak of this many sessions would show).
      expect(heapAfterGc() - heapBefore).toBeLessThan(24 * 1024 * 1024);
    } finally {
      process.off('unhandledRejection', onUnhandled);
      process.off('uncaughtException', onUnhandled);
      await dir.cleanup();
    }
  });
});
