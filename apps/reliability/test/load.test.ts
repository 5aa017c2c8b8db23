/**
 * Load, CI size: 200 concurrent sessions for ~10 s (logins, NOOPs, listings, small and large
 * downloads, uploads read back by hash) while 5% of clients die abruptly mid-transfer.
 * Asserted: zero errors toward healthy clients, zero corrupted files, nothing published by the
 * dying clients' unfinished uploads, no server `error` event, fds back to baseline and heap near
 * it. NOOP p99 is printed, never asserted. The 2,000-session run is `pnpm load`.
 */
import { trackHandles } from '@ftpkit/test-utils';
import { describe, expect, it } from 'vitest';
import { runLoad } from '../src/load.ts';

describe('load (CI size)', () => {
  it('200 sessions ~10 s with 5% abrupt deaths: healthy clients see no error, no file is corrupted, nothing leaks', async () => {
    const tracker = trackHandles();
    const report = await runLoad({
      sessions: 200,
      durationMs: 10_000,
      deathRate: 0.05,
      smallBytes: 4096,
      largeBytes: 256 * 1024,
      log: (line) => console.log(line),
    });
    console.log(`load report: ${JSON.stringify(report)}`);
    expect(report.errorSamples).toEqual([]);
    expect(report.healthyErrors).toBe(0);
    expect(report.corrupted).toBe(0);
    expect(report.publishedByDying).toBe(0);
    expect(report.serverErrors).toBe(0);
    expect(report.deaths).toBe(report.dying);
    expect(report.ops['upload-verify'] ?? 0).toBeGreaterThan(0);
    expect(report.ops['download-large'] ?? 0).toBeGreaterThan(0);
    expect(report.peakSessions).toBeGreaterThanOrEqual(150);
    await tracker.assertNoLeaks(5000);
    expect(report.fdsAfter).toBeLessThanOrEqual(report.fdsBefore);
    expect(report.heapAfterMb - report.heapBeforeMb).toBeLessThan(48);
  }, 28_000);
});
