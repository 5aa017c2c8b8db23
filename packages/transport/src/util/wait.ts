/**
 * Bounded waiting: every wait in the transport has a timeout and honours an AbortSignal.
 *
 * Owns: `deadline()`, which turns (timeout, signal) into one cleanup-able guard. Nothing in the
 * transport awaits an event without one: an unanswered peer must never hold a socket, a port of
 * the passive range or a promise forever.
 */
import { TransportError, TransportErrorCodes } from '../errors.js';

export interface Deadline {
  /** Rejects when the time runs out or the signal aborts; never settles otherwise. */
  readonly promise: Promise<never>;
  /** Clears the timer and the abort listener. Idempotent. */
  dispose(): void;
}

/**
 * A guard for one wait. `timeoutMs` of 0 or Infinity means no timer (the signal still applies).
 * `onFire` runs before the rejection so the owner can destroy what it was waiting on.
 */
export function deadline(
  timeoutMs: number,
  signal: AbortSignal | undefined,
  what: string,
  onFire?: (error: TransportError) => void,
): Deadline {
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  let fail!: (error: TransportError) => void;
  const promise = new Promise<never>((_, reject) => {
    fail = reject;
  });
  // The guard's promise is usually raced and then dropped; it must never count as unhandled.
  promise.catch(() => {});
  const dispose = () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    if (onAbort !== undefined) signal?.removeEventListener('abort', onAbort);
    onAbort = undefined;
  };
  const fire = (error: TransportError) => {
    dispose();
    onFire?.(error);
    fail(error);
  };
  if (signal?.aborted) {
    queueMicrotask(() => fire(abortError(signal, what)));
    return { promise, dispose };
  }
  if (timeoutMs > 0 && Number.isFinite(timeoutMs)) {
    timer = setTimeout(
      () => fire(new TransportError(TransportErrorCodes.TIMEOUT, `${what} timed out after ${timeoutMs} ms`)),
      timeoutMs,
    );
    timer.unref?.();
  }
  if (signal !== undefined) {
    onAbort = () => fire(abortError(signal, what));
    signal.addEventListener('abort', onAbort, { once: true });
  }
  return { promise, dispose };
}

export function abortError(signal: AbortSignal | undefined, what: string): TransportError {
  return new TransportError(TransportErrorCodes.ABORTED, `${what} was aborted`, { cause: signal?.reason });
}

export function assertTimeout(name: string, value: number | undefined, fallback: number): number {
  const v = value ?? fallback;
  if (typeof v !== 'number' || Number.isNaN(v) || v < 0) {
    throw new TransportError(
      TransportErrorCodes.INVALID_ARGUMENT,
      `${name} must be a non-negative number of ms (0 = none)`,
    );
  }
  return v;
}
