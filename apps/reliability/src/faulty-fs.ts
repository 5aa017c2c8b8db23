/**
 * A FileSystem wrapper that injects storage faults the way a real disk reports them: after
 * `budget` bytes an upload's stream fails with ENOSPC (or EDQUOT), and chosen operations throw
 * EACCES. Errors go through `toFileSystemError`, as the contract asks of every adapter.
 */
import { Writable } from 'node:stream';
import { type FileSystem, type FileUpload, toFileSystemError } from '@ftpkit/server';

export interface Faults {
  /** Bytes an upload may write before the stream fails. Default: unlimited. */
  budget?: number;
  /** errno of the write failure. Default 'ENOSPC'. */
  writeErrno?: 'ENOSPC' | 'EDQUOT' | 'EIO';
  /** errno thrown by mkdir, e.g. 'ENOSPC' or 'EACCES'. */
  mkdirErrno?: string;
  /** errno thrown when opening an upload, e.g. 'EACCES'. */
  openErrno?: string;
}

function errno(code: string, path: string): Error {
  return toFileSystemError(Object.assign(new Error(`${code} (injected)`), { code }), path);
}

export function faultyFileSystem(inner: FileSystem, faults: Faults): FileSystem {
  return {
    capabilities: inner.capabilities,
    stat: (p) => inner.stat(p),
    list: (p, o) => inner.list(p, o),
    createReadStream: (p, o) => inner.createReadStream(p, o),
    async createWriteStream(p, o): Promise<FileUpload> {
      if (faults.openErrno !== undefined) throw errno(faults.openErrno, p);
      const upload = await inner.createWriteStream(p, o);
      let written = 0;
      const stream = new Writable({
        write(chunk: Buffer, _encoding, callback) {
          const budget = faults.budget ?? Number.POSITIVE_INFINITY;
          if (written + chunk.length > budget) {
            callback(errno(faults.writeErrno ?? 'ENOSPC', p));
            return;
          }
          written += chunk.length;
          if (upload.stream.write(chunk)) callback();
          else upload.stream.once('drain', () => callback());
        },
        final(callback) {
          upload.stream.end(() => callback());
        },
      });
      return {
        stream,
        atomic: upload.atomic,
        get bytesWritten() {
          return upload.bytesWritten;
        },
        commit: () => upload.commit(),
        abort: (reason) => upload.abort(reason),
      };
    },
    mkdir: (p) =>
      faults.mkdirErrno === undefined ? inner.mkdir(p) : Promise.reject(errno(faults.mkdirErrno, p)),
    rmdir: (p) => inner.rmdir(p),
    delete: (p) => inner.delete(p),
    rename: (a, b) => inner.rename(a, b),
  };
}
