/**
 * The logger contract every ftpkit package takes: a structural subset of pino's, so a pino logger
 * can be passed as is. It lives here, the lowest package with I/O, so that the server and the
 * client share one definition (each re-exports it).
 *
 * Owns: `Logger` and `silentLogger`. The library never logs by default (silent); the CLI passes
 * a real logger. Log objects first, message second (pino's order), never secrets: callers redact
 * passwords before logging.
 */

export type LogFn = (obj: object, msg?: string) => void;

export interface Logger {
  debug: LogFn;
  info: LogFn;
  warn: LogFn;
  error: LogFn;
  /** A logger that adds `bindings` to every record (pino's `child`). Optional. */
  child?(bindings: Record<string, unknown>): Logger;
}

const noop: LogFn = () => {};

/** The default: drops everything. */
export const silentLogger: Logger = Object.freeze({
  debug: noop,
  info: noop,
  warn: noop,
  error: noop,
  child: () => silentLogger,
});

/** `logger.child(bindings)` when the logger has `child`, otherwise the logger itself. */
export function childLogger(logger: Logger, bindings: Record<string, unknown>): Logger {
  return logger.child ? logger.child(bindings) : logger;
}
