/**
 * The logger contract, a structural subset of pino's (the same shape as `@ftpkit/server`'s, kept
 * here because a client must not depend on the server package). Silent by default; command lines
 * are passed through the codec's `redactCommandLine` before they reach it.
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
