/**
 * File digests for HASH (draft-bryan-ftpext-hash): SHA-256, SHA-512, SHA-1, MD5 and CRC32.
 *
 * Uses the filesystem's own `hash()` when it declares the algorithm (STYLE habit 7: declared,
 * not discovered), else streams the file through node:crypto (or the CRC32 below) in bounded
 * memory.
 */

import { createHash } from 'node:crypto';
import type { FileSystem } from '../../fs/file-system.js';
import type { HashAlgorithmName } from '../../options.js';

const NODE_NAMES: Readonly<Record<HashAlgorithmName, string>> = {
  'SHA-256': 'sha256',
  'SHA-512': 'sha512',
  'SHA-1': 'sha1',
  MD5: 'md5',
  CRC32: 'crc32',
};

let crcTable: Uint32Array | undefined;

function table(): Uint32Array {
  if (crcTable !== undefined) return crcTable;
  crcTable = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    crcTable[n] = c >>> 0;
  }
  return crcTable;
}

/** CRC-32 (IEEE 802.3, as zlib and `cksum -a crc32b`) over a stream of chunks. */
export class Crc32 {
  #crc = 0xffffffff;

  update(chunk: Uint8Array): this {
    const t = table();
    let c = this.#crc;
    for (let i = 0; i < chunk.length; i++) c = t[(c ^ chunk[i]!) & 0xff]! ^ (c >>> 8);
    this.#crc = c;
    return this;
  }

  digest(): string {
    return ((this.#crc ^ 0xffffffff) >>> 0).toString(16).padStart(8, '0');
  }
}

/** Hex digest of the whole file at `path`. */
export async function hashFile(
  fs: FileSystem,
  path: string,
  algorithm: HashAlgorithmName,
  signal?: AbortSignal,
): Promise<string> {
  const nodeName = NODE_NAMES[algorithm];
  if (fs.hash !== undefined && fs.capabilities.hashAlgorithms.includes(nodeName)) {
    return fs.hash(path, nodeName, signal === undefined ? {} : { signal });
  }
  const stream = await fs.createReadStream(path, signal === undefined ? {} : { signal });
  const hasher = algorithm === 'CRC32' ? new Crc32() : createHash(nodeName);
  try {
    for await (const chunk of stream) hasher.update(chunk as Buffer);
  } finally {
    stream.destroy();
  }
  return hasher.digest('hex' as never) as string;
}
