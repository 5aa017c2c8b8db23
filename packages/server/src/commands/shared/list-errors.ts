/** RFC 959 §5.4 lists 450 (not 550) for LIST, NLST and STAT: a missing path is "file unavailable". */
import { isFileSystemError } from '../../fs/errors.js';
import { ReplyError } from '../types.js';

export function listingError(error: unknown): never {
  if (isFileSystemError(error) && error.replyCode === 550)
    throw new ReplyError(450, error.message, { cause: error });
  throw error;
}
