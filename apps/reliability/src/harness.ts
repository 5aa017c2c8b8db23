/**
 * Servers and helpers shared by the reliability tests and the long-run scripts: a live
 * `createServer` on 127.0.0.1 (port 0) with plaintext test users over a MemoryFileSystem or a
 * LocalFileSystem in a temp dir, SHA-256, leak baselines, a forced GC for memory figures.
 *
 * Never imports vitest: the scripts use it too. Tests register `close()` in their own hooks.
 */
import { createHash } from 'node:crypto';
import { lstat, readdir, readFile, readlink } from 'node:fs/promises';
import path from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
import {
  createServer,
  type FileSystem,
  type FtpServer,
  type FtpServerOptions,
  MemoryFileSystem,
  type MemoryFileSystemOptions,
  READ_ONLY_PERMISSIONS,
  StaticUserAuthenticator,
} from '@ftpkit/server';
import { createCertificate, type TestCertificate } from '@ftpkit/test-utils';
import { type ConnectOptions, RawClient } from './raw-client.ts';

export const USER = 'alice';
export const PASSWORD = 'secret';

export interface Fixture {
  readonly server: FtpServer;
  readonly host: string;
  readonly port: number;
  readonly fs: FileSystem;
  readonly cert: TestCertificate;
  /** Control connection (greeting not read). */
  connect(options?: ConnectOptions): Promise<RawClient>;
  /** Connected, greeting read, logged in as `user` (default alice). */
  login(user?: string, options?: ConnectOptions): Promise<RawClient>;
  /** Closes every RawClient opened here, then the server. Idempotent. */
  close(deadline?: number): Promise<void>;
}

export interface FixtureOptions extends FtpServerOptions {
  readonly files?: MemoryFileSystemOptions['files'];
  readonly maxSize?: number;
  readonly fileSystem?: FileSystem;
}

/** A listening server; users `alice` (read-write) and `reader` (read-only), password `secret`. */
export async function startServer(options: FixtureOptions = {}): Promise<Fixture> {
  const { files, maxSize, fileSystem, ...serverOptions } = options;
  const fs =
    fileSystem ??
    new MemoryFileSystem({
      files: files ?? { '/pub/readme.txt': 'hello\n' },
      ...(maxSize === undefined ? {} : { maxSize }),
    });
  const cert = createCertificate();
  const server = createServer({
    authenticator: new StaticUserAuthenticator({
      allowPlaintextPasswords: true,
      users: [
        { username: USER, password: PASSWORD, root: fs },
        { username: 'reader', password: PASSWORD, root: fs, permissions: READ_ONLY_PERMISSIONS },
      ],
    }),
    ...serverOptions,
    limits: { loginDelay: { base: 1, max: 5 }, ...serverOptions.limits },
  });
  const address = await server.listen();
  const clients = new Set<RawClient>();
  let closing: Promise<void> | undefined;
  const connect = async (o?: ConnectOptions) => {
    const client = await RawClient.connect(address.port, o);
    clients.add(client);
    return client;
  };
  return {
    server,
    host: address.host,
    port: address.port,
    fs,
    cert,
    connect,
    async login(user = USER, o?: ConnectOptions) {
      const client = await connect(o);
      const greeting = await client.read();
      if (greeting.code !== 220) throw new Error(`greeting ${greeting.code} ${greeting.lines.join(' ')}`);
      const reply = await client.login(user, PASSWORD);
      if (reply.code !== 230) throw new Error(`login ${reply.code} ${reply.lines.join(' ')}`);
      return client;
    },
    close(deadline = 100) {
      closing ??= (async () => {
        await Promise.all([...clients].map((c) => c.close()));
        await server.close({ deadline });
      })();
      return closing;
    },
  };
}

/** TLS options with the shared test certificate. */
export function testTls(): { cert: string; key: string } {
  const cert = createCertificate();
  return { cert: cert.cert, key: cert.key };
}

export function sha256(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

let gcFunction: (() => void) | undefined;

/** A full GC (via --expose-gc set at run time), then heapUsed in bytes. */
export function heapAfterGc(): number {
  if (gcFunction === undefined) {
    v8.setFlagsFromString('--expose-gc');
    gcFunction = vm.runInNewContext('gc') as () => void;
  }
  gcFunction();
  gcFunction();
  return process.memoryUsage().heapUsed;
}

/**
 * A snapshot of a directory tree (names, types, sizes, content hashes, link targets) for
 * "nothing changed here" assertions. `exclude` names top-level entries to skip.
 */
export async function treeSnapshot(dir: string, exclude: readonly string[] = []): Promise<string[]> {
  const out: string[] = [];
  async function walk(current: string, rel: string): Promise<void> {
    const entries = (await readdir(current)).sort();
    for (const name of entries) {
      if (rel === '' && exclude.includes(name)) continue;
      const full = path.join(current, name);
      const relName = rel === '' ? name : `${rel}/${name}`;
      const st = await lstat(full);
      if (st.isSymbolicLink()) out.push(`L ${relName} -> ${await readlink(full)}`);
      else if (st.isDirectory()) {
        out.push(`D ${relName}`);
        await walk(full, relName);
      } else out.push(`F ${relName} ${st.size} ${sha256(await readFile(full))}`);
    }
  }
  await walk(dir, '');
  return out;
}

/** Percentile of a sorted-or-not list of numbers (nearest rank). */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

/** `count` consecutive ports that were free on 127.0.0.1 a moment ago (for `passive.portRange`). */
export async function freePortRange(count: number): Promise<{ min: number; max: number }> {
  const { createServer: createNetServer } = await import('node:net');
  for (let attempt = 0; attempt < 50; attempt++) {
    const min = 20_000 + Math.floor(Math.random() * 30_000);
    const servers: import('node:net').Server[] = [];
    let ok = true;
    for (let port = min; port < min + count && ok; port++) {
      const s = createNetServer();
      ok = await new Promise<boolean>((resolve) => {
        s.once('error', () => resolve(false));
        s.listen({ host: '127.0.0.1', port, exclusive: true }, () => resolve(true));
      });
      if (ok) servers.push(s);
    }
    await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
    if (ok) return { min, max: min + count - 1 };
  }
  throw new Error(`no ${count} consecutive free ports found`);
}
