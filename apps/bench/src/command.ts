/**
 * Running a client program once: wall time from spawn to exit, and its CPU seconds.
 *
 * Why bash: Node does not expose a child's rusage, but bash's `times` builtin prints the user and
 * system time of the children it waited for, so `"$@"; times` gives the client's CPU seconds
 * exactly. The wrapper runs in its own process group and is killed (group, by PID) at the deadline.
 */
import { spawn } from 'node:child_process';

export interface CommandResult {
  readonly seconds: number;
  readonly cpuSeconds: number;
  readonly stdout: string;
  readonly stderr: string;
}

const TIMES = /(\d+)m([\d.]+)s (\d+)m([\d.]+)s\s*\n(\d+)m([\d.]+)s (\d+)m([\d.]+)s\s*$/;

export function runCommand(
  command: string,
  args: readonly string[],
  options: { timeoutMs: number; env?: NodeJS.ProcessEnv; cwd?: string },
): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn('bash', ['-c', '"$@"; rc=$?; times; exit $rc', 'bench', command, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
      env: options.env ?? process.env,
      cwd: options.cwd,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => {
      if (stdout.length < 1 << 20) stdout += c.toString('utf8');
    });
    child.stderr.on('data', (c: Buffer) => {
      if (stderr.length < 1 << 16) stderr += c.toString('utf8');
    });
    const timer = setTimeout(() => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }, options.timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const seconds = (performance.now() - start) / 1000;
      const match = TIMES.exec(stdout);
      const cpu = match
        ? Number(match[5]) * 60 + Number(match[6]) + Number(match[7]) * 60 + Number(match[8])
        : Number.NaN;
      const out = match ? stdout.slice(0, match.index) : stdout;
      if (code !== 0) {
        const why =
          signal === 'SIGKILL' ? `timed out after ${options.timeoutMs} ms` : `exit ${code ?? signal}`;
        reject(new Error(`${command} ${why}: ${stderr.trim().split('\n').slice(-3).join(' | ')}`));
        return;
      }
      resolve({ seconds, cpuSeconds: cpu, stdout: out, stderr });
    });
  });
}
