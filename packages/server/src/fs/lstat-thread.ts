/**
 * A helper thread that lstat's directory entries for `LocalFileSystem` listings.
 *
 * Why: an `lstat` is one system call of ~2 µs here, and a listing of 10,000 entries is bound by
 * them (Pure-FTPd and vsftpd pay the same calls, in C, one after the other). The thread pool does
 * not help — every promise or callback costs the main thread about as much as the call itself —
 * but a thread that runs a plain `lstatSync` loop over most of each batch and hands back one
 * packed `Float64Array` does: the main thread stats the rest meanwhile, and decoding the packed
 * results costs it a fraction of a µs per entry.
 *
 * One thread per process, shared by every LocalFileSystem and session, started by the first
 * large listing, `unref`'d (it never keeps the process alive) and ended after IDLE_MS without
 * work (the next large listing starts another): a server that listed once does not keep a thread
 * and its handles for good. Until it is online, while it has work queued for other listings, or
 * after it failed, `request` returns undefined and the caller stats everything itself: the helper
 * only ever adds speed, never a dependency.
 */
import { Worker } from 'node:worker_threads';

/** Slots per entry in a packed result. */
export const PACKED_STRIDE = 10;
/** Slot 0 of an entry: how its lstat went. */
export const PACKED_OK = 0;
/** Gone between readdir and lstat: the entry is simply not listed. */
export const PACKED_MISSING = 1;
/** Any other failure: the caller stats the entry itself and gets the real error. */
export const PACKED_RETRY = 2;
// Slots 1–9: mode, size, mtimeMs, birthtimeMs, nlink, uid, gid, dev, ino.

/** Most requests queued on the thread before callers stat on their own thread instead. */
const MAX_QUEUED = 2;
/** The thread ends after this long without a request (ms). */
const IDLE_MS = 2000;

// CommonJS source, run with `eval`: no file to resolve next to the build or the sources.
const SOURCE = `
const { parentPort } = require('node:worker_threads');
const { lstatSync } = require('node:fs');
const STRIDE = ${PACKED_STRIDE};
parentPort.on('message', ({ id, prefix, names }) => {
  const out = new Float64Array(names.length * STRIDE);
  for (let i = 0; i < names.length; i++) {
    const o = i * STRIDE;
    let s;
    try {
      s = lstatSync(prefix + names[i], { throwIfNoEntry: false });
    } catch {
      out[o] = ${PACKED_RETRY};
      continue;
    }
    if (s === undefined) {
      out[o] = ${PACKED_MISSING};
      continue;
    }
    out[o + 1] = s.mode;
    out[o + 2] = s.size;
    out[o + 3] = s.mtimeMs;
    out[o + 4] = s.birthtimeMs;
    out[o + 5] = s.nlink;
    out[o + 6] = s.uid;
    out[o + 7] = s.gid;
    out[o + 8] = s.dev;
    out[o + 9] = s.ino;
  }
  parentPort.postMessage({ id, out }, [out.buffer]);
});
`;

interface Reply {
  readonly id: number;
  readonly out: Float64Array;
}

export class LstatThread {
  static #shared: LstatThread | undefined;

  /** The process's helper thread, started on first use and again after it ended idle. */
  static shared(): LstatThread {
    if (LstatThread.#shared === undefined || LstatThread.#shared.#retired) {
      LstatThread.#shared = new LstatThread();
    }
    return LstatThread.#shared;
  }

  /** How long a thread waits for work before it ends (ms); tests shorten it. */
  static idleMs = IDLE_MS;

  /** Requests answered so far (tests read it to see the helper was used). */
  answered = 0;
  readonly #worker: Worker | undefined;
  readonly #waiting = new Map<number, (packed: Float64Array | undefined) => void>();
  #online = false;
  #broken = false;
  /** Ended because it was idle: `shared()` starts a new one (a broken one stays broken). */
  #retired = false;
  #nextId = 1;
  readonly #started: Promise<boolean>;
  #idleTimer: NodeJS.Timeout | undefined;

  private constructor() {
    let worker: Worker;
    try {
      // A plain lstat loop needs little heap; the caps keep a stray leak from growing the process.
      worker = new Worker(SOURCE, {
        eval: true,
        resourceLimits: { maxOldGenerationSizeMb: 16, maxYoungGenerationSizeMb: 4 },
      });
    } catch {
      this.#broken = true;
      this.#started = Promise.resolve(false);
      return;
    }
    this.#worker = worker;
    worker.unref();
    this.#started = new Promise((resolve) => {
      worker.once('online', () => {
        this.#online = true;
        resolve(true);
      });
      worker.once('exit', () => resolve(false));
    });
    worker.on('message', (reply: Reply) => {
      this.answered++;
      const resolve = this.#waiting.get(reply.id);
      this.#waiting.delete(reply.id);
      resolve?.(reply.out);
    });
    const fail = () => this.#fail();
    worker.once('error', fail);
    worker.once('exit', fail);
    this.#idleAgain();
  }

  /** Whether the thread ended (idle or failed): a new `shared()` call may start another. */
  get ended(): boolean {
    return this.#retired || this.#broken;
  }

  /** Resolves true once the thread takes work, false if it could not start. */
  online(): Promise<boolean> {
    return this.#started;
  }

  /**
   * Starts lstat'ing `prefix + name` for each name; resolves to PACKED_STRIDE slots per name, or
   * to undefined if the thread fails meanwhile. Returns undefined when the thread cannot take
   * the work now (not online yet, busy with other listings, failed): stat them yourself.
   */
  request(prefix: string, names: readonly string[]): Promise<Float64Array | undefined> | undefined {
    if (!this.#online || this.#broken || this.#retired || this.#waiting.size >= MAX_QUEUED) return undefined;
    const id = this.#nextId++;
    this.#idleAgain();
    return new Promise((resolve) => {
      this.#waiting.set(id, resolve);
      this.#worker!.postMessage({ id, prefix, names });
    });
  }

  /** (Re)starts the idle countdown: IDLE_MS after the last request, an idle thread ends. */
  #idleAgain(): void {
    if (this.#idleTimer !== undefined) clearTimeout(this.#idleTimer);
    this.#idleTimer = setTimeout(() => {
      this.#idleTimer = undefined;
      if (this.#waiting.size > 0) {
        this.#idleAgain();
        return;
      }
      this.#retired = true;
      void this.#worker?.terminate();
    }, LstatThread.idleMs);
    this.#idleTimer.unref();
  }

  #fail(): void {
    if (this.#idleTimer !== undefined) clearTimeout(this.#idleTimer);
    this.#idleTimer = undefined;
    if (!this.#retired) this.#broken = true;
    for (const resolve of this.#waiting.values()) resolve(undefined);
    this.#waiting.clear();
  }
}
