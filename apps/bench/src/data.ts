/**
 * Test data on tmpfs (/dev/shm), so that no figure is bounded by a disk: one pool of files, and
 * per server a root directory whose files are hard links into the pool (a 1 GiB file exists once
 * however many servers serve it). Roots are world-writable so that every daemon's uid can upload.
 */
import { chmodSync, existsSync, linkSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { join } from 'node:path';

const CHUNK = 1 << 20;

export interface DataSet {
  readonly base: string;
  readonly pool: string;
  /** A fresh root for `server`, with every pool file (and directory) linked in. */
  rootFor(server: string): string;
  cleanup(): void;
}

function tmpfsBase(): string {
  return existsSync('/dev/shm') ? '/dev/shm' : '/tmp';
}

/** Deterministic, incompressible-looking bytes (no transfer can shortcut zeros). */
function block(): Buffer {
  const buffer = Buffer.alloc(CHUNK);
  let x = 2463534242;
  for (let i = 0; i < buffer.length; i += 4) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    buffer.writeUInt32LE(x >>> 0, i);
  }
  return buffer;
}

let cachedBlock: Buffer | undefined;

export function writeFile(path: string, bytes: number): void {
  cachedBlock ??= block();
  if (bytes <= CHUNK) {
    writeFileSync(path, cachedBlock.subarray(0, bytes));
    return;
  }
  // Written in 1 MiB appends to keep memory flat.
  writeFileSync(path, '');
  let written = 0;
  while (written < bytes) {
    const n = Math.min(CHUNK, bytes - written);
    writeFileSync(path, cachedBlock.subarray(0, n), { flag: 'a' });
    written += n;
  }
}

export async function createDataSet(prefix: string): Promise<DataSet> {
  const base = await mkdtemp(join(tmpfsBase(), `ftpkit-bench-${prefix}-`));
  chmodSync(base, 0o755);
  const pool = join(base, 'pool');
  mkdirSync(pool);
  const linkTree = (from: string, to: string) => {
    for (const entry of readdirSync(from, { withFileTypes: true })) {
      if (entry.isDirectory()) {
        mkdirSync(join(to, entry.name), { mode: 0o777 });
        chmodSync(join(to, entry.name), 0o777);
        linkTree(join(from, entry.name), join(to, entry.name));
      } else {
        linkSync(join(from, entry.name), join(to, entry.name));
      }
    }
  };
  return {
    base,
    pool,
    rootFor(server) {
      const root = join(base, 'roots', server.replace(/[^a-z0-9-]/gi, '_'));
      rmSync(root, { recursive: true, force: true });
      mkdirSync(root, { recursive: true });
      chmodSync(join(base, 'roots'), 0o755);
      chmodSync(root, 0o777);
      linkTree(pool, root);
      return root;
    },
    cleanup() {
      rmSync(base, { recursive: true, force: true });
    },
  };
}
