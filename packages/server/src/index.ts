/**
 * @ftpkit/server — FTP server building blocks.
 *
 * The public API is exactly what this file exports; everything else is internal.
 */

export * from './auth/authenticator.js';
export {
  DEFAULT_SCRYPT_PARAMETERS,
  hashPassword,
  isPasswordHash,
  type ParsedPasswordHash,
  parsePasswordHash,
  type ScryptParameters,
  verifyPassword,
} from './auth/password.js';
export * from './auth/static-users.js';
export { BUILTIN_COMMANDS, BUILTIN_SITE_COMMANDS } from './commands/index.js';
export { CommandRegistry, type RegistryEntry } from './commands/registry.js';
export {
  type AnyCommand,
  type CommandContext,
  type CommandDefinition,
  type CommandRegistryView,
  type DataTransferOptions,
  defineCommand,
  ReplyError,
  type SessionInternals,
  type SessionSettings,
  type SiteCommandDefinition,
} from './commands/types.js';
export * from './errors.js';
export * from './events.js';
export * from './fs/errors.js';
export * from './fs/file-system.js';
export { LocalFileSystem, type LocalFileSystemOptions, UPLOAD_TEMP_PREFIX } from './fs/local-file-system.js';
export { MemoryFileSystem, type MemoryFileSystemOptions } from './fs/memory-file-system.js';
export * from './logger.js';
export * from './options.js';
export * from './paths/virtual-path.js';
export {
  compose,
  DEFAULT_LAYERS,
  errorLayer,
  type Handler,
  type Layer,
  loggingLayer,
  loginLayer,
  permissionLayer,
  replyForError,
  tlsLayer,
} from './policy/layers.js';
export { type FailureOutcome, LoginGuard, type LoginGuardOptions } from './security/login-guard.js';
export { type CloseOptions, createServer, FtpServer, type ServerAddress } from './server.js';
export { DEFAULT_MLST_FACTS, SUPPORTED_MLST_FACTS } from './session/mlst-facts.js';
export { isTransferError, TransferError, type TransferFailureKind } from './session/session.js';
export {
  nextState,
  SESSION_STATES,
  SESSION_TRANSITIONS,
  type SessionEvent,
  type SessionState,
} from './session/state.js';
