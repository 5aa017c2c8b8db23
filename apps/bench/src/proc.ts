/**
 * What the kernel knows about the processes we started: CPU seconds and resident memory of a
 * process group (a daemon and its per-session children), read from /proc.
 *
 * Owns: measuring, never signalling. CPU of a group = for every live member, utime + stime +
 * cutime + cstime (children that exited and were reaped are in their parent's cutime/cstime, so
 * forking daemons such as vsftpd and ProFTPD are measured whole). Differences of two snapshots are
 * what a measurement reports.
 */
import { readdirSync, readFileSync } from 'node:fs';

/** USER_HZ: Linux reports /proc/<pid>/stat times in clock ticks of 1/100 s on every common arch. */
const TICKS_PER_SECOND = 100;
const PAGE_SIZE = 4096;

interface ProcStat {
  readonly pid: number;
  readonly ppid: number;
  readonly pgrp: number;
  /** utime + stime + cutime + cstime, ticks. */
  readonly ticks: number;
  /** utime + stime, ticks (the process's own CPU). */
  readonly ownTicks: number;
  readonly rssPages: number;
}

function readStat(pid: number): ProcStat | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'latin1');
  } catch {
    return undefined;
  }
  // The command name (field 2) is in parentheses and may contain spaces: split after the last ')'.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3 (state): field N is fields[N - 3].
  const n = (field: number) => Number(fields[field - 3]);
  return {
    pid,
    ppid: n(4),
    pgrp: n(5),
    ticks: n(14) + n(15) + n(16) + n(17),
    ownTicks: n(14) + n(15),
    rssPages: n(24),
  };
}

function allStats(): ProcStat[] {
  const stats: ProcStat[] = [];
  for (const name of readdirSync('/proc')) {
    if (name.charCodeAt(0) < 48 || name.charCodeAt(0) > 57) continue;
    const stat = readStat(Number(name));
    if (stat !== undefined) stats.push(stat);
  }
  return stats;
}

/** The live members of the group led by `leader`, plus any descendant that left the group. */
export function groupMembers(leader: number): ProcStat[] {
  const stats = allStats();
  const members = new Map<number, ProcStat>();
  for (const s of stats) if (s.pgrp === leader || s.pid === leader) members.set(s.pid, s);
  // Descendants that called setsid/setpgid still belong to the server we started.
  let grew = true;
  while (grew) {
    grew = false;
    for (const s of stats) {
      if (!members.has(s.pid) && members.has(s.ppid)) {
        members.set(s.pid, s);
        grew = true;
      }
    }
  }
  return [...members.values()];
}

/** CPU seconds used so far by the group (live members and their reaped children). */
export function groupCpuSeconds(leader: number): number {
  let ticks = 0;
  for (const s of groupMembers(leader)) ticks += s.ticks;
  return ticks / TICKS_PER_SECOND;
}

/** Resident set size summed over the group's processes, bytes. */
export function groupRssBytes(leader: number): number {
  let pages = 0;
  for (const s of groupMembers(leader)) pages += s.rssPages;
  return pages * PAGE_SIZE;
}

/**
 * Proportional set size summed over the group (shared pages divided among their users), bytes;
 * undefined where smaps_rollup cannot be read. For forking daemons PSS is the honest per-session
 * figure: RSS would count the shared binary and libraries once per process.
 */
export function groupPssBytes(leader: number): number | undefined {
  let total = 0;
  for (const s of groupMembers(leader)) {
    try {
      const text = readFileSync(`/proc/${s.pid}/smaps_rollup`, 'latin1');
      const match = /^Pss:\s+(\d+) kB/m.exec(text);
      if (match) total += Number(match[1]) * 1024;
    } catch {
      // The process exited between the listing and the read.
    }
  }
  return total;
}

export function groupProcessCount(leader: number): number {
  return groupMembers(leader).length;
}

/**
 * CPU seconds of a server's processes over an interval, sampled every `intervalMs`.
 *
 * Why sampling: a forking daemon's session processes can outlive the parent that would reap
 * them (vsftpd's end up reaped by init), so their time never reaches the group's cutime. The meter
 * remembers each member's own utime + stime as last seen; a process that exits loses at most one
 * interval of CPU. Members present at the start count from their value then.
 */
export class CpuMeter {
  readonly #leader: number;
  readonly #first = new Map<number, number>();
  readonly #last = new Map<number, number>();
  readonly #timer: NodeJS.Timeout;

  constructor(leader: number, intervalMs = 50) {
    this.#leader = leader;
    for (const s of groupMembers(leader)) {
      this.#first.set(s.pid, s.ownTicks);
      this.#last.set(s.pid, s.ownTicks);
    }
    this.#timer = setInterval(() => this.#sample(), intervalMs);
    this.#timer.unref();
  }

  #sample(): void {
    for (const s of groupMembers(this.#leader)) {
      if (!this.#first.has(s.pid)) this.#first.set(s.pid, 0);
      this.#last.set(s.pid, s.ownTicks);
    }
  }

  /** Stops sampling; the CPU seconds used since construction. */
  stop(): number {
    this.#sample();
    clearInterval(this.#timer);
    let ticks = 0;
    for (const [pid, last] of this.#last) ticks += last - (this.#first.get(pid) ?? 0);
    return ticks / TICKS_PER_SECOND;
  }
}
