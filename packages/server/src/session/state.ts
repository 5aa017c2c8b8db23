/**
 * The session's login/transfer state machine (STYLE habit 9): one union of states, one table of
 * transitions, nothing else. `STATE-MACHINE.md` beside this file draws the same table; a test
 * (test/state-machine.test.ts) reads the diagram and compares it with `SESSION_TRANSITIONS`, so
 * the two cannot drift apart.
 *
 * Owns: `SessionState`, `SessionEvent`, `SESSION_TRANSITIONS`, `nextState`. Pure: no I/O.
 *
 * The per-session *settings* (TYPE, PROT, REST offset, cwd, ...) are not states: they are values
 * any state may carry. States are what decides which commands may run:
 * - `awaiting-user`     connected (or after REIN / a failed PASS); HOST, USER, AUTH, FEAT, ...
 * - `awaiting-password` USER accepted; PASS expected (RFC 959 §5.4: 331 → PASS)
 * - `ready`             logged in
 * - `rename-pending`    RNFR accepted; RNTO must come next (RFC 959 §4.1.3), anything else cancels
 * - `transferring`      a data transfer runs; only ABOR, STAT and NOOP are answered at once,
 *                       anything else waits for the transfer's end (RFC 959 §4.1.3, §5.4)
 * - `closing`           QUIT received, the connection dropped, or the server is shutting down
 */

export type SessionState =
  | 'awaiting-user'
  | 'awaiting-password'
  | 'ready'
  | 'rename-pending'
  | 'transferring'
  | 'closing';

export type SessionEvent =
  | 'host'
  | 'user'
  | 'login'
  | 'login-failed'
  | 'rein'
  | 'rnfr'
  | 'rnto'
  | 'other-command'
  | 'transfer-start'
  | 'transfer-end'
  | 'quit'
  | 'disconnect';

export const SESSION_STATES: readonly SessionState[] = [
  'awaiting-user',
  'awaiting-password',
  'ready',
  'rename-pending',
  'transferring',
  'closing',
];

/** THE transition table. A missing entry is an illegal transition (a bug, not a client error). */
export const SESSION_TRANSITIONS: Readonly<
  Record<SessionState, Readonly<Partial<Record<SessionEvent, SessionState>>>>
> = {
  'awaiting-user': {
    host: 'awaiting-user',
    user: 'awaiting-password',
    rein: 'awaiting-user',
    quit: 'closing',
    disconnect: 'closing',
  },
  'awaiting-password': {
    user: 'awaiting-password',
    login: 'ready',
    'login-failed': 'awaiting-user',
    rein: 'awaiting-user',
    quit: 'closing',
    disconnect: 'closing',
  },
  ready: {
    rnfr: 'rename-pending',
    'transfer-start': 'transferring',
    rein: 'awaiting-user',
    quit: 'closing',
    disconnect: 'closing',
  },
  'rename-pending': {
    rnfr: 'rename-pending',
    rnto: 'ready',
    'other-command': 'ready',
    rein: 'awaiting-user',
    quit: 'closing',
    disconnect: 'closing',
  },
  transferring: {
    'transfer-end': 'ready',
    disconnect: 'closing',
  },
  closing: {
    disconnect: 'closing',
  },
};

/** The state after `event`, or `undefined` when the table has no such transition. */
export function nextState(state: SessionState, event: SessionEvent): SessionState | undefined {
  return SESSION_TRANSITIONS[state][event];
}
