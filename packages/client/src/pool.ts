/**
 * A pool of up to N logged-in clients for parallel batches and trees.
 *
 * Owns: lending clients one task at a time (a connection is never shared by two tasks), creating
 * them lazily up to `size`, replacing one whose connection dropped (a fresh login on the next
 * borrow), and keeping failures isolated: a task's error rejects that task only, the other
 * connections carry on. A task that failed because its connection dropped is retried once on a
 * fresh connection when the operation can resume (local-file transfers).
 */
import { stat } from 'node:fs/promises';
import type { Readable, Writable } from 'node:stream';
import {
  Client,
  type OperationOptions,
  type TransferOptions,
  type TransferSummary,
  type UploadOptions,
} from './client.js';
import { abortedError, ClientError, ClientErrorCodes, invalidArgument, isAborted } from './errors.js';
import { type ClientOptions, parseFtpUrl } from './options.js';
import { downloadTreePlan, runTree, type TreeOptions, type TreeResult, uploadTreePlan } from './tree.js';

export interface PoolOptions extends ClientOptions {
  /** Most connections open at once. Default 4. */
  readonly size?: number;
}

interface Waiter {
  resolve(client: Client): void;
  reject(error: Error): void;
}

export class ClientPool {
  readonly size: number;
  readonly #options: ClientOptions;
  readonly #idle: Client[] = [];
  readonly #all = new Set<Client>();
  readonly #waiters: Waiter[] = [];
  #creating = 0;
  #closed = false;

  constructor(options: PoolOptions = {}) {
    const { size = 4, ...clientOptions } = options;
    if (!Number.isInteger(size) || size < 1 || size > 256)
      throw invalidArgument('size must be an integer 1-256');
    this.size = size;
    this.#options = clientOptions;
    // Validate now (habit 11), not on the first borrow.
    void new Client(clientOptions);
  }

  /** Connections currently open (idle or lent). */
  get open(): number {
    return this.#all.size;
  }

  /** Borrows a logged-in client for `fn`; it is returned to the pool (or replaced) afterwards. */
  async use<T>(fn: (client: Client) => Promise<T>, options: OperationOptions = {}): Promise<T> {
    const client = await this.#acquire(options.signal);
    try {
      return await fn(client);
    } finally {
      this.#release(client);
    }
  }

