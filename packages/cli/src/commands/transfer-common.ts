/** What `get`, `put` and `mirror` share: progress wiring and the summary line. */
import type { TransferProgress } from '@ftpkit/client';
import type { CliIo } from '../io.js';
import { note } from '../io.js';
import { createProgressBar, formatBytes, type ProgressBar } from '../progress.js';

export function fileProgress(
  io: CliIo,
  quiet: boolean,
  label: string,
): { bar: ProgressBar; onProgress: ((p: TransferProgress) => void) | undefined } {
  const bar = createProgressBar(io, quiet);
  const onProgress =
    quiet || io.stderr.isTTY !== true
      ? undefined
      : (p: TransferProgress) => bar.update({ label, done: p.offset + p.bytes, total: p.total });
  return { bar, onProgress };
}

export function summary(io: CliIo, quiet: boolean, what: string, bytes: number, started: number): void {
  if (quiet) return;
  const seconds = Math.max(0.001, (Date.now() - started) / 1000);
  note(
    io,
    `${what}: ${formatBytes(bytes)} in ${seconds.toFixed(seconds < 10 ? 2 : 1)} s (${formatBytes(Math.round(bytes / seconds))}/s)`,
  );
}
