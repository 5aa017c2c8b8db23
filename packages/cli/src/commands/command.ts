/** The shape of one `ftpkit` subcommand: its help and its runner (which returns the exit code). */
import type { CliIo } from '../io.js';

export interface Command {
  readonly name: string;
  /** One line for `ftpkit --help`. */
  readonly summary: string;
  /** The full `ftpkit NAME --help` text. */
  readonly help: string;
  run(args: readonly string[], io: CliIo): Promise<number>;
}
