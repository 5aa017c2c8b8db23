/**
 * Sizes and counts of a run. The defaults are the (1 GiB, 1 000 files, 10 000 entries,
 * 1 000 and 10 000 sessions, 50 × 100 MiB); `--quick` and the per-field flags shrink them for
 * development and the smoke test.
 */
import type { ServerName } from './servers/index.ts';

export interface BenchConfig {
  readonly bigBytes: number;
  readonly smallFiles: number;
  readonly smallBytes: number;
  readonly listEntries: number;
  readonly listRepeat: number;
  readonly sessions: readonly number[];
  readonly tlsSessions: number;
  /** Servers that fork per session stop at this many idle sessions (each is a process or two). */
  readonly forkingSessionCap: number;
  readonly concurrent: number;
  readonly concurrentBytes: number;
  readonly rounds: number;
  readonly warmup: boolean;
  readonly iperfSeconds: number;
  /** Servers to run (default: all that are available). */
  readonly servers: readonly ServerName[] | undefined;
  /** Directory for .cpuprofile files of ftpkit's processes (`--cpu-prof`), or undefined. */
  readonly cpuProfileDir: string | undefined;
  readonly sampleTimeoutMs: number;
}

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

export const FULL: BenchConfig = {
  bigBytes: GiB,
  smallFiles: 1000,
  smallBytes: 4096,
  listEntries: 10_000,
  listRepeat: 5,
  sessions: [1000, 10_000],
  tlsSessions: 1000,
  forkingSessionCap: 1000,
  concurrent: 50,
  concurrentBytes: 100 * MiB,
  rounds: 3,
  warmup: true,
  iperfSeconds: 3,
  servers: undefined,
  cpuProfileDir: undefined,
  sampleTimeoutMs: 180_000,
};

export const QUICK: BenchConfig = {
  ...FULL,
  bigBytes: 32 * MiB,
  smallFiles: 50,
  listEntries: 1000,
  listRepeat: 3,
  sessions: [200],
  tlsSessions: 100,
  forkingSessionCap: 200,
  concurrent: 8,
  concurrentBytes: 8 * MiB,
  rounds: 2,
  iperfSeconds: 1,
  sampleTimeoutMs: 60_000,
};

/** "64MiB", "1GiB", "4096", "4KiB" → bytes. */
export function parseSize(text: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*(|B|KiB|MiB|GiB|K|M|G)$/i.exec(text.trim());
  if (!match) throw new Error(`not a size: ${text}`);
  const unit = match[2]!.toLowerCase();
  const factor = unit.startsWith('g') ? GiB : unit.startsWith('m') ? MiB : unit.startsWith('k') ? 1024 : 1;
  return Math.round(Number(match[1]) * factor);
}

export function formatBytes(bytes: number): string {
  if (bytes >= GiB && bytes % GiB === 0) return `${bytes / GiB} GiB`;
  if (bytes >= MiB && bytes % MiB === 0) return `${bytes / MiB} MiB`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes} B`;
}
