/**
 * UTF-8 between bytes and strings, without Node's Buffer.
 *
 * Owns: the codec's only access to `TextEncoder`/`TextDecoder`. They exist in every runtime the
 * codec targets (Node, Deno, Bun, browsers) but are not in the ES library typings, and the codec
 * compiles with `types: []` on purpose, so they are reached through `globalThis` here, once.
 */

interface Utf8Decoder {
  decode(input: Uint8Array): string;
}
interface Utf8Encoder {
  encode(input: string): Uint8Array;
}
interface TextCodecGlobals {
  TextDecoder: new (label: string, options?: { fatal?: boolean }) => Utf8Decoder;
  TextEncoder: new () => Utf8Encoder;
}

const globals = globalThis as unknown as TextCodecGlobals;
const strictDecoder = new globals.TextDecoder('utf-8', { fatal: true });
const lenientDecoder = new globals.TextDecoder('utf-8');
const encoder = new globals.TextEncoder();

/** Decodes UTF-8; returns `undefined` when the bytes are not valid UTF-8. */
export function decodeUtf8Strict(bytes: Uint8Array): string | undefined {
  try {
    return strictDecoder.decode(bytes);
  } catch {
    return undefined;
  }
}

/** Decodes UTF-8, replacing invalid sequences with U+FFFD (for text shown to people, never paths). */
export function decodeUtf8Lenient(bytes: Uint8Array): string {
  return lenientDecoder.decode(bytes);
}

/** Decodes each byte as one code point (ISO-8859-1): the lossless fallback for non-UTF-8 peers. */
export function decodeLatin1(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 8192) {
    out += String.fromCharCode.apply(null, bytes.subarray(i, i + 8192) as unknown as number[]);
  }
  return out;
}

export function encodeUtf8(text: string): Uint8Array {
  return encoder.encode(text);
}

/** A string or bytes: what every codec parser accepts. Bytes are decoded as UTF-8 (RFC 2640). */
export type TextInput = string | Uint8Array;

/**
 * Turns parser input into a string. Invalid UTF-8 falls back to Latin-1 so that no byte is lost
 * and the caller can still reject it; `strict` callers get `undefined` instead.
 */
export function toText(input: TextInput): string {
  if (typeof input === 'string') return input;
  return decodeUtf8Strict(input) ?? decodeLatin1(input);
}
