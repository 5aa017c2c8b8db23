/**
 * Redaction of secrets in command lines, for logs and error messages (STYLE habit 12).
 *
 * Owns: `redactCommandLine`. It never throws and never parses strictly: it must be safe on any
 * line, including the malformed ones that get logged most. Never imports from `node:`.
 */

/**
 * Verbs whose argument is a secret: PASS (RFC 959 §4.1.1 password) and ACCT, whose "account
 * information" is in practice a second password on the systems that ask for it.
 */
const SECRET_VERBS: ReadonlySet<string> = new Set(['PASS', 'ACCT']);

const REDACTED = '****';

/**
 * The line with the argument of PASS or ACCT replaced by `****` (`PASS hunter2` → `PASS ****`);
 * any other line unchanged. The verb is matched case-insensitively after optional leading
 * whitespace, and ends at the first character that is not a letter, so that `pass\thunter2` or
 * ` PASS x`, which the parser refuses but a log may still print, are redacted too.
 */
export function redactCommandLine(line: string): string {
  if (typeof line !== 'string') return '';
  let start = 0;
  while (start < line.length && (line.charCodeAt(start) === 0x20 || line.charCodeAt(start) === 0x09)) start++;
  let end = start;
  while (end < line.length && end - start < 4) {
    const c = line.charCodeAt(end) | 0x20;
    if (c < 0x61 || c > 0x7a) break;
    end++;
  }
  if (end - start !== 4 || end === line.length) return line;
  const next = line.charCodeAt(end) | 0x20;
  if (next >= 0x61 && next <= 0x7a) return line;
  if (!SECRET_VERBS.has(line.slice(start, end).toUpperCase())) return line;
  return `${line.slice(0, end)} ${REDACTED}`;
}
