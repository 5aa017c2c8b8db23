/**
 * The HTML report: one self-contained page (inline CSS, no script, no external resource) with the
 * matrix transcripts × targets; each coloured cell links to its exchange further down the page.
 */
import type { TargetRun, TranscriptResult } from '../result.js';

function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function anchor(target: string, id: string): string {
  return `x-${target}-${id}`.replace(/[^A-Za-z0-9_-]/g, '-');
}

function cellClass(r: TranscriptResult | undefined): string {
  if (r === undefined) return 'none';
  if (r.status === 'pass') return 'pass';
  if (r.status === 'n/a') return 'na';
  return r.justification !== undefined ? 'just' : 'fail';
}

const LABEL: Record<string, string> = { pass: 'pass', fail: 'FAIL', na: 'n/a', just: 'justified', none: '—' };

/** A titled matrix of its own: e.g. server transcripts × servers, then client transcripts × clients. */
export interface HtmlSection {
  readonly title: string;
  readonly runs: readonly TargetRun[];
  /** Shown under the title. */
  readonly note?: string;
}

/** `failures`: exchanges only for failed (and justified) cells, to keep a big matrix small. */
type Exchanges = 'all' | 'failures';

const shows = (r: TranscriptResult, exchanges: Exchanges) => exchanges === 'all' || r.status === 'fail';

function matrix(runs: readonly TargetRun[], exchanges: Exchanges): string {
  const ids: { id: string; title: string; rfc: string; level: string }[] = [];
  const seen = new Set<string>();
  for (const run of runs) {
    for (const r of run.results) {
      if (!seen.has(r.id)) {
        seen.add(r.id);
        ids.push({ id: r.id, title: r.title, rfc: r.rfc, level: r.level });
      }
    }
  }
  ids.sort((a, b) => a.id.localeCompare(b.id));
  const byTarget = runs.map((run) => new Map(run.results.map((r) => [r.id, r])));
  const header = runs.map((run) => `<th title="${esc(run.description)}">${esc(run.target)}</th>`).join('');
  const totals = runs
    .map((run) => {
      const p = run.results.filter((r) => r.status === 'pass').length;
      const f = run.results.filter((r) => r.status === 'fail').length;
      return `<td>${p} passed, ${f} failed</td>`;
    })
    .join('');
  const rows = ids.map((t) => {
    const cells = byTarget
      .map((map, i) => {
        const r = map.get(t.id);
        const cls = cellClass(r);
        const content =
          r === undefined
            ? LABEL[cls]
            : shows(r, exchanges)
              ? `<a href="#${anchor(runs[i]!.target, t.id)}">${LABEL[cls]}</a>`
              : `<span title="${esc(r.reason ?? `${r.durationMs} ms`)}">${LABEL[cls]}</span>`;
        return `<td class="${cls}">${content}</td>`;
      })
      .join('');
    return `<tr><th scope="row"><code>${esc(t.id)}</code><br><small>${esc(t.title)} · ${esc(t.rfc)} · ${t.level}</small></th>${cells}</tr>`;
  });
  return `<table><thead><tr><th>transcript</th>${header}</tr></thead>
<tbody>
${rows.join('\n')}
</tbody><tfoot><tr><th>total</th>${totals}</tr></tfoot></table>`;
}

function details(runs: readonly TargetRun[], exchanges: Exchanges): string[] {
  return runs.flatMap((run) =>
    run.results
      .filter((r) => shows(r, exchanges))
      .map((r) => {
        const lines = r.exchange
          .map(
            (e) =>
              `<span class="k${e.kind === '!' ? 'x' : e.kind === '*' ? 'n' : e.kind}">${esc(e.kind)}: ${esc(e.text)}</span>`,
          )
          .join('\n');
        const extra = [
          r.reason === undefined
            ? ''
            : `<p><strong>${r.status === 'n/a' ? 'Not applicable' : 'Failure'}:</strong> ${esc(r.reason)}${r.failedLine ? ` (line ${r.failedLine})` : ''}</p>`,
          r.justification === undefined ? '' : `<p><strong>Justified:</strong> ${esc(r.justification)}</p>`,
        ].join('');
        return `<section id="${anchor(run.target, r.id)}"><h3><span class="${cellClass(r)}">${LABEL[cellClass(r)]}</span> ${esc(run.target)} · <code>${esc(r.id)}</code></h3><p>${esc(r.title)} — ${esc(r.rfc)} [${r.level}] · ${r.durationMs} ms</p>${extra}<pre>${lines || '(no exchange)'}</pre></section>`;
      }),
  );
}

export function formatHtml(
  runs: readonly TargetRun[],
  options: {
    title?: string;
    generated?: Date;
    sections?: readonly HtmlSection[];
    /** Default `all`; `failures` links only failed cells to their exchange. */
    exchanges?: Exchanges;
  } = {},
): string {
  const exchanges = options.exchanges ?? 'all';
  const title = options.title ?? 'ftpkit conformance';
  const sections = options.sections ?? [{ title: '', runs }];
  const tables = sections
    .map(
      (section) =>
        `${section.title === '' ? '' : `<h2>${esc(section.title)}</h2>\n`}${section.note === undefined ? '' : `<p>${esc(section.note)}</p>\n`}${matrix(section.runs, exchanges)}`,
    )
    .join('\n');
  const shown = sections.flatMap((section) => details(section.runs, exchanges));
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title>
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#222}
table{border-collapse:collapse}th,td{border:1px solid #ccc;padding:4px 8px;text-align:left;vertical-align:top}
td{text-align:center}td a{color:inherit;text-decoration:none;display:block}
.pass{background:#c8f0c8}.fail{background:#f5b5b5;font-weight:bold}.just{background:#f7e3a1}.na{background:#eee;color:#777}.none{background:#fff}
pre{background:#f6f6f6;padding:8px;overflow-x:auto}.kC{color:#0645ad}.kS{color:#116611}.kD{color:#885500}.kn{color:#777}.kx{color:#b00;font-weight:bold}
h3 span{padding:0 6px}section{margin-bottom:1.5em}
</style></head><body>
<h1>${esc(title)}</h1>
<p>Generated ${esc((options.generated ?? new Date()).toISOString())}. Colours: <span class="pass">pass</span> <span class="fail">FAIL</span> <span class="just">justified failure</span> <span class="na">not applicable</span>. Click a cell for its exchange.</p>
${tables}
<h2>Exchanges</h2>
${exchanges === 'failures' ? '<p>Failed and justified cells only (<code>--report</code> without <code>matrix</code> keeps every exchange).</p>\n' : ''}${shown.join('\n')}
</body></html>
`;
}
