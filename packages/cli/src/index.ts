/**
 * @ftpkit/cli — the `ftpkit` command. The executable is `bin.js`; this entry point exposes the
 * same command to programs and tests: `await main(['ls', url], io)` resolves with the exit code.
 */
export type { Command } from './commands/command.js';
export {
  CliError,
  describeFailure,
  EXIT_CODES,
  type ExitCode,
  type FailureDescription,
  UsageError,
} from './exit-codes.js';
export { type CliIo, processIo } from './io.js';
export { COMMANDS, type CommandEntry, main, mainHelp } from './main.js';
export { formatBytes, formatProgressLine, type ProgressSample } from './progress.js';
export {
  loadServeConfig,
  resolveServeSettings,
  type ServeConfig,
  type ServeSettings,
} from './serve/config.js';
export { createJsonLogger, LOG_LEVELS, type LogLevel } from './serve/logger.js';
export { VERSION } from './version.js';
