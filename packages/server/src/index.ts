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
export * from './errors.js';
export * from './fs/errors.js';
export * from './fs/file-system.js';
export { LocalFileSystem, type LocalFileSystemOptions, UPLOAD_TEMP_PREFIX } from './fs/local-file-system.js';
export { MemoryFileSystem, type MemoryFileSystemOptions } from './fs/memory-file-system.js';
export * from './logger.js';
export * from './paths/virtual-path.js';
