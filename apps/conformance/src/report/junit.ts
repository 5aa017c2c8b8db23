/** JUnit XML for CI systems: one testsuite per target, one testcase per transcript. */
import type { TargetRun } from '../result.js';

export function escapeXml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/[\x00-\x08\x0b\x0c\x0e-\x1f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

export function formatJUnit(runs: readonly TargetRun[]): string {
  const suites = runs.map((run) => {
    const failures = run.results.filter((r) => r.status === 'fail').length;
    const skipped = run.results.filter((r) => r.status === 'n/a').length;
    const time = run.results.reduce((t, r) => t + r.durationMs, 0) / 1000;
    const cases = run.results.map((r) => {
      const head = `    <testcase classname="${escapeXml(`${run.target}.rfc${r.rfcNumber}`)}" name="${escapeXml(`${r.id}: ${r.title} [${r.level}]`)}" time="${(r.durationMs / 1000).toFixed(3)}"`;
      const exchange = escapeXml(r.exchange.map((e) => `${e.kind}: ${e.text}`).join('\n'));
      if (r.status === 'pass') return `${head}/>`;
      if (r.status === 'n/a')
        return `${head}>\n      <skipped message="${escapeXml(r.reason ?? 'not applicable')}"/>\n    </testcase>`;
      // A justified failure is reported as skipped: the transcript itself allows it for this target.
      if (r.justification !== undefined) {
        return `${head}>\n      <skipped message="${escapeXml(`justified: ${r.justification}`)}"/>\n      <system-out>${exchange}</system-out>\n    </testcase>`;
      }
      return `${head}>\n      <failure message="${escapeXml(r.reason ?? 'failed')}" type="${r.level}">${exchange}</failure>\n    </testcase>`;
    });
    return `  <testsuite name="${escapeXml(run.target)}" tests="${run.results.length}" failures="${failures}" skipped="${skipped}" time="${time.toFixed(3)}">\n${cases.join('\n')}\n  </testsuite>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="ftpkit-conformance">\n${suites.join('\n')}\n</testsuites>\n`;
}
