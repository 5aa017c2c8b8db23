/**
 * The replies area: reply codes and texts, formatting replies (server side), parsing them
 * incrementally (client side), the FEAT reply and 257 pathname quoting. The only file
 * src/index.ts re-exports from this directory.
 */
export * from './feat.js';
export * from './format-reply.js';
export * from './pathname.js';
export * from './reply-codes.js';
export * from './reply-parser.js';
