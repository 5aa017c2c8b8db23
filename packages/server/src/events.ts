/**
 * The server's typed events: audit records for logins, transfers and file operations.
 *
 * Owns: `ServerEvents` (event name → payload type) and `TypedEmitter`, a thin typed facade over
 * Node's EventEmitter. One deliberate difference: emitting `error` without a listener does not
 * throw (a library must not crash its host because nobody subscribed to errors).
 *
 * Every payload carries the session id and remote address; transfer and file events carry the
 * user, the virtual path, and where relevant bytes and duration (ms). Upload outcomes are
 * distinct events so an application can process a file only when it is whole: `upload` (226 sent,
 * file committed), `upload-aborted` (client ABOR), `upload-connection-lost` (data connection
 * reset / stalled / TLS failure) and `upload-failed` (storage refused the bytes, e.g. disk full).
 */

import { EventEmitter } from 'node:events';

export interface SessionEventBase {
  /** Per-server sequential id of the control connection. */
  readonly sessionId: number;
  readonly remoteAddress: string;
}

export interface UserEventBase extends SessionEventBase {
  readonly user: string;
}

export interface TransferEvent extends UserEventBase {
  readonly path: string;
  /** Bytes that crossed the data connection. */
  readonly bytes: number;
  /** Milliseconds from the data command to its final reply. */
  readonly duration: number;
  /** REST offset the transfer started from (0 when none). */
  readonly offset: number;
  readonly mode: 'store' | 'append' | 'unique' | 'retrieve';
}

export interface TransferFailureEvent extends TransferEvent {
  /** Reply code sent to the client (426, 451, 452, 522, 552, ...). */
  readonly replyCode: number;
  readonly error: unknown;
}

export interface ServerEvents {
  /** A control connection was accepted (before the greeting). */
  connect: SessionEventBase;
  /** A connection refused before the greeting (421): limits or ban. */
  reject: SessionEventBase & {
    readonly reason: 'max-sessions' | 'max-sessions-per-ip' | 'banned' | 'closing';
  };
  /** A control connection ended. */
  disconnect: SessionEventBase & { readonly duration: number };
  login: UserEventBase & { readonly anonymous: boolean; readonly secure: boolean };
  'login-failed': SessionEventBase & {
    readonly user: string;
    /** Consecutive failures from this IP, this one included. */
    readonly attempts: number;
    /** Delay applied before the 530 reply, ms. */
    readonly delay: number;
    /** True when this failure started a ban of the IP. */
    readonly banned: boolean;
  };
  logout: UserEventBase & { readonly duration: number };
  upload: TransferEvent;
  'upload-aborted': TransferFailureEvent;
  'upload-connection-lost': TransferFailureEvent;
  'upload-failed': TransferFailureEvent;
  download: TransferEvent;
  'download-failed': TransferFailureEvent;
  delete: UserEventBase & { readonly path: string };
  rename: UserEventBase & { readonly from: string; readonly to: string };
  mkdir: UserEventBase & { readonly path: string };
  rmdir: UserEventBase & { readonly path: string };
  /** An unexpected failure (a bug or a broken backend); the session answered 451 or closed. */
  error: Partial<SessionEventBase> & { readonly error: unknown };
}

export type ServerEventName = keyof ServerEvents;

/** An EventEmitter with a typed event map. */
export class TypedEmitter<Events extends object> {
  readonly #emitter = new EventEmitter();

  on<K extends keyof Events & string>(event: K, listener: (payload: Events[K]) => void): this {
    this.#emitter.on(event, listener as (payload: unknown) => void);
    return this;
  }

  once<K extends keyof Events & string>(event: K, listener: (payload: Events[K]) => void): this {
    this.#emitter.once(event, listener as (payload: unknown) => void);
    return this;
  }

  off<K extends keyof Events & string>(event: K, listener: (payload: Events[K]) => void): this {
    this.#emitter.off(event, listener as (payload: unknown) => void);
    return this;
  }

  listenerCount<K extends keyof Events & string>(event: K): number {
    return this.#emitter.listenerCount(event);
  }

  /** Emits `payload`; a listener that throws is reported on `error` (never breaks the session). */
  emit<K extends keyof Events & string>(event: K, payload: Events[K]): boolean {
    if (this.#emitter.listenerCount(event) === 0) return false;
    try {
      return this.#emitter.emit(event, payload);
    } catch (error) {
      if (event !== 'error' && this.#emitter.listenerCount('error') > 0)
        this.#emitter.emit('error', { error });
      return true;
    }
  }
}
