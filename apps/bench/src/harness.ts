/**
 * Rounds, statistics and the shape of results.
 *
 * Owns: running the targets of a scenario interleaved (warm-up A B C …, then round 1 A B C …,
 * round 2 A B C …) so that a machine whose load drifts affects every target alike; medians,
 * min–max and per-round ratios (ftpkit's figure in round r over a peer's figure in the same round).
 */

export type TargetKind = 'ftpkit' | 'peer' | 'limit';

/** One measurement of one target. `value` is in the scenario's unit. */
export interface Sample {
  readonly value: number;
  readonly seconds: number;
  readonly serverCpu?: number;
  readonly clientCpu?: number;
}

export interface Target {
  readonly name: string;
  readonly kind: TargetKind;
  /** Extra words for the report (versions, options, why a figure is what it is). */
  readonly note?: string;
  run(round: number): Promise<Sample>;
}

export interface TargetResult {
  readonly name: string;
  readonly kind: TargetKind;
  readonly note?: string;
  /** One per round; null where that round failed. */
  readonly values: readonly (number | null)[];
  readonly median: number | null;
  readonly min: number | null;
  readonly max: number | null;
  readonly serverCpu: number | null;
  readonly clientCpu: number | null;
  readonly errors: readonly string[];
}

export interface Ratio {
  /** ftpkit's target name. */
  readonly ftpkit: string;
  readonly versus: string;
  readonly versusKind: TargetKind;
  /** Median of the per-round ratios, oriented so that > 1 means ftpkit is better. */
  readonly median: number | null;
  readonly perRound: readonly (number | null)[];
}

export interface Check {
  /** The issue's target, in its words. */
  readonly target: string;
  readonly holds: boolean | null;
  readonly detail: string;
}

export interface ScenarioResult {
  readonly id: string;
  readonly title: string;
  readonly unit: string;
  readonly higherIsBetter: boolean;
  readonly params: Readonly<Record<string, string | number>>;
  readonly targets: readonly TargetResult[];
  readonly ratios: readonly Ratio[];
  readonly checks: readonly Check[];
  readonly notes: readonly string[];
  readonly seconds: number;
}

export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

const present = (values: readonly (number | null | undefined)[]) =>
  values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v));

export interface RoundOptions {
  readonly rounds: number;
  readonly warmup: boolean;
  /** Printed before each sample. */
  readonly log?: (line: string) => void;
}

/** Runs every target `rounds` times, interleaved, after one warm-up pass (whose figures are dropped). */
export async function runRounds(targets: readonly Target[], options: RoundOptions): Promise<TargetResult[]> {
  const samples = targets.map(() => [] as (Sample | null)[]);
  const errors = targets.map(() => [] as string[]);
  const dead = new Set<number>();
  const passes = options.warmup ? options.rounds + 1 : options.rounds;
  for (let pass = 0; pass < passes; pass++) {
    const round = options.warmup ? pass - 1 : pass;
    for (let i = 0; i < targets.length; i++) {
      const target = targets[i]!;
      if (dead.has(i)) {
        if (round >= 0) samples[i]!.push(null);
        continue;
      }
      try {
        const sample = await target.run(round);
        options.log?.(
          `  ${round < 0 ? 'warm-up' : `round ${round + 1}`}  ${target.name.padEnd(28)} ${formatNumber(sample.value)}`,
        );
        if (round >= 0) samples[i]!.push(sample);
      } catch (error) {
        const message = (error as Error).message.split('\n').slice(0, 3).join(' | ').slice(0, 300);
        options.log?.(
          `  ${round < 0 ? 'warm-up' : `round ${round + 1}`}  ${target.name.padEnd(28)} FAILED ${message}`,
        );
        errors[i]!.push(message);
        if (round >= 0) samples[i]!.push(null);
        // A target that fails twice is not run again in this scenario (it would only burn time).
        if (errors[i]!.length >= 2) dead.add(i);
      }
    }
  }
  return targets.map((target, i) => {
    const list = samples[i]!;
    const values = list.map((s) => (s === null ? null : s.value));
    const ok = present(values);
    const result: TargetResult = {
      name: target.name,
      kind: target.kind,
      values,
      median: median(ok),
      min: ok.length ? Math.min(...ok) : null,
      max: ok.length ? Math.max(...ok) : null,
      serverCpu: median(present(list.map((s) => s?.serverCpu))),
      clientCpu: median(present(list.map((s) => s?.clientCpu))),
      errors: errors[i]!,
    };
    return target.note === undefined ? result : { ...result, note: target.note };
  });
}

/** ftpkit's targets against every other target, per round, oriented so that > 1 favours ftpkit. */
export function ratios(results: readonly TargetResult[], higherIsBetter: boolean): Ratio[] {
  const out: Ratio[] = [];
  for (const mine of results.filter((r) => r.kind === 'ftpkit')) {
    for (const other of results.filter((r) => r.kind !== 'ftpkit')) {
      const perRound = mine.values.map((v, i) => {
        const w = other.values[i];
        if (v === null || w === null || w === undefined || v === 0 || w === 0) return null;
        return higherIsBetter ? v / w : w / v;
      });
      out.push({
        ftpkit: mine.name,
        versus: other.name,
        versusKind: other.kind,
        median: median(present(perRound)),
        perRound,
      });
    }
  }
  return out;
}

/** The best peer (not limit) by median. */
export function bestPeer(
  results: readonly TargetResult[],
  higherIsBetter: boolean,
): TargetResult | undefined {
  const peers = results.filter((r) => r.kind === 'peer' && r.median !== null);
  peers.sort((a, b) => (higherIsBetter ? b.median! - a.median! : a.median! - b.median!));
  return peers[0];
}

export function formatNumber(value: number | null, digits = 3): string {
  if (value === null) return '—';
  if (value === 0) return '0';
  const abs = Math.abs(value);
  if (abs >= 1000) return Math.round(value).toLocaleString('en-US');
  return Number(value.toPrecision(digits)).toString();
}

export async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${what}: timed out after ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
