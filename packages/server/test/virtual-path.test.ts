import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isVirtualPathError, ServerErrorCodes, VirtualPathError } from '../src/errors.ts';
import {
  isVirtualPath,
  isVirtualPathWithin,
  joinVirtualPath,
  resolveVirtualPath,
  virtualBasename,
  virtualDirname,
  virtualPathSegments,
} from '../src/paths/virtual-path.ts';

function refusal(fn: () => unknown): VirtualPathError {
  try {
    fn();
  } catch (error) {
    expect(isVirtualPathError(error)).toBe(true);
    return error as VirtualPathError;
  }
  throw new Error('expected a VirtualPathError');
}

describe('resolveVirtualPath', () => {
  it.each([
    ['/', '', '/'],
    ['/home/u', '', '/home/u'],
    ['/', '.', '/'],
    ['/', '..', '/'],
    ['/', '../../..', '/'],
    ['/a/b', '..', '/a'],
    ['/a/b', '../..', '/'],
    ['/a/b', '../../../../etc/passwd', '/etc/passwd'],
    ['/a', 'b/c', '/a/b/c'],
    ['/a', '/x/y', '/x/y'],
    ['/a', '//x//y//', '/x/y'],
    ['/a', './b/./c/.', '/a/b/c'],
    ['/a', 'b/../c', '/a/c'],
    ['/a', '...', '/a/...'],
    ['/a', '.hidden', '/a/.hidden'],
    ['/', 'a\\..\\..\\b', '/a\\..\\..\\b'],
    ['/', '..\\..', '/..\\..'],
    ['/', 'dir with spaces/ file ', '/dir with spaces/ file '],
    ['/', 'héllo/世界/🎉', '/héllo/世界/🎉'],
    ['/', '~', '/~'],
    ['/', '-la', '/-la'],
  ])('(%j, %j) → %j', (cwd, input, expected) => {
    expect(resolveVirtualPath(cwd, input)).toBe(expected);
  });

  it('normalises a malformed cwd too', () => {
    expect(resolveVirtualPath('a/../../b/', 'c')).toBe('/b/c');
    expect(resolveVirtualPath('', '')).toBe('/');
  });

  it('refuses NUL anywhere with PATH_INVALID → 501', () => {
    const error = refusal(() => resolveVirtualPath('/', 'a\0b'));
    expect(error).toBeInstanceOf(VirtualPathError);
    expect(error.code).toBe(ServerErrorCodes.PATH_INVALID);
    expect(error.replyCode).toBe(501);
    expect(refusal(() => resolveVirtualPath('/a\0', 'b')).code).toBe(ServerErrorCodes.PATH_INVALID);
  });

  it('refuses a segment over 255 UTF-8 bytes with PATH_TOO_LONG → 553', () => {
    expect(resolveVirtualPath('/', 'a'.repeat(255))).toBe(`/${'a'.repeat(255)}`);
    const error = refusal(() => resolveVirtualPath('/', 'a'.repeat(256)));
    expect(error.code).toBe(ServerErrorCodes.PATH_TOO_LONG);
    expect(error.replyCode).toBe(553);
    // 128 two-byte characters = 256 bytes.
    expect(refusal(() => resolveVirtualPath('/', 'é'.repeat(128))).code).toBe(ServerErrorCodes.PATH_TOO_LONG);
    expect(resolveVirtualPath('/', 'é'.repeat(127))).toHaveLength(128);
    // 64 four-byte emoji = 256 bytes.
    expect(refusal(() => resolveVirtualPath('/', '🎉'.repeat(64))).code).toBe(ServerErrorCodes.PATH_TOO_LONG);
  });

  it('judges the resolved path, not the input: a long segment removed by .. is fine', () => {
    expect(resolveVirtualPath('/', `${'a'.repeat(300)}/..`)).toBe('/');
  });

  it('refuses a path over 4096 bytes, with configurable limits', () => {
    const deep = Array.from({ length: 20 }, () => 'x'.repeat(250)).join('/');
    expect(refusal(() => resolveVirtualPath('/', deep)).code).toBe(ServerErrorCodes.PATH_TOO_LONG);
    expect(resolveVirtualPath('/', deep, { maxPathLength: 10_000 })).toBe(`/${deep}`);
    expect(refusal(() => resolveVirtualPath('/', 'abcdef', { maxSegmentLength: 5 })).code).toBe(
      ServerErrorCodes.PATH_TOO_LONG,
    );
    expect(refusal(() => resolveVirtualPath('/', 'a/b/c', { maxPathLength: 5 })).code).toBe(
      ServerErrorCodes.PATH_TOO_LONG,
    );
    expect(resolveVirtualPath('/', 'a/b', { maxPathLength: 4 })).toBe('/a/b');
  });

  describe('properties', () => {
    const segment = fc.oneof(
      fc.constantFrom('.', '..', '', '...', 'a', 'b\\c', ' ', 'é', '🎉'),
      fc.string({ maxLength: 8 }).filter((s) => !s.includes('/') && !s.includes('\0')),
    );
    const rawPath = fc
      .tuple(fc.boolean(), fc.array(segment, { maxLength: 12 }))
      .map(([absolute, parts]) => (absolute ? '/' : '') + parts.join('/'));

    it('always starts with /, never has . / .. / empty segments, is idempotent', () => {
      fc.assert(
        fc.property(rawPath, rawPath, (cwd, input) => {
          const out = resolveVirtualPath(cwd, input);
          expect(out.startsWith('/')).toBe(true);
          expect(isVirtualPath(out)).toBe(true);
          const segments = virtualPathSegments(out);
          expect(segments).not.toContain('..');
          expect(segments).not.toContain('.');
          expect(segments).not.toContain('');
          expect(resolveVirtualPath('/', out)).toBe(out);
          expect(resolveVirtualPath(out, '')).toBe(out);
          expect(resolveVirtualPath(cwd, out)).toBe(out);
        }),
        { numRuns: 500 },
      );
    });

    it('a relative input stays below the resolved cwd unless it climbs with ..', () => {
      fc.assert(
        fc.property(
          rawPath,
          fc.array(
            segment.filter((s) => s !== '..'),
            { maxLength: 6 },
          ),
          (cwd, parts) => {
            const base = resolveVirtualPath('/', cwd);
            expect(isVirtualPathWithin(resolveVirtualPath(base, `./${parts.join('/')}`), base)).toBe(true);
          },
        ),
        { numRuns: 300 },
      );
    });

    it('any string without NUL resolves or is refused only for length', () => {
      fc.assert(
        fc.property(fc.string({ maxLength: 600, unit: 'binary' }), (input) => {
          fc.pre(!input.includes('\0'));
          try {
            expect(isVirtualPath(resolveVirtualPath('/', input))).toBe(true);
          } catch (error) {
            expect((error as VirtualPathError).code).toBe(ServerErrorCodes.PATH_TOO_LONG);
          }
        }),
        { numRuns: 300 },
      );
    });
  });
});

