/**
 * The interop matrix with real peers: ftpkit's server driven by curl, lftp and Python's ftplib;
 * ftpkit's client against vsftpd, pyftpdlib, ProFTPD and Pure-FTPd; curl against vsftpd and
 * pyftpdlib as a reference — plain and explicit FTPS, passive and active, SHA-256 checked. Every
 * cell involving ftpkit passes, except the documented peer quirks, which must fail the documented
 * way (refused, nothing published, 522). The runs feed the HTML matrix (pairs × scenarios).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isPeerAvailable } from '@ftpkit/test-utils';
import { afterAll, describe, expect, it } from 'vitest';
import { PAIRS, type Pair, pairName, runInteropMatrix } from '../src/interop/matrix.ts';
import { formatHtml } from '../src/report/html.ts';
import { formatJUnit } from '../src/report/junit.ts';
import type { TargetRun } from '../src/result.ts';

const runs: TargetRun[] = [];

/** Cells that must fail, the documented way (the matrix verifies the way; see QUIRKS). */
const EXPECTED_FAILURES = new Set([
  'curl → ftpkit interop/ftps-active',
  'ftplib → ftpkit interop/ftps-passive',
  'ftplib → ftpkit interop/ftps-active',
]);
/** Reference cells between two third-party peers: recorded, justified when they fail. */
const REFERENCE = (pair: Pair) => pair.client !== 'ftpkit' && pair.server !== 'ftpkit';

describe('interop matrix', () => {
  it.each(PAIRS.map((p) => [pairName(p), p] as const))('%s', async (_name, pair) => {
    if (pair.server !== 'ftpkit') {
      expect(
        isPeerAvailable(pair.server),
        `${pair.server} is missing: run scripts/install-system-deps.sh`,
      ).toBe(true);
    }
    const [run] = await runInteropMatrix({ pairs: [pair] });
    runs.push(run!);
    const problems: string[] = [];
    for (const r of run!.results) {
      const key = `${run!.target} ${r.id}`;
      const log = r.exchange.map((e) => `    ${e.kind}: ${e.text}`).join('\n');
      if (r.status === 'n/a') continue;
      if (EXPECTED_FAILURES.has(key)) {
        if (r.status !== 'fail' || r.justification === undefined)
          problems.push(`${key}: expected the documented failure\n${log}`);
      } else if (REFERENCE(pair)) {
        if (r.status === 'fail' && r.justification === undefined)
          problems.push(`${key}: ${r.reason}\n${log}`);
      } else if (r.status !== 'pass') {
        problems.push(`${key}: ${r.reason}\n${log}`);
      }
    }
    expect(problems.join('\n')).toBe('');
    if (pair.client === 'ftplib') {
      expect(run!.results.find((r) => r.id === 'interop/ftps-passive-no-reuse')?.status).toBe('pass');
    }
  });

  afterAll(() => {
    // The matrix page (pairs × scenarios); FTPKIT_CONFORMANCE_REPORT=DIR keeps it.
    if (runs.length === 0) return;
    const html = formatHtml(runs, { sections: [{ title: 'Interop matrix: scenarios × peers', runs }] });
    const junit = formatJUnit(runs);
    const dir = mkdtempSync(join(tmpdir(), 'ftpkit-interop-report-'));
    try {
      for (const out of [dir, process.env.FTPKIT_CONFORMANCE_REPORT].filter((d) => d !== undefined)) {
        writeFileSync(join(out, 'interop.html'), html);
        writeFileSync(join(out, 'interop-junit.xml'), junit);
      }
      expect(readFileSync(join(dir, 'interop.html'), 'utf8')).toContain('interop/ftps-active');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
