/**
 * A filesystem wrapper whose `/endless.bin` never ends: a download of it runs until it is aborted,
 * whatever the kernel's socket buffers can absorb (tests of ABOR and shutdown must not depend on
 * buffer sizes).
 */
import { Readable } from 'node:stream';
import type { FileSystem } from '../../src/fs/file-system.ts';
import { MemoryFileSystem } from '../../src/fs/memory-file-system.ts';

export function endlessFileSystem(): FileSystem {
  const inner = new MemoryFileSystem({ files: { '/endless.bin': '' } });
  const chunk = Buffer.alloc(64 * 1024, 0x61);
  return {
    capabilities: inner.capabilities,
    stat: (p) => inner.stat(p),
    list: (p, o) => inner.list(p, o),
    createReadStream: async (p, o) =>
      p === '/endless.bin'
        ? new Readable({
            read() {
              setImmediate(() => this.push(chunk));
            },
          })
        : inner.createReadStream(p, o),
    createWriteStream: (p, o) => inner.createWriteStream(p, o),
    mkdir: (p) => inner.mkdir(p),
    rmdir: (p) => inner.rmdir(p),
    delete: (p) => inner.delete(p),
    rename: (a, b) => inner.rename(a, b),
  };
}
