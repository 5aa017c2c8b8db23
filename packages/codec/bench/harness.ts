/**
 * A tiny ops/s harness for the codec's micro-benchmarks: warm up, then run timed batches and
 * report the median. Figures are printed, never asserted: speed is reported, not tested.
 */

export interface BenchCase {
  /** What is measured, e.g. "parse command lines". */
  readonly name: string;
  /** Ops per call of `run` (a call may process a whole array of inputs). */
  readonly opsPerRun: number;
  /** The target in ops/s, printed beside the figure. */
  readonly target?: number;
  readonly run: () => unknown;
}

export interface BenchResult {
  readonly name: string;
  readonly opsPerSecond: number;
  readonly target?: number;
}

let sink: unknown;

export function measure(bench: BenchCase, { rounds = 7, minMillis = 200 } = {}): BenchResult {
  for (let i = 0; i < 20; i++) sink = bench.run();
  const rates: number[] = [];
  for (let r = 0; r < rounds; r++) {
    let runs = 0;
    const start = performance.now();
    let elapsed = 0;
    do {
      sink = bench.run();
      runs++;
      elapsed = performance.now() - start;
    } while (elapsed < minMillis);
    rates.push((runs * bench.opsPerRun * 1000) / elapsed);
  }
  rates.sort((a, b) => a - b);
  const result: BenchResult = { name: bench.name, opsPerSecond: rates[Math.floor(rates.length / 2)]! };
  return bench.target === undefined ? result : { ...result, target: bench.target };
}

export function printResults(results: readonly BenchResult[]): void {
  const rows = results.map((r) => {
    const verdict = r.target === undefined ? '' : r.opsPerSecond >= r.target ? 'meets' : 'BELOW';
    return [
      r.name,
      Math.round(r.opsPerSecond).toLocaleString('en-US'),
      r.target === undefined ? '' : r.target.toLocaleString('en-US'),
      verdict,
    ];
  });
  const header = ['benchmark', 'ops/s', 'target', ''];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  console.log(line(header));
  for (const row of rows) console.log(line(row));
  if (sink === Symbol.for('never')) console.log('');
}
