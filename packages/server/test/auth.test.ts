import { beforeAll, describe, expect, it } from 'vitest';
import {
  NO_PERMISSIONS,
  PERMISSION_NAMES,
  permissions,
  READ_ONLY_PERMISSIONS,
  READ_WRITE_PERMISSIONS,
} from '../src/auth/authenticator.ts';
import { hashPassword, parsePasswordHash, verifyPassword } from '../src/auth/password.ts';
import { StaticUserAuthenticator } from '../src/auth/static-users.ts';
import {
  AuthenticationError,
  InvalidArgumentError,
  isAuthenticationError,
  ServerErrorCodes,
} from '../src/errors.ts';
import { LocalFileSystem } from '../src/fs/local-file-system.ts';
import { MemoryFileSystem } from '../src/fs/memory-file-system.ts';
import { childLogger, type Logger, silentLogger } from '../src/logger.ts';

// Small scrypt parameters keep the suite fast; the format and code paths are the same.
const FAST = { N: 1024, r: 8, p: 1 } as const;
const request = (username: string, password: string) => ({
  username,
  password,
  remoteAddress: '127.0.0.1',
  tls: { secure: false },
});

async function refusal(promise: Promise<unknown>): Promise<AuthenticationError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isAuthenticationError(error), `expected an AuthenticationError, got ${String(error)}`).toBe(true);
  return error as AuthenticationError;
}

