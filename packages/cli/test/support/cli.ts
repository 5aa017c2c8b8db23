/**
 * Running the real `ftpkit` process: `node --conditions=@ftpkit/source --import tsx src/bin.ts`,
 * so tests exercise the current source the way a user's shell does (argv, exit code, stdout,
 * stderr, signals). Every process is started here and stopped by its own PID only.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const PACKAGE_DIR = fileURLToPath(new URL('../../', import.meta.url));
export const BIN_SOURCE = fileURLToPath(new URL('../../src/bin.ts', import.meta.url));
const TSX_LOADER = new URL('../../../../node_modules/tsx/dist/loader.mjs', import.meta.url).href;

export const SOURCE_COMMAND: readonly string[] = [
  '--conditions=@ftpkit/source',
  `--import=${TSX_LOADER}`,
  BIN_SOURCE,
];

export interface CliResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly stdoutBuffer: Buffer;
}

export interface RunOptions {
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
  readonly input?: Buffer | string;
  /** Kill (SIGKILL, this PID only) after this long. Default 45 s. */
  readonly timeoutMs?: number;
  /** Run this node script instead of the source entry (the built dist/bin.js). */
  readonly script?: readonly string[];
}

const live = new Set<ChildProcess>();

/** Environment for the child: no FTPKIT_PASSWORD unless the test sets it. */
function childEnv(extra: NodeJS.ProcessEnv | undefined): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.FTPKIT_PASSWORD;
  delete env.NODE_OPTIONS;
  return { ...env, ...extra };
}

export function runCli(args: readonly string[], options: RunOptions = {}): Promise<CliResult> {
  return spawnCollect(process.execPath, [...(options.script ?? SOURCE_COMMAND), ...args], options);
}

function spawnCollect(command: string, args: readonly string[], options: RunOptions): Promise<CliResult> {
  const child = spawn(command, args, {
    cwd: options.cwd ?? PACKAGE_DIR,
    env: childEnv(options.env),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  live.add(child);
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout.on('data', (c: Buffer) => out.push(c));
  child.stderr.on('data', (c: Buffer) => err.push(c));
  child.stdin.on('error', () => {});
  child.stdin.end(options.input ?? '');
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 45_000);
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      live.delete(child);
      const stdoutBuffer = Buffer.concat(out);
      resolve({
        code,
        signal,
        stdout: stdoutBuffer.toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
        stdoutBuffer,
      });
    });
  });
}

export interface ServeProcess {
  readonly child: ChildProcess;
  readonly pid: number;
  readonly port: number;
  /** The start-up banner (stdout up to "Press Ctrl+C"). */
  readonly banner: string;
  stdout(): string;
  stderr(): string;
  /** Sends `signal` to this PID and resolves with the exit code (SIGKILL after `graceMs`). */
  stop(
    signal?: NodeJS.Signals,
    graceMs?: number,
  ): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts `ftpkit serve ARGS` and resolves once it printed its banner (the port is read from it). */
export function startServe(args: readonly string[], options: RunOptions = {}): Promise<ServeProcess> {
  const child = spawn(process.execPath, [...(options.script ?? SOURCE_COMMAND), 'serve', ...args], {
    cwd: options.cwd ?? PACKAGE_DIR,
    env: childEnv(options.env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  live.add(child);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => {
    stdout += c.toString('utf8');
  });
  child.stderr.on('data', (c: Buffer) => {
    stderr += c.toString('utf8');
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => {
      live.delete(child);
      resolve({ code, signal });
    });
  });
  const stop = async (signal: NodeJS.Signals = 'SIGTERM', graceMs = 15_000) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    const result = await exited;
    clearTimeout(timer);
    return result;
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(async () => {
      await stop('SIGKILL');
      reject(new Error(`serve did not start within 30 s\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, options.timeoutMs ?? 30_000);
    const onData = () => {
      if (!stdout.includes('Press Ctrl+C')) return;
      const match = /on \S+:(\d+)\n/.exec(stdout);
      clearTimeout(timer);
      child.stdout.off('data', onData);
      if (match === null) {
        reject(new Error(`no port in the banner: ${stdout}`));
        return;
      }
      resolve({
        child,
        pid: child.pid!,
        port: Number(match[1]),
        banner: stdout,
        stdout: () => stdout,
        stderr: () => stderr,
        stop,
      });
    };
    child.stdout.on('data', onData);
    void exited.then(({ code }) => {
      clearTimeout(timer);
      reject(new Error(`serve exited with ${code} before start-up\nstdout: ${stdout}\nstderr: ${stderr}`));
    });
  });
}

/** SIGKILLs every process this module started that is still running (afterAll safety net). */
export function killLeftovers(): void {
  for (const child of live) child.kill('SIGKILL');
}

/** True while a process with this PID exists. */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export function sha256(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

export function sha256File(path: string): string {
  return sha256(readFileSync(path));
}

/** Runs a program (curl, ...) with a time limit, resolving with its output and exit code. */
export function runProgram(
  command: string,
  args: readonly string[],
  options: RunOptions = {},
): Promise<CliResult> {
  return spawnCollect(command, args, options);
}
