/**
 * Internal argument guards of the replies area (not exported from the barrel).
 *
 * Why: the codec throws only CodecError, and JavaScript callers are not held back by the types;
 * a wrong value handed to a public function must be INVALID_ARGUMENT, never a TypeError.
 */

import { CodecError, CodecErrorCodes } from '../errors.js';
import type { Reply } from './reply-parser.js';

/** `value` as a `Reply`, or INVALID_ARGUMENT when it does not have a reply's shape. */
export function asReply(value: unknown): Reply {
  const reply = value as Partial<Reply> | null | undefined;
  if (
    typeof reply?.code !== 'number' ||
    !Array.isArray(reply.lines) ||
    !reply.lines.every((line) => typeof line === 'string')
  ) {
    throw new CodecError(CodecErrorCodes.INVALID_ARGUMENT, 'Expected a Reply, a string or a Uint8Array');
  }
  return reply as Reply;
}

/**
 * A caller's value for an error message. Only primitives are printed: an object's `toString` is
 * the caller's code and may throw (or be missing), which would replace our CodecError.
 */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.slice(0, 40));
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return String(value);
  return value === null ? 'null' : typeof value;
}
