/**
 * @ftpkit/codec — the pure FTP codec. Text in, values out; values in, text out.
 *
 * Never imports from `node:` and has no runtime dependencies: it runs in Node, Deno, Bun and
 * browsers. Every function throws only `CodecError`.
 */

export * from './addresses/index.js';
export * from './commands/index.js';
export * from './control/line-framer.js';
export * from './control/telnet.js';
export * from './errors.js';
export * from './listings/index.js';
export * from './replies/index.js';
export { decodeUtf8Strict, encodeUtf8, type TextInput } from './text.js';