describe('password hashes', () => {
  it('produce a self-describing scrypt string that verifies', async () => {
    const hash = await hashPassword('correct horse', FAST);
    expect(hash).toMatch(/^scrypt\$1024\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(await verifyPassword('correct horse', hash)).toBe(true);
    expect(await verifyPassword('correct horsE', hash)).toBe(false);
    expect(await verifyPassword('', hash)).toBe(false);
  });

  it('salt every hash', async () => {
    expect(await hashPassword('same', FAST)).not.toBe(await hashPassword('same', FAST));
  });

  it('use the documented defaults', async () => {
    const parsed = parsePasswordHash(await hashPassword('x'));
    expect(parsed).toMatchObject({ N: 16384, r: 8, p: 1 });
    expect(parsed.salt).toHaveLength(16);
    expect(parsed.key).toHaveLength(32);
  });

  it('treat UTF-8 passwords in NFC', async () => {
    const hash = await hashPassword('caf\u00e9', FAST);
    expect(await verifyPassword('cafe\u0301', hash)).toBe(true);
  });

  it('refuse malformed hashes and hostile parameters', async () => {
    for (const bad of [
      '',
      'plain',
      'scrypt$1024$8$1$c2FsdA==',
      'scrypt$1000$8$1$c2FsdHNhbHQ=$a2V5a2V5a2V5a2V5a2V5a2V5',
    ]) {
      expect(() => parsePasswordHash(bad)).toThrow(InvalidArgumentError);
    }
    expect(() => parsePasswordHash('scrypt$2097152$8$1$c2FsdHNhbHQ=$a2V5a2V5a2V5a2V5a2V5a2V5')).toThrow(
      InvalidArgumentError,
    );
    await expect(hashPassword('x', { N: 3 })).rejects.toThrow(InvalidArgumentError);
    await expect(hashPassword('x', { ...FAST, saltLength: 2 })).rejects.toThrow(InvalidArgumentError);
  });
});

describe('permissions', () => {
  it('presets', () => {
    expect(PERMISSION_NAMES.every((name) => READ_WRITE_PERMISSIONS[name])).toBe(true);
    expect(PERMISSION_NAMES.every((name) => !NO_PERMISSIONS[name])).toBe(true);
    expect(PERMISSION_NAMES.filter((name) => READ_ONLY_PERMISSIONS[name])).toEqual(['list', 'read']);
    expect(Object.isFrozen(READ_ONLY_PERMISSIONS)).toBe(true);
  });

  it('builder from a preset with overrides, or from names', () => {
    const uploads = permissions(READ_ONLY_PERMISSIONS, { write: true, read: false });
    expect(PERMISSION_NAMES.filter((name) => uploads[name])).toEqual(['list', 'write']);
    expect(PERMISSION_NAMES.filter((name) => permissions(['mkdir', 'list'])[name])).toEqual([
      'list',
      'mkdir',
    ]);
    expect(Object.isFrozen(uploads)).toBe(true);
  });
});

describe('StaticUserAuthenticator', () => {
  let aliceHash: string;
  const aliceFs = new MemoryFileSystem();

  beforeAll(async () => {
    aliceHash = await hashPassword('s3cret', FAST);
  });

  const make = (extra: Partial<ConstructorParameters<typeof StaticUserAuthenticator>[0]> = {}) =>
    new StaticUserAuthenticator({
      users: [{ username: 'alice', password: aliceHash, root: aliceFs, home: '/home/alice/' }],
      ...extra,
    });

  it('logs a user in with the right password', async () => {
    const user = await make().authenticate(request('alice', 's3cret'));
    expect(user).toMatchObject({ username: 'alice', home: '/home/alice', anonymous: false });
    expect(user.fileSystem).toBe(aliceFs);
    expect(user.permissions).toEqual(READ_WRITE_PERMISSIONS);
  });

  it('refuses a wrong password and an unknown user with the same error', async () => {
    const auth = make();
    const wrong = await refusal(auth.authenticate(request('alice', 'nope')));
    const unknown = await refusal(auth.authenticate(request('mallory', 'nope')));
    for (const error of [wrong, unknown]) {
      expect(error).toBeInstanceOf(AuthenticationError);
      expect(error.code).toBe(ServerErrorCodes.AUTH_FAILED);
      expect(error.replyCode).toBe(530);
    }
    expect(unknown.message).toBe(wrong.message);
    expect(unknown.name).toBe(wrong.name);
    expect(unknown.reason).toBe(wrong.reason);
  });

  it('usernames are case-sensitive by default, configurable', async () => {
    await refusal(make().authenticate(request('Alice', 's3cret')));
    const loose = make({ caseSensitiveUsernames: false });
    expect((await loose.authenticate(request('ALICE', 's3cret'))).username).toBe('alice');
  });

  it('refuses plaintext passwords unless explicitly allowed', async () => {
    const users = [{ username: 'bob', password: 'hunter2', root: new MemoryFileSystem() }];
    expect(() => new StaticUserAuthenticator({ users })).toThrow(InvalidArgumentError);
    const auth = new StaticUserAuthenticator({ users, allowPlaintextPasswords: true });
    expect((await auth.authenticate(request('bob', 'hunter2'))).username).toBe('bob');
    await refusal(auth.authenticate(request('bob', 'hunter')));
    await refusal(auth.authenticate(request('bob', 'hunter22')));
  });

  it('refuses bad configuration at construction', () => {
    const root = new MemoryFileSystem();
    expect(
      () => new StaticUserAuthenticator({ users: [{ username: '', password: aliceHash, root }] }),
    ).toThrow(InvalidArgumentError);
    expect(
      () =>
        new StaticUserAuthenticator({
          users: [
            { username: 'a', password: aliceHash, root },
            { username: 'a', password: aliceHash, root },
          ],
        }),
    ).toThrow(InvalidArgumentError);
    expect(
      () => new StaticUserAuthenticator({ users: [{ username: 'a', password: 'scrypt$broken', root }] }),
    ).toThrow(InvalidArgumentError);
    expect(
      () =>
        new StaticUserAuthenticator({
          users: [{ username: 'ftp', password: aliceHash, root }],
          anonymous: { root },
        }),
    ).toThrow(InvalidArgumentError);
    expect(
      () =>
        new StaticUserAuthenticator({ users: [{ username: 'a', password: aliceHash, root: 42 as never }] }),
    ).toThrow(InvalidArgumentError);
  });

  it('serves a directory root with LocalFileSystem', async () => {
    const auth = new StaticUserAuthenticator({
      users: [{ username: 'carol', password: aliceHash, root: '/srv/ftp/carol' }],
    });
    const user = await auth.authenticate(request('carol', 's3cret'));
    expect(user.fileSystem).toBeInstanceOf(LocalFileSystem);
    expect((user.fileSystem as LocalFileSystem).root).toBe('/srv/ftp/carol');
  });

  describe('anonymous', () => {
    it('is off by default: anonymous and ftp get the same refusal as anyone', async () => {
      const auth = make();
      const anon = await refusal(auth.authenticate(request('anonymous', 'me@example.com')));
      const ftp = await refusal(auth.authenticate(request('ftp', '')));
      const wrong = await refusal(auth.authenticate(request('alice', 'x')));
      for (const error of [anon, ftp]) {
        expect(error.code).toBe(wrong.code);
        expect(error.replyCode).toBe(wrong.replyCode);
        expect(error.message).toBe(wrong.message);
      }
    });

    it('when on: anonymous or ftp (any case), any password, read-only by default', async () => {
      const pub = new MemoryFileSystem({ files: { '/pub/readme': 'hi' } });
      const auth = make({ anonymous: { root: pub, home: '/pub' } });
      for (const name of ['anonymous', 'ftp', 'Anonymous', 'FTP']) {
        const user = await auth.authenticate(request(name, name === 'ftp' ? '' : 'guest@example.com'));
        expect(user).toMatchObject({ username: 'anonymous', anonymous: true, home: '/pub' });
        expect(user.fileSystem).toBe(pub);
        expect(user.permissions).toEqual(READ_ONLY_PERMISSIONS);
      }
      // Configured users still need their password.
      await refusal(auth.authenticate(request('alice', 'guest@example.com')));
    });

    it('permissions can be widened explicitly (e.g. an upload drop box)', async () => {
      const auth = make({
        anonymous: {
          root: new MemoryFileSystem(),
          permissions: permissions(READ_ONLY_PERMISSIONS, { write: true }),
        },
      });
      expect((await auth.authenticate(request('ftp', ''))).permissions.write).toBe(true);
    });

    it('a configured user named ftp is a normal user when anonymous is off', async () => {
      const auth = new StaticUserAuthenticator({
        users: [{ username: 'ftp', password: aliceHash, root: new MemoryFileSystem() }],
      });
      expect((await auth.authenticate(request('ftp', 's3cret'))).anonymous).toBe(false);
      await refusal(auth.authenticate(request('ftp', 'any')));
    });
  });

  it('honours an aborted signal', async () => {
    const signal = AbortSignal.abort(new Error('connection closed'));
    await expect(make().authenticate({ ...request('alice', 's3cret'), signal })).rejects.toThrow(
      'connection closed',
    );
  });
});

describe('logger', () => {
  it('the silent logger accepts pino-style calls and children', () => {
    expect(() => silentLogger.info({ a: 1 }, 'msg')).not.toThrow();
    expect(childLogger(silentLogger, { session: 1 })).toBe(silentLogger);
  });

  it('childLogger uses child() when present and falls back to the logger itself', () => {
    const records: unknown[] = [];
    const base: Logger = {
      debug: () => {},
      info: (obj, msg) => records.push({ ...obj, msg }),
      warn: () => {},
      error: () => {},
      child: (bindings) => ({ ...base, info: (obj, msg) => records.push({ ...bindings, ...obj, msg }) }),
    };
    childLogger(base, { session: 7 }).info({ verb: 'RETR' }, 'sent');
    const { child: _child, ...withoutChild } = base;
    expect(childLogger(withoutChild, { session: 8 })).toBe(withoutChild);
    expect(records).toEqual([{ session: 7, verb: 'RETR', msg: 'sent' }]);
  });
});
