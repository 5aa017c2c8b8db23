/**
 * What a command talks to: its output streams, environment and working directory. `bin.ts`
 * passes the real process's; keeping them in one object keeps commands free of globals.
 */
import type { Readable, Writable } from 'node:stream';

export interface CliIo {
  readonly stdout: Writable & { isTTY?: boolean };
  readonly stderr: Writable & { isTTY?: boolean; columns?: number };
  readonly stdin: Readable;
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
  /** Aborted on SIGINT/SIGTERM: transfers send ABOR and the command exits 130. */
  readonly signal: AbortSignal;
}

export function processIo(signal: AbortSignal): CliIo {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
    cwd: process.cwd(),
    signal,
  };
}

/** Writes a line to stderr (messages, summaries; never to stdout, which carries data). */
export function note(io: CliIo, line: string): void {
  io.stderr.write(`${line}\n`);
}
