/**
 * The leak check (STYLE habit 14): snapshot active handles and open file descriptors before a
 * test, and after it wait (briefly) for them to return to the baseline. A test that leaves a
 * socket, a listener or a timer behind fails with the list of what is left.
 */
import { readdirSync } from 'node:fs';

/** Open file descriptors of this process (Linux /proc; -1 elsewhere). */
export function fdCount(): number {
  try {
    return readdirSync('/proc/self/fd').length;
  } catch {
    return -1;
  }
}

interface ProcessWithHandles {
  _getActiveHandles(): unknown[];
}

function handles(): unknown[] {
  return (process as unknown as ProcessWithHandles)._getActiveHandles();
}

function describe(handle: unknown): string {
  const h = handle as { constructor?: { name?: string }; remoteAddress?: string; localPort?: number };
  const name = h.constructor?.name ?? typeof handle;
  if (name === 'Socket' || name === 'TLSSocket')
    return `${name}(${h.remoteAddress ?? '?'}:${h.localPort ?? '?'})`;
  if (name === 'Server') {
    const address = (handle as { address(): unknown }).address();
    return `Server(${JSON.stringify(address)})`;
  }
  return name;
}

export interface HandleTracker {
  /** Waits up to `settleMs` for handles and fds to return to the baseline; throws if they do not. */
  assertNoLeaks(settleMs?: number): Promise<void>;
}

/** Call before the test body (e.g. in beforeEach), then `assertNoLeaks()` after it. */
export function trackHandles(): HandleTracker {
  const before = new Set(handles());
  const fdsBefore = fdCount();
  return {
    async assertNoLeaks(settleMs = 1000) {
      const deadline = Date.now() + settleMs;
      for (;;) {
        const extra = handles().filter((h) => !before.has(h));
        const fds = fdCount();
        const fdLeak = fdsBefore !== -1 && fds > fdsBefore;
        if (extra.length === 0 && !fdLeak) return;
        if (Date.now() >= deadline) {
          throw new Error(
            `Leaked ${extra.length} handle(s) [${extra.map(describe).join(', ')}]; fds ${fdsBefore} -> ${fds}`,
          );
        }
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    },
  };
}
