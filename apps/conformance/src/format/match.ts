/**
 * Turning templates into bytes and checking replies against expectations.
 *
 * Owns: variable substitution and the reply-matching rule (code alternatives, multi-line, text
 * patterns, 257 path capture through the codec). Pure: no sockets.
 */
import { parsePathnameReply, type Reply } from '@ftpkit/codec';
import type { CodePattern, ReplyExpectation, Template } from './types.js';

export class MissingVariableError extends Error {
  override name = 'MissingVariableError';
}

export function renderTemplate(template: Template, variables: ReadonlyMap<string, string>): Uint8Array {
  const chunks: Uint8Array[] = [];
  let length = 0;
  for (const part of template.parts) {
    let bytes: Uint8Array;
    if (part.kind === 'bytes') {
      bytes = part.bytes;
    } else {
      const value = variables.get(part.name);
      if (value === undefined) throw new MissingVariableError(`unknown variable {${part.name}}`);
      bytes = new TextEncoder().encode(value);
    }
    chunks.push(bytes);
    length += bytes.length;
  }
  const out = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}

export function codeMatches(pattern: CodePattern, code: number): boolean {
  const digits = [Math.floor(code / 100), Math.floor(code / 10) % 10, code % 10];
  return pattern.digits.every((d, i) => d === undefined || d === digits[i]);
}

export type MatchResult =
  | { readonly ok: true; readonly captures: ReadonlyMap<string, string> }
  | { readonly ok: false; readonly reason: string };

export function matchReply(expect: ReplyExpectation, reply: Reply): MatchResult {
  if (!expect.codes.some((p) => codeMatches(p, reply.code))) {
    return { ok: false, reason: `expected ${describeCodes(expect)}, got ${reply.code}` };
  }
  if (expect.multiline === true && !reply.multiline)
    return { ok: false, reason: 'expected a multi-line reply' };
  if (expect.multiline === false && reply.multiline)
    return { ok: false, reason: 'expected a single-line reply' };
  const captures = new Map<string, string>();
  if (expect.pattern !== undefined) {
    const match = expect.pattern.exec(reply.text);
    if (match === null) return { ok: false, reason: `reply text does not match ${expect.pattern}` };
    for (const [name, value] of Object.entries(match.groups ?? {})) {
      if (value !== undefined) captures.set(name, value);
    }
  }
  if (expect.antiPattern?.test(reply.text)) {
    return { ok: false, reason: `reply text matches the forbidden ${expect.antiPattern}` };
  }
  if (expect.capturePath !== undefined) {
    try {
      captures.set(expect.capturePath, parsePathnameReply(reply));
    } catch (error) {
      return { ok: false, reason: `no pathname in the 257 reply: ${(error as Error).message}` };
    }
  }
  return { ok: true, captures };
}

export function describeCodes(expect: ReplyExpectation): string {
  return expect.codes.map((c) => c.source).join('|');
}
