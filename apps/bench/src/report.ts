/**
 * Output: a terminal table, a Markdown report, JSON for tracking over time, and an SVG chart of
 * the headline ratios (written by hand: no dependencies).
 */
import { formatNumber, type ScenarioResult } from './harness.ts';

export interface BenchReport {
  readonly version: 1;
  readonly startedAt: string;
  readonly seconds: number;
  readonly quick: boolean;
  readonly machine: Readonly<Record<string, string>>;
  readonly config: Readonly<Record<string, unknown>>;
  readonly scenarios: readonly ScenarioResult[];
  readonly errors: readonly { scenario: string; error: string }[];
  readonly profiles: readonly { scenario: string; file: string; top: readonly string[] }[];
}

const pad = (text: string, width: number, right = false) =>
  right ? text.padStart(width) : text.padEnd(width);

function table(header: string[], rows: string[][], rightFrom = 1): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => pad(c ?? '', widths[i]!, i >= rightFrom)).join('  ');
  return [line(header), widths.map((w) => '─'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/**
 * The ftpkit target a row's ratio is against: a "… ×4" row (a pool, the bare client's four
 * connections) against "ftpkit ×4" when the scenario has it, every other row against "ftpkit".
 */
function ftpkitFor(s: ScenarioResult, name: string): string {
  const pool = / ×\d+$/.exec(name)?.[0];
  const mine = pool === undefined ? undefined : `ftpkit${pool}`;
  return mine !== undefined && s.targets.some((t) => t.name === mine) ? mine : 'ftpkit';
}

function targetRows(s: ScenarioResult): string[][] {
  return s.targets.map((t) => {
    const mine = ftpkitFor(s, t.name);
    const ratio = s.ratios.find((r) => r.ftpkit === mine && r.versus === t.name)?.median ?? null;
    return [
      t.name,
      formatNumber(t.median),
      t.min === null ? '—' : `${formatNumber(t.min)}–${formatNumber(t.max)}`,
      formatNumber(t.serverCpu),
      formatNumber(t.clientCpu),
      t.kind === 'ftpkit' ? '' : ratio === null ? '—' : `${formatNumber(ratio)}×`,
      t.errors.length ? `${t.errors.length} failed: ${t.errors[0]!.slice(0, 60)}` : (t.note ?? ''),
    ];
  });
}

const HEADER = (unit: string) => [
  'target',
  `median ${unit}`,
  'min–max',
  'server CPU s',
  'client CPU s',
  'ftpkit ×',
  'note',
];

export function terminalSummary(report: BenchReport): string {
  const parts: string[] = [];
  for (const s of report.scenarios) {
    parts.push(`\n${s.title}  [${s.unit}, ${s.higherIsBetter ? 'higher' : 'lower'} is better]`);
    parts.push(
      table(
        HEADER(s.unit),
        targetRows(s).map((r) => r.slice(0, 6)),
      ),
    );
    for (const c of s.checks) parts.push(`  ${verdict(c.holds)}  ${c.target} — ${c.detail}`);
  }
  for (const e of report.errors) parts.push(`\n${e.scenario}: FAILED ${e.error}`);
  return parts.join('\n');
}

const verdict = (holds: boolean | null) => (holds === null ? 'n/a ' : holds ? 'HOLDS' : 'MISS ');

/** The "ftpkit ×" headline per scenario: ftpkit vs the fastest peer (and vs the limit, if any). */
export function headlines(
  report: BenchReport,
): { label: string; peer: string; ratio: number | null; limit?: { name: string; ratio: number | null } }[] {
  const out: {
    label: string;
    peer: string;
    ratio: number | null;
    limit?: { name: string; ratio: number | null };
  }[] = [];
  for (const s of report.scenarios) {
    if (s.ratios.length === 0) continue;
    const mine = s.targets.find((t) => t.kind === 'ftpkit');
    if (mine === undefined) continue;
    const peers = s.ratios.filter(
      (r) => r.ftpkit === mine.name && r.versusKind === 'peer' && r.median !== null,
    );
    // Against the fastest peer = the smallest ratio.
    peers.sort((a, b) => a.median! - b.median!);
    const limit = s.ratios.find(
      (r) => r.ftpkit === mine.name && r.versusKind === 'limit' && r.versus !== 'limit: iperf3 (1 stream)',
    );
    const iperf = s.ratios.find((r) => r.ftpkit === mine.name && r.versus === 'limit: iperf3 (1 stream)');
    const lim = iperf ?? limit;
    const entry = { label: s.id, peer: peers[0]?.versus ?? '—', ratio: peers[0]?.median ?? null };
    out.push(
      lim === undefined
        ? entry
        : { ...entry, limit: { name: lim.versus.replace('limit: ', ''), ratio: lim.median } },
    );
  }
  return out;
}

/** Where the report sends a reader for the targets it marks missed. */
export const MISSED_NOTE =
  'What bounds each missed target (CPU profiles, per-phase timings, heap snapshots) is recorded in `apps/bench/docs/profiles.md`.';

export function markdown(report: BenchReport, chartFile?: string): string {
  const lines: string[] = [];
  lines.push(`# ftpkit benchmark report`, '');
  lines.push(
    `Run ${report.startedAt} (${Math.round(report.seconds)} s)${report.quick ? ' — **quick sizes, not the issue’s**' : ''}.`,
    '',
  );
  lines.push('| machine | |', '| --- | --- |');
  for (const [k, v] of Object.entries(report.machine)) lines.push(`| ${k} | ${v} |`);
  lines.push('');
  lines.push(
    '> Figures are from one run on a shared 2-core machine that other jobs were using at the same time; ratios from the same run (per-round ratios, interleaved rounds) are more trustworthy than absolute figures.',
    '',
  );
  if (chartFile) lines.push(`![ftpkit vs the fastest peer](${chartFile})`, '');
  lines.push('## Headlines (ftpkit ÷ fastest peer, > 1 = ftpkit ahead)', '');
  lines.push('| scenario | fastest peer | ftpkit × | vs limit |', '| --- | --- | ---: | ---: |');
  for (const h of headlines(report)) {
    lines.push(
      `| ${h.label} | ${h.peer} | ${formatNumber(h.ratio)} | ${h.limit ? `${formatNumber(h.limit.ratio)} × ${h.limit.name}` : ''} |`,
    );
  }
  lines.push('', '## Targets', '', '| target | holds | figure |', '| --- | :---: | --- |');
  for (const s of report.scenarios)
    for (const c of s.checks)
      lines.push(`| ${c.target} | ${c.holds === null ? 'n/a' : c.holds ? '✅' : '❌'} | ${c.detail} |`);
  if (report.scenarios.some((s) => s.checks.some((c) => c.holds === false))) lines.push('', MISSED_NOTE);
  for (const s of report.scenarios) {
    lines.push('', `## ${s.title}`, '');
    lines.push(
      `Unit: ${s.unit} (${s.higherIsBetter ? 'higher' : 'lower'} is better). ${Object.entries(s.params)
        .map(([k, v]) => `${k}: ${v}`)
        .join(', ')}. ${Math.round(s.seconds)} s.`,
      '',
    );
    lines.push(
      `| ${HEADER(s.unit).join(' | ')} |`,
      `| --- | ${HEADER(s.unit)
        .slice(1, -1)
        .map(() => '---:')
        .join(' | ')} | --- |`,
    );
    for (const row of targetRows(s)) lines.push(`| ${row.join(' | ')} |`);
    if (s.targets.some((t) => t.name === 'ftpkit ×4'))
      lines.push(
        '',
        '"ftpkit ×" is ftpkit ×4 over the row for the ×4 rows, one-connection ftpkit over the row for the others.',
      );
    if (s.ratios.length > 0) {
      const rounds = s.ratios.filter(
        (r) => r.ftpkit === 'ftpkit' || s.targets.filter((t) => t.kind === 'ftpkit').length > 1,
      );
      lines.push('', 'Per-round ratios (ftpkit ÷ target, oriented so that > 1 favours ftpkit):', '');
      for (const r of rounds)
        lines.push(
          `- ${r.ftpkit} vs ${r.versus}: ${r.perRound.map((v) => formatNumber(v)).join(', ')} (median ${formatNumber(r.median)})`,
        );
    }
    if (s.checks.length) {
      lines.push('');
      for (const c of s.checks) lines.push(`- **${verdict(c.holds).trim()}** ${c.target}: ${c.detail}`);
    }
    if (s.notes.length) {
      lines.push('');
      for (const n of s.notes) lines.push(`- ${n}`);
    }
    const errors = s.targets.filter((t) => t.errors.length > 0);
    for (const t of errors) lines.push(`- ${t.name} failed ${t.errors.length}×: ${t.errors[0]}`);
  }
  if (report.profiles.length) {
    lines.push('', '## Profiles (node --cpu-prof of ftpkit’s processes; self time, top functions)', '');
    for (const p of report.profiles) {
      lines.push(`- ${p.scenario} — \`${p.file}\``);
      for (const t of p.top) lines.push(`  - ${t}`);
    }
  }
  if (report.errors.length) {
    lines.push('', '## Scenarios that failed', '');
    for (const e of report.errors) lines.push(`- ${e.scenario}: ${e.error}`);
  }
  return `${lines.join('\n')}\n`;
}

const escapeXml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Horizontal bars of ftpkit ÷ fastest peer per scenario, log-scaled, with the 1.0 line. */
export function svgChart(report: BenchReport): string {
  const rows = headlines(report).filter((h) => h.ratio !== null);
  const width = 760;
  const left = 190;
  const right = 120;
  const rowH = 26;
  const top = 50;
  const height = top + rows.length * rowH + 40;
  const plot = width - left - right;
  // log2 scale from 1/16 to 16: equal distance for 2× ahead and 2× behind.
  const lo = -4;
  const hi = 4;
  const x = (ratio: number) =>
    left + ((Math.max(lo, Math.min(hi, Math.log2(ratio))) - lo) / (hi - lo)) * plot;
  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, sans-serif" font-size="12" role="img">`,
    '<title>ftpkit throughput and speed relative to the fastest peer, per scenario</title>',
    `<rect width="${width}" height="${height}" fill="#fff"/>`,
    `<text x="${left}" y="20" font-size="14" font-weight="bold">ftpkit ÷ fastest peer (log scale; right of 1× = ftpkit ahead)</text>`,
    `<text x="${left}" y="36" fill="#666">${escapeXml(`${report.machine.cpu ?? ''}, ${report.startedAt.slice(0, 10)}${report.quick ? ', quick sizes' : ''}`)}</text>`,
  );
  for (const tick of [1 / 16, 1 / 4, 1 / 2, 1, 2, 4, 16]) {
    const tx = x(tick);
    parts.push(
      `<line x1="${tx}" y1="${top - 4}" x2="${tx}" y2="${top + rows.length * rowH}" stroke="${tick === 1 ? '#333' : '#ddd'}" stroke-width="${tick === 1 ? 1.5 : 1}"/>`,
      `<text x="${tx}" y="${top + rows.length * rowH + 16}" text-anchor="middle" fill="#555">${tick < 1 ? `1/${1 / tick}` : tick}×</text>`,
    );
  }
  rows.forEach((h, i) => {
    const y = top + i * rowH;
    const r = h.ratio!;
    const x0 = x(1);
    const x1 = x(r);
    const color = r >= 1 ? '#2e7d32' : '#c62828';
    parts.push(
      `<text x="${left - 8}" y="${y + 16}" text-anchor="end">${escapeXml(h.label)}</text>`,
      `<rect x="${Math.min(x0, x1)}" y="${y + 5}" width="${Math.max(1, Math.abs(x1 - x0))}" height="${rowH - 10}" fill="${color}"/>`,
      `<text x="${width - right + 6}" y="${y + 16}" fill="#333">${escapeXml(`${formatNumber(r)}× ${h.peer}`)}</text>`,
    );
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}
