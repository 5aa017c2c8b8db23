/**
 * Policy layers (STYLE habit 10): cross-cutting checks composed around every handler as
 * `(definition, next) => handler`, instead of checks sprinkled in each handler.
 *
 * Owns: the one gate that reads the per-verb table (TLS requirement, login, permission), error →
 * reply mapping, and command logging. The order of `DEFAULT_LAYERS` is the order of the checks:
 * errors (outermost: catches everything below) → logging → TLS → login → permission → handler.
 *
 * Why TLS before login: with `requireTls`, USER and PASS on a clear connection must get the same
 * 530 whatever the name (no user enumeration, no password sent in clear gets a different answer).
 */

import { isCodecError } from '@ftpkit/codec';
import { isTransportError } from '@ftpkit/transport';
import type { AnyCommand, CommandContext, CommandDefinition } from '../commands/types.js';
import { isAuthenticationError, isVirtualPathError } from '../errors.js';
import { isFileSystemError } from '../fs/errors.js';

export type Handler = (ctx: CommandContext, command: AnyCommand) => Promise<void>;
export type Layer = (definition: CommandDefinition, next: Handler) => Handler;

/** Text of the 530 that `requireTls` sends; identical for every user name. */
export const TLS_REQUIRED_TEXT = 'TLS required: use AUTH TLS first.';
export const NOT_LOGGED_IN_TEXT = 'Please login with USER and PASS.';
export const PERMISSION_DENIED_TEXT = 'Permission denied.';

/** Maps anything a handler throws to the reply it causes; `unexpected` errors are also reported. */
export function replyForError(error: unknown): { code: number; text: string; unexpected: boolean } {
  const e = error as { name?: string; replyCode?: number; replyText?: unknown; message?: string };
  if (e?.name === 'ReplyError' && typeof e.replyCode === 'number') {
    const text = Array.isArray(e.replyText) ? e.replyText.join(' ') : String(e.replyText ?? e.message);
    return { code: e.replyCode, text, unexpected: false };
  }
  if (isFileSystemError(error)) return { code: error.replyCode, text: fsText(error), unexpected: false };
  if (isVirtualPathError(error)) {
    return {
      code: error.replyCode,
      text: error.replyCode === 501 ? 'Invalid path.' : 'File name not allowed: too long.',
      unexpected: false,
    };
  }
  if (isCodecError(error)) return { code: error.replyCode, text: error.message, unexpected: false };
  if (isAuthenticationError(error)) return { code: 530, text: 'Login incorrect.', unexpected: false };
  if (isTransportError(error))
    return { code: 426, text: 'Connection closed; transfer aborted.', unexpected: false };
  // The session's own signal fired (ABOR, shutdown, disconnect) while a handler awaited the
  // filesystem (e.g. LocalFileSystem.list throws `signal.reason`): an abort, not a server fault.
  if (e?.name === 'AbortError')
    return { code: 426, text: 'Connection closed; transfer aborted.', unexpected: false };
  return { code: 451, text: 'Requested action aborted: local error in processing.', unexpected: true };
}

function fsText(error: { kind: string; message: string }): string {
  // Adapters' messages name virtual paths at most (fs/errors.ts), never real ones.
  return error.kind === 'Unsupported' ? 'Not supported by this server.' : error.message;
}

/** Outermost: every error becomes a reply; unexpected ones are logged and emitted. */
export const errorLayer: Layer = (definition, next) => async (ctx, command) => {
  try {
    await next(ctx, command);
  } catch (error) {
    const { code, text, unexpected } = replyForError(error);
    if (unexpected) {
      ctx.logger.error({ err: error, verb: definition.verb, session: ctx.id }, 'command failed');
      ctx.emit('error', { sessionId: ctx.id, remoteAddress: ctx.remoteAddress, error });
    }
    if (ctx.state !== 'closing') await ctx.reply(code, text).catch(() => {});
  }
};

export const loggingLayer: Layer = (definition, next) => async (ctx, command) => {
  // Never the argument of PASS (or anything else: paths can be personal data); the verb suffices.
  ctx.logger.debug({ session: ctx.id, verb: definition.verb, user: ctx.user?.username }, 'command');
  await next(ctx, command);
};

export const tlsLayer: Layer = (definition, next) => async (ctx, command) => {
  if (ctx.options.requireTls && !ctx.secure && definition.tlsExempt !== true) {
    await ctx.reply(530, TLS_REQUIRED_TEXT);
    return;
  }
  await next(ctx, command);
};

export const loginLayer: Layer = (definition, next) => async (ctx, command) => {
  if (definition.login && ctx.user === undefined) {
    await ctx.reply(530, NOT_LOGGED_IN_TEXT);
    return;
  }
  await next(ctx, command);
};

export const permissionLayer: Layer = (definition, next) => async (ctx, command) => {
  const permission = definition.permission;
  if (permission !== undefined && ctx.user?.permissions[permission] !== true) {
    await ctx.reply(550, PERMISSION_DENIED_TEXT);
    return;
  }
  await next(ctx, command);
};

export const DEFAULT_LAYERS: readonly Layer[] = [
  errorLayer,
  loggingLayer,
  tlsLayer,
  loginLayer,
  permissionLayer,
];

/** Wraps a definition's handler in `layers` (first = outermost). */
export function compose(definition: CommandDefinition, layers: readonly Layer[] = DEFAULT_LAYERS): Handler {
  let handler: Handler = async (ctx, command) => {
    await definition.handle(ctx, command);
  };
  for (let i = layers.length - 1; i >= 0; i--) handler = layers[i]!(definition, handler);
  return handler;
}
