// Run from packages/server: npx tsx --conditions=@ftpkit/source examples/storage-and-auth.ts
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { formatListLine } from '@ftpkit/codec';
import {
  type AuthenticatedUser,
  hashPassword,
  isFileSystemError,
  MemoryFileSystem,
  READ_ONLY_PERMISSIONS,
  resolveVirtualPath,
  StaticUserAuthenticator,
} from '@ftpkit/server';

// 1. Identity: users with scrypt hashes (store the hash, never the password).
const storage = new MemoryFileSystem({
  maxSize: 10 * 1024 * 1024,
  files: { '/pub/readme.txt': 'Welcome!\n' },
});
const auth = new StaticUserAuthenticator({
  users: [{ username: 'alice', password: await hashPassword('s3cret'), root: storage, home: '/pub' }],
  anonymous: { root: storage, permissions: READ_ONLY_PERMISSIONS },
});
const user: AuthenticatedUser = await auth.authenticate({
  username: 'alice',
  password: 's3cret',
  remoteAddress: '127.0.0.1',
  tls: { secure: false },
});

// 2. Paths: every client path is resolved against the working directory and clamped to '/'.
let cwd = user.home; // '/pub'
const target = resolveVirtualPath(cwd, '../../pub/./hello.txt'); // '/pub/hello.txt'

// 3. Storage: an upload is published by commit(), or leaves no trace after abort().
const fs = user.fileSystem;
if (user.permissions.write) {
  const upload = await fs.createWriteStream(target);
  try {
    await pipeline(Readable.from(['hello, ', 'world\n']), upload.stream);
    await upload.commit();
  } catch (error) {
    await upload.abort(error);
    throw error;
  }
}

// 4. Listings: entries are codec FileRecords, so the codec formats them.
for await (const entry of await fs.list(cwd)) console.log(formatListLine(entry));

// 5. Errors know their reply.
cwd = resolveVirtualPath(cwd, 'missing');
try {
  await fs.list(cwd);
} catch (error) {
  if (isFileSystemError(error)) console.log(`${error.replyCode} ${error.message}`); // 550 No such file or directory.
}
