/**
 * The CLI's logger: JSON lines (one object per line) on stderr, satisfying the server's `Logger`
 * interface (pino's shape: object first, message second, `child` for bindings).
 *
 * Owns: level filtering and serialising errors (`err`/`error` fields become `{ type, code,
 * message }`; stacks only at debug). Never logs passwords: the server redacts them before logging.
 */
import type { Writable } from 'node:stream';
import type { Logger } from '@ftpkit/server';

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

const RANK: Record<LogLevel, number> = { debug: 20, info: 30, warn: 40, error: 50, silent: 100 };

export function createJsonLogger(
  stream: Writable,
  level: LogLevel,
  bindings: Record<string, unknown> = {},
): Logger {
  const threshold = RANK[level];
  const serialise = (value: unknown): unknown => {
    if (!(value instanceof Error)) return value;
    const e = value as Error & { code?: unknown; replyCode?: unknown };
    return {
      type: e.name,
      message: e.message,
      ...(e.code === undefined ? {} : { code: e.code }),
      ...(e.replyCode === undefined ? {} : { replyCode: e.replyCode }),
      ...(threshold <= RANK.debug && e.stack !== undefined ? { stack: e.stack } : {}),
    };
  };
  const write = (name: Exclude<LogLevel, 'silent'>) => (obj: object, msg?: string) => {
    if (RANK[name] < threshold) return;
    const record: Record<string, unknown> = { time: new Date().toISOString(), level: name, ...bindings };
    for (const [key, value] of Object.entries(obj)) record[key] = serialise(value);
    if (msg !== undefined) record.msg = msg;
    let line: string;
    try {
      line = JSON.stringify(record, (_key, value: unknown) =>
        typeof value === 'bigint' ? String(value) : value,
      );
    } catch {
      line = JSON.stringify({ time: record.time, level: name, msg, note: 'unserialisable log fields' });
    }
    stream.write(`${line}\n`);
  };
  return {
    debug: write('debug'),
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
    child: (more) => createJsonLogger(stream, level, { ...bindings, ...more }),
  };
}
