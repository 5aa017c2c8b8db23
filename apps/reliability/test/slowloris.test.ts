/**
 * Slowloris, CI size: ~200 connections from 8 loopback addresses trickle bytes (half lines,
 * NOOPs without login, silence) while healthy clients work. Asserted: every attack connection is
 * ended by the server's limits (line, login and idle timeouts; 421 past the per-IP quota) well
 * before the run's hard bound, healthy clients never see an error, and no session or handle is
 * left. Timings are reported, not asserted. The 1,000-connection run is `pnpm slowloris`.
 */
import { trackHandles } from '@ftpkit/test-utils';
import { describe, expect, it } from 'vitest';
import { runSlowloris } from '../src/slowloris.ts';

describe('slowloris (CI size)', () => {
  it('trickling connections are bounded by the limits; healthy clients keep being served', async () => {
    const tracker = trackHandles();
    const report = await runSlowloris({
      connections: 210,
      sources: 6, // 35 per address: 3 over the default quota of 32 each get 421 at once
      lineTimeout: 1500,
      loginTimeout: 2500,
      idleTimeout: 2000,
      boundMs: 12_000,
      healthyClients: 4,
    });
    console.log(`slowloris report: ${JSON.stringify(report)}`);
    expect(report.connectFailures).toBe(0);
    expect(report.survivors).toBe(0);
    expect(report.refused421).toBe(18);
    expect(report.closedByServer).toBe(report.admitted);
    expect(report.admitted + report.refused421).toBe(210);
    expect(report.byMode['half-line']!.closed).toBeGreaterThan(0);
    expect(report.byMode['noop-no-login']!.closed).toBeGreaterThan(0);
    expect(report.byMode.silent!.closed).toBeGreaterThan(0);
    expect(report.healthyErrors).toEqual([]);
    expect(report.healthyOps).toBeGreaterThan(10);
    expect(report.sessionsAfter).toBe(0);
    await tracker.assertNoLeaks(3000);
  }, 28_000);
});
