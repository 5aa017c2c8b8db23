/** createServer options validation, listen/close lifecycle, virtual hosts, custom verbs and SITE commands, leaks. */

import { isFtpkitError } from '@ftpkit/codec';
import { trackHandles } from '@ftpkit/test-utils';
import { describe, expect, it } from 'vitest';
import { StaticUserAuthenticator } from '../src/auth/static-users.ts';
import { defineCommand, ReplyError } from '../src/commands/types.ts';
import { MemoryFileSystem } from '../src/fs/memory-file-system.ts';
import { createServer } from '../src/server.ts';
import { endlessFileSystem } from './support/endless.ts';
import { RawClient, readAll, writeAll } from './support/raw-client.ts';
import { PASSWORD, startServer } from './support/server.ts';

describe('options', () => {
  it.each([
    [{ port: -1 }, /port/],
    [{ port: 70000 }, /port/],
    [{ host: '' }, /host/],
    [{ requireTls: true }, /need `tls`/],
    [{ requireProtP: true }, /need `tls`/],
    [{ implicitTls: { port: 990 } }, /implicitTls needs/],
    [{ tls: { cert: 'x' } }, /cert.*key/],
    [{ passive: { portRange: { min: 5000, max: 4000 } } }, /portRange/],
    [{ limits: { maxSessions: 0 } }, /maxSessions/],
    [{ limits: { loginDelay: { base: 100, max: 10 } } }, /max must be >= base/],
    [{ authenticator: {} }, /authenticate/],
    [{ greeting: 'a\r\nb\0' }, /greeting/],
    [{ hashAlgorithms: ['SHA-3'] }, /hashAlgorithms/],
    [{ commands: [{ verb: 'X Y', login: false, handle() {} }] }, /verb/],
    [{ siteCommands: [{ name: '', handle() {} }] }, /SITE/],
    [{ requireTlsSessionReuse: 'yes' }, /boolean/],
  ])('refuses %j at construction', (options, message) => {
    let caught: unknown;
    try {
      createServer(options as never);
    } catch (error) {
      caught = error;
    }
    expect(isFtpkitError(caught)).toBe(true);
    expect((caught as { code: string }).code).toBe('FTPKIT_ERR_INVALID_ARGUMENT');
    expect((caught as Error).message).toMatch(message);
  });

  it('defaults: loopback, safe limits, no users', async () => {
    const server = createServer();
    expect(server.options.host).toBe('127.0.0.1');
    expect(server.options.requireTlsSessionReuse).toBe(true);
    expect(server.options.dataPeerMustMatch).toBe(true);
    expect(server.options.active).toEqual({
      enabled: true,
      allowPrivilegedPorts: false,
      allowThirdParty: false,
    });
    const address = await server.listen();
    expect(address.host).toBe('127.0.0.1');
    expect(address.port).toBeGreaterThan(0);
    await expect(server.listen()).rejects.toMatchObject({ code: 'FTPKIT_ERR_INVALID_STATE' });
    await server.close();
  });
});

describe('lifecycle', () => {
  it('close(): idle sessions get 421, running transfers finish before the deadline', async () => {
    const f = await startServer({ files: { '/big.bin': Buffer.alloc(4 * 1024 * 1024, 9) } });
    const idle = await f.login();
    const busy = await f.login();
    await busy.send('TYPE I');
    const d = await busy.pasv();
    d.pause();
    expect((await busy.send('RETR big.bin')).code).toBe(150);
    const closing = f.server.close({ deadline: 10_000 });
    expect((await idle.read()).code).toBe(421);
    const received = readAll(d);
    d.resume();
    expect((await received).length).toBe(4 * 1024 * 1024);
    expect((await busy.read()).code).toBe(226);
    expect((await busy.read()).code).toBe(421);
    await closing;
    expect(f.server.sessionCount).toBe(0);
    await expect(RawClient.connect(f.port)).rejects.toThrow();
  });

  it('close(): a transfer still running at the deadline is aborted (426) and then 421', async () => {
    const f = await startServer({ fileSystem: endlessFileSystem() });
    const c = await f.login();
    await c.send('TYPE I');
    const d = await c.pasv();
    expect((await c.send('RETR endless.bin')).code).toBe(150);
    await f.server.close({ deadline: 100 });
    expect((await c.read()).code).toBe(426);
    expect((await c.read()).code).toBe(421);
    d.destroy();
  });

  it('leaves no sockets, timers or fds behind after sessions with transfers', async () => {
    const tracker = trackHandles();
    const fs = new MemoryFileSystem({ files: { '/a.txt': 'abc' } });
    const server = createServer({
      authenticator: new StaticUserAuthenticator({
        allowPlaintextPasswords: true,
        users: [{ username: 'u', password: 'p', root: fs }],
      }),
    });
    const { port } = await server.listen();
    const c = await RawClient.connect(port);
    await c.read();
    await c.login('u', 'p');
    let d = await c.pasv();
    await c.send('STOR b.txt');
    await writeAll(d, 'data');
    await c.read();
    d = await c.pasv();
    await c.send('RETR b.txt');
    await readAll(d);
    await c.read();
    await c.send('PASV'); // a listener left open on purpose: QUIT must release it
    await c.quit();
    await server.close();
    await tracker.assertNoLeaks(3000);
  });
});