describe('virtual path helpers', () => {
  it('isVirtualPath', () => {
    for (const ok of ['/', '/a', '/a/b', '/.a', '/a\\b', '/...']) expect(isVirtualPath(ok)).toBe(true);
    for (const bad of ['', 'a', '/a/', '//', '/a//b', '/.', '/..', '/a/./b', '/a/../b', '/a\0']) {
      expect(isVirtualPath(bad)).toBe(false);
    }
  });

  it('dirname, basename, segments', () => {
    expect(virtualDirname('/')).toBe('/');
    expect(virtualDirname('/a')).toBe('/');
    expect(virtualDirname('/a/b')).toBe('/a');
    expect(virtualBasename('/')).toBe('');
    expect(virtualBasename('/a/b')).toBe('b');
    expect(virtualPathSegments('/')).toEqual([]);
    expect(virtualPathSegments('/a/b')).toEqual(['a', 'b']);
  });

  it('joinVirtualPath takes one literal name', () => {
    expect(joinVirtualPath('/', 'a')).toBe('/a');
    expect(joinVirtualPath('/a', 'b c')).toBe('/a/b c');
    for (const bad of ['', '.', '..', 'a/b', 'a\0']) {
      expect(refusal(() => joinVirtualPath('/a', bad)).code).toBe(ServerErrorCodes.PATH_INVALID);
    }
  });

  it('isVirtualPathWithin', () => {
    expect(isVirtualPathWithin('/a/b', '/a')).toBe(true);
    expect(isVirtualPathWithin('/a', '/a')).toBe(true);
    expect(isVirtualPathWithin('/ab', '/a')).toBe(false);
    expect(isVirtualPathWithin('/x', '/')).toBe(true);
  });
});
