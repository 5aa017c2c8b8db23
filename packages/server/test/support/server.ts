/** Test fixtures: a listening server over a MemoryFileSystem with plaintext test users. */

import { createCertificate } from '@ftpkit/test-utils';
import { afterEach } from 'vitest';
import { READ_ONLY_PERMISSIONS } from '../../src/auth/authenticator.ts';
import { StaticUserAuthenticator } from '../../src/auth/static-users.ts';
import type { FileSystem } from '../../src/fs/file-system.ts';
import { MemoryFileSystem, type MemoryFileSystemOptions } from '../../src/fs/memory-file-system.ts';
import type { FtpServerOptions } from '../../src/options.ts';
import { createServer, type FtpServer } from '../../src/server.ts';
import { RawClient } from './raw-client.ts';

export const PASSWORD = 'secret';

export interface Fixture {
  readonly server: FtpServer;
  readonly port: number;
  readonly fs: FileSystem;
  readonly cert: ReturnType<typeof createCertificate>;
  connect(options?: Parameters<typeof RawClient.connect>[1]): Promise<RawClient>;
  /** Connected and logged in as alice. */
  login(user?: string): Promise<RawClient>;
}

const cleanups: (() => Promise<void>)[] = [];

afterEach(async () => {
  const pending = cleanups.splice(0);
  await Promise.all(pending.map((c) => c()));
});

export async function startServer(
  options: FtpServerOptions & {
    files?: MemoryFileSystemOptions['files'];
    maxSize?: number;
    fileSystem?: FileSystem;
  } = {},
): Promise<Fixture> {
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
        { username: 'alice', password: PASSWORD, root: fs },
        { username: 'reader', password: PASSWORD, root: fs, permissions: READ_ONLY_PERMISSIONS },
      ],
    }),
    limits: { loginDelay: { base: 1, max: 5 }, ...serverOptions.limits },
    ...(serverOptions.tls === undefined ? {} : { tls: serverOptions.tls }),
    ...serverOptions,
  });
  const address = await server.listen();
  const clients: RawClient[] = [];
  cleanups.push(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await server.close({ deadline: 100 });
  });
  const connect = async (o?: Parameters<typeof RawClient.connect>[1]) => {
    const client = await RawClient.connect(address.port, o);
    clients.push(client);
    return client;
  };
  return {
    server,
    port: address.port,
    fs,
    cert,
    connect,
    async login(user = 'alice') {
      const client = await connect();
      const greeting = await client.read();
      if (greeting.code !== 220) throw new Error(`greeting ${greeting.code}`);
      const reply = await client.login(user, PASSWORD);
      if (reply.code !== 230) throw new Error(`login ${reply.code} ${reply.lines.join(' ')}`);
      return client;
    },
  };
}

/** TLS options with the shared test certificate. */
export function testTls() {
  const cert = createCertificate();
  return { cert: cert.cert, key: cert.key };
}
