/**
 * Keeps the harness honest in CI: one scenario at a tiny size against one peer (plus ftpkit when
 * its server starts), and the report's structure. Speed is never asserted here.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runBench } from '../src/cli.ts';
import { QUICK } from '../src/config.ts';
import { formatNumber } from '../src/harness.ts';

const out = mkdtempSync(join(tmpdir(), 'ftpkit-bench-smoke-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('bench harness', () => {
  it('runs small-files at a tiny size and writes JSON, Markdown and SVG', async () => {
    const report = await runBench({
      config: { ...QUICK, smallFiles: 5, rounds: 1, warmup: false, servers: ['ftpkit', 'pyftpdlib'] },
      only: ['small-files'],
      out,
      quick: true,
      updateReadme: false,
      log: () => undefined,
    });
    expect(report.errors).toEqual([]);
    expect(report.scenarios).toHaveLength(1);
    const scenario = report.scenarios[0]!;
    expect(scenario.id).toBe('small-files');
    expect(scenario.unit).toBe('files/s');
    const peer = scenario.targets.find((t) => t.name === 'pyftpdlib');
    expect(peer?.values).toHaveLength(1);
    expect(peer?.median).toBeGreaterThan(0);
    // Node's floor (limits/bare-server.mjs) runs beside ftpkit as a limit, never as a peer.
    const bare = scenario.targets.find((t) => t.name === 'limit: bare Node server');
    expect(bare?.kind).toBe('limit');
    expect(bare?.median).toBeGreaterThan(0);
    expect(scenario.checks[0]?.target).toMatch(/fastest peer/);
    expect(scenario.checks[0]?.detail).not.toMatch(/bare/);
    const json = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'));
    expect(json.version).toBe(1);
    expect(readFileSync(join(out, 'report.md'), 'utf8')).toContain('## Targets');
    expect(readFileSync(join(out, 'chart.svg'), 'utf8')).toMatch(/^<svg/);
  }, 60_000);

  it('runs the bare Node client beside the others on small uploads', async () => {
    const report = await runBench({
      config: { ...QUICK, smallFiles: 5, rounds: 1, warmup: false },
      only: ['client-small-upload'],
      out,
      quick: true,
      updateReadme: false,
      log: () => undefined,
    });
    expect(report.errors).toEqual([]);
    const scenario = report.scenarios[0]!;
    for (const name of ['limit: bare Node client', 'limit: bare Node client ×4', 'ftpkit']) {
      const target = scenario.targets.find((t) => t.name === name);
      expect(target?.median, name).toBeGreaterThan(0);
    }
    // A ×4 row's "ftpkit ×" cell is ftpkit ×4 over it, not the one-connection ftpkit.
    const pooled = scenario.ratios.find((r) => r.ftpkit === 'ftpkit ×4' && r.versus === 'basic-ftp ×4');
    const single = scenario.ratios.find((r) => r.ftpkit === 'ftpkit' && r.versus === 'basic-ftp ×4');
    expect(pooled?.median).toBeGreaterThan(0);
    const row = readFileSync(join(out, 'report.md'), 'utf8')
      .split('\n')
      .find((line) => line.startsWith('| basic-ftp ×4 |'));
    expect(row?.split(' | ')[5]).toBe(`${formatNumber(pooled!.median)}×`);
    if (formatNumber(pooled!.median) !== formatNumber(single!.median))
      expect(row).not.toContain(`| ${formatNumber(single!.median)}× |`);
  }, 120_000);
});
