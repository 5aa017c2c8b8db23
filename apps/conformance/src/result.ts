/**
 * What a replay produces: one result per transcript and target, with the exchanged lines. The
 * reports (terminal, JUnit, HTML) read only these types.
 */
import type { Level, Transcript } from './format/types.js';

export type Status = 'pass' | 'fail' | 'n/a';

export interface ExchangeEntry {
  /** ms since the transcript started. */
  readonly at: number;
  /** C: client line, S: server reply, D: data connection, *: replayer note, !: the failure. */
  readonly kind: 'C' | 'S' | 'D' | '*' | '!';
  readonly text: string;
  /** The transcript line that produced it. */
  readonly line?: number;
}

export interface TranscriptResult {
  readonly id: string;
  readonly title: string;
  readonly rfc: string;
  readonly rfcNumber: number;
  readonly level: Level;
  readonly target: string;
  readonly status: Status;
  /** Why it failed or does not apply. */
  readonly reason?: string;
  /** The transcript line where it failed. */
  readonly failedLine?: number;
  /** A failure the transcript allows for this target, with the RFC text that allows it. */
  readonly justification?: string;
  readonly durationMs: number;
  readonly exchange: readonly ExchangeEntry[];
}

export interface TargetRun {
  readonly target: string;
  /** What was driven: a URL without the password, or a client command template. */
  readonly description: string;
  readonly results: readonly TranscriptResult[];
}

/** Failed MUST transcripts that no justification covers: what makes the CLI exit non-zero. */
export function unjustifiedMustFailures(run: TargetRun): TranscriptResult[] {
  return run.results.filter(
    (r) => r.status === 'fail' && r.level === 'MUST' && r.justification === undefined,
  );
}

export function counts(results: readonly TranscriptResult[]): {
  passed: number;
  failed: number;
  notApplicable: number;
} {
  let passed = 0;
  let failed = 0;
  let notApplicable = 0;
  for (const r of results) {
    if (r.status === 'pass') passed++;
    else if (r.status === 'fail') failed++;
    else notApplicable++;
  }
  return { passed, failed, notApplicable };
}

/** The fields every result of `transcript` against `target` starts with. */
export function resultBase(transcript: Transcript, target: string) {
  return {
    id: transcript.id,
    title: transcript.title,
    rfc: transcript.rfc,
    rfcNumber: transcript.rfcNumber,
    level: transcript.level,
    target,
  };
}

/**
 * The result of a replay that ran: pass, or fail with the reason, the failing line and the
 * transcript's justification for this target (if it has one). Both replayers end with it.
 */
export function finishedResult(
  transcript: Transcript,
  target: string,
  failure: { reason: string; line?: number } | undefined,
  started: number,
  exchange: readonly ExchangeEntry[],
): TranscriptResult {
  const base = resultBase(transcript, target);
  const durationMs = Date.now() - started;
  if (failure === undefined) return { ...base, status: 'pass', durationMs, exchange };
  const justification = transcript.justifications.find(
    (j) => j.targets.includes(target) || j.targets.includes('*'),
  );
  return {
    ...base,
    status: 'fail',
    reason: failure.reason,
    ...(failure.line === undefined ? {} : { failedLine: failure.line }),
    ...(justification === undefined ? {} : { justification: justification.text }),
    durationMs,
    exchange,
  };
}
