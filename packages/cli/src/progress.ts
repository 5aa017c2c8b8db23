/**
 * The progress bar: one line on stderr, redrawn in place, only when stderr is a terminal (and
 * not `--quiet`). When stderr is a pipe or a file nothing is drawn, so logs and scripts never see
 * carriage returns.
 *
 * Owns: the decision to draw, the throttle, and `formatProgressLine` (pure, unit-tested).
 */
import type { CliIo } from './io.js';

export interface ProgressSample {
  /** What is moving: a file name, or `3/10 files` for a tree. */
  readonly label: string;
  /** Bytes done so far, counting a resume offset. */
  readonly done: number;
  /** Whole size when known. */
  readonly total: number | undefined;
  /** Bytes per second, when it can be told. */
  readonly rate: number | undefined;
}

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

/** `1536` → `1.5 KiB`. */
export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(value < 10 ? 2 : 1)} ${UNITS[unit]}`;
}

function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '--:--';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`;
}

/** One line of at most `width` columns: label, percentage, bar, bytes, rate, ETA. */
export function formatProgressLine(sample: ProgressSample, width: number): string {
  const known = sample.total !== undefined && sample.total > 0;
  const fraction = known ? Math.min(1, sample.done / sample.total!) : undefined;
  const percent = fraction === undefined ? '' : `${String(Math.floor(fraction * 100)).padStart(3)}%`;
  const amount = known
    ? `${formatBytes(sample.done)}/${formatBytes(sample.total!)}`
    : formatBytes(sample.done);
  const rate = sample.rate === undefined ? '' : `${formatBytes(Math.round(sample.rate))}/s`;
  const eta =
    known && sample.rate !== undefined && sample.rate > 0
      ? `ETA ${formatDuration((sample.total! - sample.done) / sample.rate)}`
      : '';
  const tail = [amount, rate, eta].filter((s) => s !== '').join('  ');
  const barWidth = fraction === undefined ? 0 : Math.max(0, Math.min(30, width - tail.length - 24));
  let bar = '';
  if (barWidth >= 5 && fraction !== undefined) {
    const filled = Math.round(fraction * barWidth);
    bar = `[${'='.repeat(filled)}${' '.repeat(barWidth - filled)}]`;
  }
  const fixed = [percent, bar, tail].filter((s) => s !== '').join(' ');
  const room = Math.max(8, width - fixed.length - 2);
  const label = sample.label.length > room ? `…${sample.label.slice(-(room - 1))}` : sample.label;
  return `${label}  ${fixed}`.slice(0, width);
}

export interface ProgressBar {
  update(sample: Omit<ProgressSample, 'rate'>): void;
  /** Clears the line (before a message or at the end). */
  clear(): void;
}

const NONE: ProgressBar = { update() {}, clear() {} };

/** A bar on stderr when it is a TTY and not quiet; otherwise one that does nothing. */
export function createProgressBar(io: CliIo, quiet: boolean): ProgressBar {
  if (quiet || io.stderr.isTTY !== true) return NONE;
  const stderr = io.stderr;
  const started = Date.now();
  let firstDone: number | undefined;
  let lastDraw = 0;
  let drawn = false;
  return {
    update(sample) {
      const now = Date.now();
      firstDone ??= sample.done;
      if (now - lastDraw < 100) return;
      lastDraw = now;
      const elapsed = (now - started) / 1000;
      const rate = elapsed > 0.2 ? (sample.done - firstDone) / elapsed : undefined;
      const width = Math.max(40, (stderr.columns || 80) - 1);
      stderr.write(`\r${formatProgressLine({ ...sample, rate }, width).padEnd(width)}`);
      drawn = true;
    },
    clear() {
      if (!drawn) return;
      const width = Math.max(40, (stderr.columns || 80) - 1);
      stderr.write(`\r${' '.repeat(width)}\r`);
      drawn = false;
    },
  };
}
