// A custom FTP server assembled from parts: a MemoryFileSystem, a custom Authenticator and a
// custom SITE command. Run it from packages/server:
//   npx tsx --conditions=@ftpkit/source examples/custom-server.ts
// then e.g. `curl -u demo:demo-password ftp://127.0.0.1:2121/` or `curl -u demo:demo-password -Q 'SITE WHOAMI' ftp://127.0.0.1:2121/`.
import { timingSafeEqual } from 'node:crypto';
import {
  type AuthenticatedUser,
  AuthenticationError,
  type AuthenticationRequest,
  type Authenticator,
  createServer,
  type FtpServer,
  MemoryFileSystem,
  READ_WRITE_PERMISSIONS,
  type SiteCommandDefinition,
} from '@ftpkit/server';

/** An authenticator backed by a Map of API tokens: each user has one token as password and its own tree. */
class TokenAuthenticator implements Authenticator {
  readonly #users = new Map<string, { token: Buffer; storage: MemoryFileSystem }>();

  add(username: string, token: string, storage: MemoryFileSystem): this {
    this.#users.set(username, { token: Buffer.from(token), storage });
    return this;
  }

  async authenticate(request: AuthenticationRequest): Promise<AuthenticatedUser> {
    const entry = this.#users.get(request.username);
    const given = Buffer.from(request.password);
    // Same refusal for an unknown user and a wrong token: no user enumeration.
    if (entry === undefined || given.length !== entry.token.length || !timingSafeEqual(given, entry.token)) {
      throw new AuthenticationError();
    }
    return {
      username: request.username,
      fileSystem: entry.storage,
      home: '/',
      permissions: READ_WRITE_PERMISSIONS,
      anonymous: false,
    };
  }
}

/** `SITE WHOAMI`: a custom SITE subcommand that answers over the control connection. */
const whoami: SiteCommandDefinition = {
  name: 'WHOAMI',
  help: 'WHOAMI: show the logged-in user and the client address.',
  async handle(ctx) {
    await ctx.reply(200, `You are ${ctx.user?.username} from ${ctx.remoteAddress}; cwd ${ctx.cwd}.`);
  },
};

export async function startCustomServer(port = 0): Promise<{ server: FtpServer; port: number }> {
  const storage = new MemoryFileSystem({
    maxSize: 64 * 1024 * 1024,
    files: { '/welcome.txt': 'Hello from a custom ftpkit server!\n', '/uploads/': '' },
  });
  const server = createServer({
    port,
    greeting: 'Custom ftpkit demo server.',
    authenticator: new TokenAuthenticator().add('demo', 'demo-password', storage),
    siteCommands: [whoami],
  });
  server.on('upload', (e) => console.log(`upload: ${e.user} stored ${e.path} (${e.bytes} bytes)`));
  const address = await server.listen();
  return { server, port: address.port };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { server, port } = await startCustomServer(2121);
  console.log(`ftp://demo:demo-password@127.0.0.1:${port}/`);
  const stop = () => void server.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
