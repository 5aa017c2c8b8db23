/**
 * Command-line parsing on node:util's `parseArgs` (no dependency), turning its errors into
 * `UsageError`s (exit code 2) with the subcommand named, plus small strict value parsers.
 */
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { UsageError } from './exit-codes.js';

export type OptionSpec = NonNullable<ParseArgsConfig['options']>;

export interface Parsed {
  readonly values: Record<string, string | boolean | string[] | boolean[] | undefined>;
  readonly positionals: string[];
}

/** parseArgs, strict, positionals allowed; unknown flags and missing values are UsageErrors. */
export function parse(command: string, args: readonly string[], options: OptionSpec): Parsed {
  try {
    const { values, positionals } = parseArgs({
      args: [...args],
      options,
      strict: true,
      allowPositionals: true,
    });
    return { values: values as Parsed['values'], positionals };
  } catch (error) {
    const message = (error as Error).message.replace(/\. To specify a positional argument.*$/s, '');
    throw new UsageError(`${command}: ${message} (see \`ftpkit ${command} --help\`)`);
  }
}

export function str(values: Parsed['values'], name: string): string | undefined {
  const v = values[name];
  return typeof v === 'string' ? v : undefined;
}

export function flag(values: Parsed['values'], name: string): boolean {
  return values[name] === true;
}

export function list(values: Parsed['values'], name: string): string[] {
  const v = values[name];
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string');
  return typeof v === 'string' ? [v] : [];
}

/** A decimal integer in [min, max]; anything else (`1e3`, `0x10`, `12abc`, out of range) is refused. */
export function integer(what: string, text: string, min: number, max: number): number {
  if (!/^\d+$/.test(text))
    throw new UsageError(`${what} must be an integer from ${min} to ${max}, got "${text}"`);
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new UsageError(`${what} must be an integer from ${min} to ${max}, got "${text}"`);
  }
  return value;
}

/** Positionals exactly between `min` and `max`, with a message naming what is expected. */
export function expectPositionals(
  command: string,
  positionals: string[],
  min: number,
  max: number,
  usage: string,
): void {
  if (positionals.length < min) throw new UsageError(`${command}: missing argument (usage: ftpkit ${usage})`);
  if (positionals.length > max) {
    throw new UsageError(`${command}: unexpected argument "${positionals[max]}" (usage: ftpkit ${usage})`);
  }
}
