/**
 * Failed-login throttling per client IP: a delay that doubles per failure and a temporary ban.
 *
 * Owns: the per-IP failure counters, the delay schedule and the ban list. No timers: entries
 * expire lazily when looked at, and the table is capped so a spray of addresses cannot grow it
 * without bound (the oldest entry is evicted first).
 *
 * Why per IP and not per user name: a per-user lock-out lets anyone lock a victim out, and
 * per-user state would reveal which names exist. pyftpdlib delays per attempt; vsftpd delays a
 * fixed time; fail2ban bans per IP. We do the delay (growing: 1 s, 2 s, 4 s, ... capped) and the
 * ban, both configurable (`limits.loginDelay`, `limits.ban`).
 */

interface Entry {
  failures: number;
  lastFailure: number;
  bannedUntil: number;
}

export interface LoginGuardOptions {
  readonly delay: { readonly base: number; readonly max: number } | false;
  readonly ban: { readonly after: number; readonly duration: number } | false;
  /** Most IPs tracked at once. Default 10 000. */
  readonly maxEntries?: number;
  /** Clock, for tests. Default Date.now. */
  readonly now?: () => number;
}

export interface FailureOutcome {
  /** Consecutive failures of this IP, this one included. */
  readonly attempts: number;
  /** How long to wait before answering 530, ms. */
  readonly delay: number;
  /** True when this failure started a ban. */
  readonly banned: boolean;
}

export class LoginGuard {
  readonly #entries = new Map<string, Entry>();
  readonly #options: LoginGuardOptions;
  readonly #now: () => number;
  readonly #maxEntries: number;

  constructor(options: LoginGuardOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
    this.#maxEntries = options.maxEntries ?? 10_000;
  }

  /** True while `ip` is banned. */
  isBanned(ip: string): boolean {
    const entry = this.#lookup(ip);
    return entry !== undefined && entry.bannedUntil > this.#now();
  }

  /** Records a failed login from `ip` and says how to answer it. */
  recordFailure(ip: string): FailureOutcome {
    const now = this.#now();
    let entry = this.#lookup(ip);
    if (entry === undefined) {
      if (this.#entries.size >= this.#maxEntries) {
        const oldest = this.#entries.keys().next();
        if (oldest.done !== true) this.#entries.delete(oldest.value);
      }
      entry = { failures: 0, lastFailure: now, bannedUntil: 0 };
    } else {
      this.#entries.delete(ip); // re-insert: Map order is the eviction order
    }
    entry.failures++;
    entry.lastFailure = now;
    this.#entries.set(ip, entry);
    const { delay, ban } = this.#options;
    const wait =
      delay === false ? 0 : Math.min(delay.max, delay.base * 2 ** Math.min(entry.failures - 1, 30));
    let banned = false;
    if (ban !== false && entry.failures >= ban.after && entry.bannedUntil <= now) {
      entry.bannedUntil = now + ban.duration;
      banned = true;
    }
    return { attempts: entry.failures, delay: wait, banned };
  }

  /** A successful login clears the IP's record. */
  recordSuccess(ip: string): void {
    this.#entries.delete(ip);
  }

  #lookup(ip: string): Entry | undefined {
    const entry = this.#entries.get(ip);
    if (entry === undefined) return undefined;
    // Forget an IP whose ban ran out and that has been quiet for a ban's length (or 15 min).
    const now = this.#now();
    const quiet = this.#options.ban === false ? 900_000 : this.#options.ban.duration;
    if (entry.bannedUntil <= now && now - entry.lastFailure > quiet) {
      this.#entries.delete(ip);
      return undefined;
    }
    if (entry.bannedUntil !== 0 && entry.bannedUntil <= now) {
      // Ban served: start counting afresh.
      entry.bannedUntil = 0;
      entry.failures = 0;
    }
    return entry;
  }
}
