import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CodecErrorCodes } from '../src/errors.ts';
import {
  formatPathnameReplyText,
  formatReply,
  parsePathnameReply,
  parseReply,
  quotePathname,
  type Reply,
  ReplyParser,
} from '../src/replies/index.ts';
import { chunkings, expectOnlyCodecErrors, fuzzRuns, unicode, utf8 } from './helpers.ts';

/** The 257 reply carrying `text`, parsed from the wire as one chunk, byte by byte and split at every offset. */
function* wireReplies(text: string): Generator<Reply> {
  for (const chunks of chunkings(utf8(`257 ${text}\r\n`))) {
    const parser = new ReplyParser();
    const replies = chunks.flatMap((chunk) => parser.push(chunk));
    expect(replies).toHaveLength(1);
    yield replies[0]!;
  }
}

const replyError = expect.objectContaining({ code: CodecErrorCodes.REPLY });

describe('quotePathname and formatPathnameReplyText', () => {
  it('RFC 959 Appendix II: wraps the name in quotes and doubles embedded quotes', () => {
    expect(quotePathname('/usr/dm/foo"bar')).toBe('"/usr/dm/foo""bar"');
    expect(quotePathname('a "quoted" dir')).toBe('"a ""quoted"" dir"');
    expect(quotePathname('""')).toBe('""""""');
  });

  it('RFC 959 Appendix II: 257 "PATHNAME" followed by commentary', () => {
    expect(formatReply(257, formatPathnameReplyText('/usr/dm/foo"bar', 'directory created'))).toBe(
      '257 "/usr/dm/foo""bar" directory created\r\n',
    );
    expect(formatPathnameReplyText('/home/x', 'is the current directory')).toBe(
      '"/home/x" is the current directory',
    );
    expect(formatPathnameReplyText('/')).toBe('"/"');
    expect(formatPathnameReplyText('/', '')).toBe('"/"');
  });

  it('RFC 959 §4.1.3: rejects CR, LF and NUL in a path or comment with CONTROL_CHARACTER', () => {
    for (const [path, comment] of [
      ['/a\rb', undefined],
      ['/a\nb', undefined],
      ['/a\0b', undefined],
      ['/a', 'created\r\n257 "/evil"'],
    ] as const) {
      expect(() => formatPathnameReplyText(path, comment)).toThrow(
        expect.objectContaining({ code: CodecErrorCodes.CONTROL_CHARACTER }),
      );
    }
    expect(() => quotePathname('/a\nb')).toThrow(
      expect.objectContaining({ code: CodecErrorCodes.CONTROL_CHARACTER }),
    );
  });

  it('rejects an empty path with INVALID_ARGUMENT', () => {
    expect(() => quotePathname('')).toThrow(
      expect.objectContaining({ code: CodecErrorCodes.INVALID_ARGUMENT }),
    );
  });
});

describe('parsePathnameReply', () => {
  it('RFC 959 Appendix II: undoubles quotes and ignores the commentary, through any split of the reply', () => {
    for (const chunks of chunkings(utf8('257 "/usr/dm/foo""bar" directory created\r\n'))) {
      const parser = new ReplyParser();
      const [reply] = chunks.flatMap((chunk) => parser.push(chunk));
      expect(parsePathnameReply(reply!)).toBe('/usr/dm/foo"bar');
    }
  });

  it.each([
    ['"/home/x" is the current directory', '/home/x'],
    ['"/a b/c" created', '/a b/c'],
    ['"/with ""two"" quotes"', '/with "two" quotes'],
    ['"/trailing""" ', '/trailing"'],
    ['""""', '"'],
    ['"/디렉터리"', '/디렉터리'],
    ['  "/x" leading spaces', '/x'],
  ])('reads %s, from the text and from the 257 reply however split', (text, path) => {
    expect(parsePathnameReply(text)).toBe(path);
    for (const reply of wireReplies(text)) expect(parsePathnameReply(reply)).toBe(path);
  });

  it('tolerates a quoted name after some text (Current directory is "/x")', () => {
    expect(parsePathnameReply('Current directory is "/x y"')).toBe('/x y');
  });

  it('tolerates servers that send no quotes at all: the first word', () => {
    expect(parsePathnameReply('/home/x')).toBe('/home/x');
    expect(parsePathnameReply('/home/x is current')).toBe('/home/x');
    expect(parsePathnameReply('/a"b is current')).toBe('/a"b');
  });

  it('reads the first line of a multi-line 257 reply only', () => {
    const reply = parseReply('257-"/x" created\r\n"/not/this"\r\n257 Done\r\n');
    expect(parsePathnameReply(reply)).toBe('/x');
    expect(parsePathnameReply(reply.text)).toBe('/x');
  });

  it.each([
    ['an empty text', ''],
    ['blank text', '   '],
    ['an empty quoted name', '"" created'],
    ['an unterminated quote', '"/home/x is current'],
  ])('throws REPLY for %s', (_, text) => {
    expect(() => parsePathnameReply(text)).toThrow(replyError);
    for (const reply of wireReplies(text)) expect(() => parsePathnameReply(reply)).toThrow(replyError);
  });

  it('throws REPLY for a Reply whose code is not 257', () => {
    expect(() => parsePathnameReply(parseReply('550 "/x": no such directory'))).toThrow(replyError);
  });

  it('round trip: any path (quotes, spaces, digits, UTF-8) and comment come back through the wire', () => {
    const text = unicode(24).map((s) => s.replace(/[\r\n\0]/g, ''));
    const path = fc
      .oneof(
        text,
        text.map((s) => `"${s}"`),
        text.map((s) => ` ${s}""`),
      )
      .filter((s) => s !== '');
    fc.assert(
      fc.property(path, fc.option(text, { nil: undefined }), fc.nat(), (p, comment, cut) => {
        const wire = utf8(formatReply(257, formatPathnameReplyText(p, comment)));
        const at = cut % (wire.length + 1);
        const parser = new ReplyParser();
        const replies = [...parser.push(wire.subarray(0, at)), ...parser.push(wire.subarray(at))];
        expect(replies.length).toBe(1);
        expect(parsePathnameReply(replies[0]!)).toBe(p);
      }),
      { numRuns: fuzzRuns() },
    );
  });

  it('throws only CodecError on arbitrary text', () => {
    fc.assert(
      fc.property(unicode(100), fc.string({ maxLength: 30 }), (text, other) => {
        expectOnlyCodecErrors(() => parsePathnameReply(text));
        expectOnlyCodecErrors(() => parsePathnameReply(`"${text}${other}`));
        expectOnlyCodecErrors(() => formatPathnameReplyText(text, other));
      }),
      { numRuns: fuzzRuns() },
    );
  });
});