describe('virtual hosts (HOST, RFC 7151)', () => {
  it('HOST before USER selects the host’s greeting and authenticator; unknown → 504; after USER → 503', async () => {
    const other = new MemoryFileSystem({ files: { '/only-on-b.txt': 'b' } });
    const f = await startServer({
      virtualHosts: {
        'b.example': {
          greeting: 'Welcome to B.',
          authenticator: new StaticUserAuthenticator({
            allowPlaintextPasswords: true,
            users: [{ username: 'bob', password: PASSWORD, root: other }],
          }),
        },
      },
    });
    const c = await f.connect();
    await c.read();
    expect((await c.send('HOST nowhere.example')).code).toBe(504);
    expect(await c.cmd('HOST B.example')).toBe('220 Welcome to B.');
    expect((await c.login('alice', PASSWORD)).code).toBe(530);
    expect((await c.login('bob', PASSWORD)).code).toBe(230);
    expect((await c.send('SIZE only-on-b.txt')).code).toBe(213);
    expect((await c.send('HOST b.example')).code).toBe(503);
    const d = await f.connect();
    await d.read();
    await d.send('USER alice');
    expect((await d.send('HOST b.example')).code).toBe(503);
  });
});

describe('the command registry', () => {
  it('custom verbs, overridden verbs, SITE subcommands, disabled verbs', async () => {
    const f = await startServer({
      commands: [
        defineCommand({
          verb: 'XHELLO',
          login: true,
          help: 'Say hello.',
          features: () => ['XHELLO'],
          async handle(ctx, command) {
            await ctx.reply(
              200,
              `Hello ${ctx.user?.username}: ${'argument' in command ? command.argument : ''}`,
            );
          },
        }),
        defineCommand({
          verb: 'SYST',
          login: false,
          tlsExempt: true,
          async handle(ctx) {
            await ctx.reply(215, 'UNIX Type: L8 (custom)');
          },
        }),
        defineCommand({
          verb: 'XFAIL',
          login: false,
          handle() {
            throw new ReplyError(550, 'Custom refusal.');
          },
        }),
      ],
      siteCommands: [
        {
          name: 'ECHO',
          permission: 'write',
          async handle(ctx, argument) {
            await ctx.reply(200, argument ?? '(nothing)');
          },
        },
      ],
      disabledCommands: ['MKD', 'HASH'],
    });
    const c = await f.connect();
    await c.read();
    expect((await c.send('XHELLO x')).code).toBe(530);
    expect(await c.cmd('SYST')).toBe('215 UNIX Type: L8 (custom)');
    expect(await c.cmd('XFAIL')).toBe('550 Custom refusal.');
    expect((await c.send('SITE ECHO hi')).code).toBe(530);
    await c.login('alice', PASSWORD);
    expect(await c.cmd('XHELLO big world')).toBe('200 Hello alice: big world');
    expect(await c.cmd('HELP XHELLO')).toBe('214 XHELLO: Say hello.');
    expect(await c.cmd('SITE echo hi there')).toBe('200 hi there');
    expect((await c.send('MKD d')).code).toBe(502);
    expect((await c.send('HELP MKD')).code).toBe(501);
    const feat = (await c.send('FEAT')).lines.map((l) => l.trim());
    expect(feat).toContain('XHELLO');
    expect(feat.some((l) => l.startsWith('HASH'))).toBe(false);
    const reader = await f.login('reader');
    expect((await reader.send('SITE ECHO x')).code).toBe(550);
  });
});
