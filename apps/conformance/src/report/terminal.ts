/** The terminal summary: one line per failure with its exchange, and the `N passed, N failed` line. */
import { counts, type TargetRun } from '../result.js';

export function formatSummary(
  runs: readonly TargetRun[],
  options: { color?: boolean; verbose?: boolean } = {},
): string {
  const paint = (code: number, text: string) =>
    options.color === true ? `\x1b[${code}m${text}\x1b[0m` : text;
  const out: string[] = [];
  for (const run of runs) {
    out.push(`${run.target}: ${run.description}`);
    for (const r of run.results) {
      if (r.status === 'pass' && options.verbose !== true) continue;
      if (r.status === 'n/a' && options.verbose !== true) continue;
      const mark =
        r.status === 'pass'
          ? paint(32, 'PASS')
          : r.status === 'n/a'
            ? paint(90, 'N/A ')
            : r.justification !== undefined
              ? paint(33, 'JUST')
              : paint(31, 'FAIL');
      out.push(`  ${mark} [${r.level}] ${r.id} — ${r.title}${r.reason ? `\n       ${r.reason}` : ''}`);
      if (r.status === 'fail') {
        if (r.justification !== undefined) out.push(`       justified: ${r.justification}`);
        for (const e of r.exchange) {
          for (const [i, line] of e.text.split('\n').entries())
            out.push(`       ${i === 0 ? `${e.kind}:` : '  '} ${line}`);
        }
      }
    }
    const c = counts(run.results);
    const mustFailed = run.results.filter(
      (r) => r.status === 'fail' && r.level === 'MUST' && r.justification === undefined,
    ).length;
    out.push(
      `  ${run.target}: ${c.passed} passed, ${c.failed} failed, ${c.notApplicable} not applicable (${mustFailed} unjustified MUST failures)`,
    );
  }
  const all = runs.flatMap((r) => r.results);
  const total = counts(all);
  out.push(`${total.passed} passed, ${total.failed} failed`);
  return out.join('\n');
}