  download(
    remotePath: string,
    destination: string | Writable,
    options: TransferOptions = {},
  ): Promise<TransferSummary> {
    return this.#withRetry(typeof destination === 'string', options.signal, async (c, attempt) => {
      if (attempt === 0 || typeof destination !== 'string')
        return c.download(remotePath, destination, options);
      // A fresh connection after a drop: continue where the local file ends (REST).
      const have = await stat(destination).then(
        (s) => s.size,
        () => 0,
      );
      const start = Math.max(options.start ?? 0, have);
      const summary = await c.download(remotePath, destination, { ...options, start });
      return { bytes: summary.bytes + start - (options.start ?? 0) };
    });
  }

  upload(
    source: string | Readable,
    remotePath: string,
    options: UploadOptions = {},
  ): Promise<TransferSummary> {
    return this.#withRetry(typeof source === 'string', options.signal, (c) =>
      c.upload(source, remotePath, options),
    );
  }

  /** Downloads a remote tree with up to `size` files in flight. */
  async downloadDir(remoteDir: string, localDir: string, options: TreeOptions = {}): Promise<TreeResult> {
    const maxEntries = 1_000_000;
    const plan = await this.use(
      (c) => downloadTreePlan(c, remoteDir, localDir, maxEntries, options.signal),
      signalOnly(options.signal),
    );
    return runTree(plan, this.size, options, (file, fileOptions) =>
      this.download(file.remotePath, file.localPath, fileOptions),
    );
  }

  /** Uploads a local tree with up to `size` files in flight (directories are made first). */
  async uploadDir(localDir: string, remoteDir: string, options: TreeOptions = {}): Promise<TreeResult> {
    const plan = await uploadTreePlan(localDir, remoteDir, 1_000_000);
    await this.use(async (c) => {
      for (const dir of plan.dirs) await c.mkdir(dir, { recursive: true, ...signalOnly(options.signal) });
    }, signalOnly(options.signal));
    return runTree(plan, this.size, options, (file, fileOptions) =>
      this.upload(file.localPath, file.remotePath, fileOptions),
    );
  }

  /** Closes every connection (waiting for lent ones to come back is the caller's business). */
  async close(): Promise<void> {
    this.#closed = true;
    for (const waiter of this.#waiters.splice(0)) {
      waiter.reject(new ClientError(ClientErrorCodes.CONNECTION_CLOSED, 'The pool is closed'));
    }
    const all = [...this.#all];
    this.#all.clear();
    this.#idle.length = 0;
    await Promise.all(all.map((c) => c.close()));
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  async #withRetry<T>(
    resumable: boolean,
    signal: AbortSignal | undefined,
    fn: (client: Client, attempt: number) => Promise<T>,
  ): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      let lost = false;
      try {
        return await this.use(async (client) => {
          try {
            return await fn(client, attempt);
          } catch (error) {
            lost = !client.connected;
            throw error;
          }
        }, signalOnly(signal));
      } catch (error) {
        // Once more on a fresh connection (a new login): downloads to a path resume from the
        // local size; uploads start over (STOR replaces the partial remote file).
        if (!resumable || !lost || attempt >= 1 || isAborted(signal) || this.#closed) throw error;
      }
    }
  }

  async #acquire(signal: AbortSignal | undefined): Promise<Client> {
    if (this.#closed) throw new ClientError(ClientErrorCodes.CONNECTION_CLOSED, 'The pool is closed');
    if (isAborted(signal)) throw abortedError(signal, 'Pool borrow');
    for (;;) {
      const idle = this.#idle.pop();
      if (idle === undefined) break;
      if (idle.connected) return idle;
      this.#discard(idle);
    }
    if (this.#all.size + this.#creating < this.size) {
      this.#creating++;
      const client = new Client(this.#options);
      try {
        await client.connect(signalOnly(signal));
      } catch (error) {
        await client.close();
        throw error;
      } finally {
        this.#creating--;
      }
      this.#all.add(client);
      return client;
    }
    return new Promise<Client>((resolve, reject) => {
      const waiter: Waiter = { resolve, reject };
      this.#waiters.push(waiter);
      signal?.addEventListener(
        'abort',
        () => {
          const i = this.#waiters.indexOf(waiter);
          if (i !== -1) this.#waiters.splice(i, 1);
          reject(abortedError(signal, 'Pool borrow'));
        },
        { once: true },
      );
    });
  }

  #release(client: Client): void {
    if (this.#closed) {
      void client.close();
      return;
    }
    if (!client.connected) {
      this.#discard(client);
      // A waiter gets a fresh connection in place of the dropped one.
      const waiter = this.#waiters.shift();
      if (waiter !== undefined) this.#acquire(undefined).then(waiter.resolve, waiter.reject);
      return;
    }
    const waiter = this.#waiters.shift();
    if (waiter !== undefined) waiter.resolve(client);
    else this.#idle.push(client);
  }

  #discard(client: Client): void {
    this.#all.delete(client);
    void client.close();
  }
}

/** A pool from a URL or options: `createPool('ftp://u:p@host', { size: 4 })`. */
export function createPool(target: string | URL | PoolOptions = {}, options: PoolOptions = {}): ClientPool {
  const base = typeof target === 'string' || target instanceof URL ? parseFtpUrl(target).options : target;
  return new ClientPool({ ...base, ...options });
}

function signalOnly(signal: AbortSignal | undefined): OperationOptions {
  return signal === undefined ? {} : { signal };
}
