import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IAC } from '../src/control/telnet.ts';
import { CodecErrorCodes } from '../src/errors.ts';
import {
  formatReply,
  formatReplyBytes,
  needsReplyPadding,
  parseReply,
  type Reply,
  ReplyParser,
} from '../src/replies/index.ts';
import { chunkings, expectOnlyCodecErrors, fuzzRuns, unicode, utf8 } from './helpers.ts';

const invalidArgument = expect.objectContaining({ code: CodecErrorCodes.INVALID_ARGUMENT });

/** What the parser must read back: inner lines that begin with three digits carry one padding space. */
function expectedLines(lines: readonly string[]): string[] {
  return lines.map((line, i) => (i > 0 && i < lines.length - 1 && /^\d{3}/.test(line) ? ' ' + line : line));
}

describe('formatReply', () => {
  it('RFC 959 §4.2: formats a single-line reply as code SP text CRLF', () => {
    expect(formatReply(200, 'Command okay.')).toBe('200 Command okay.\r\n');
    expect(formatReply(200, ['Command okay.'])).toBe('200 Command okay.\r\n');
  });

  it('RFC 959 §4.2: formats a multi-line reply from lines', () => {
    expect(formatReply(211, ['First line', 'Second line', 'End'])).toBe(
      '211-First line\r\nSecond line\r\n211 End\r\n',
    );
    expect(formatReply(211, ['Status', 'End'])).toBe('211-Status\r\n211 End\r\n');
  });

  it('splits a string text at LF and CRLF: a newline in a message makes a multi-line reply', () => {
    expect(formatReply(214, 'Help\nfor\r\nyou')).toBe('214-Help\r\nfor\r\n214 you\r\n');
    expect(formatReply(214, 'trailing\n')).toBe('214-trailing\r\n214 \r\n');
  });

  it('sends an empty text as code SP CRLF', () => {
    expect(formatReply(200, '')).toBe('200 \r\n');
  });

  it('RFC 959 §4.2: pads inner lines that begin with three digits, and only those', () => {
    expect(formatReply(211, ['Status', '211 End', '211', '211-x', '123abc', '12x', ' 200 ok', 'End'])).toBe(
      '211-Status\r\n 211 End\r\n 211\r\n 211-x\r\n 123abc\r\n12x\r\n 200 ok\r\n211 End\r\n',
    );
    expect(needsReplyPadding('226 done')).toBe(true);
    expect(needsReplyPadding('22 done')).toBe(false);
    expect(needsReplyPadding('')).toBe(false);
  });

  it('does not pad the first and last lines, which carry the code prefix', () => {
    expect(formatReply(211, ['200 first', '300 last'])).toBe('211-200 first\r\n211 300 last\r\n');
  });

  it('RFC 959 §4.2 / RFC 2228 §4: accepts codes 100..599 and 631..633, rejects others', () => {
    expect(formatReply(100, 'x')).toBe('100 x\r\n');
    expect(formatReply(599, 'x')).toBe('599 x\r\n');
    expect(formatReply(632, 'x')).toBe('632 x\r\n');
    for (const code of [99, 600, 630, 634, 700, 1000, 0, -200, 200.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => formatReply(code, 'x')).toThrow(invalidArgument);
    }
    expect(() => formatReply('200' as unknown as number, 'x')).toThrow(invalidArgument);
  });

  it('rejects a lone CR and NUL in a string text', () => {
    for (const text of ['a\rb', 'a\r', '\r', 'a\0b', 'a\r\n\0']) {
      expect(() => formatReply(200, text)).toThrow(invalidArgument);
    }
  });

  it('rejects CR, LF or NUL inside an array line, and an empty array', () => {
    for (const lines of [['a\nb'], ['a', 'b\r\n', 'c'], ['a\0'], []]) {
      expect(() => formatReply(200, lines)).toThrow(invalidArgument);
    }
  });

  it('formats bytes: UTF-8 by default, Latin-1 with IAC doubled (RFC 854) on request', () => {
    expect(formatReplyBytes(257, '"/ü"')).toEqual(utf8('257 "/ü"\r\n'));
    expect(formatReplyBytes(257, '"/\u00ff"', { encoding: 'latin1' })).toEqual(
      Uint8Array.of(...utf8('257 "/'), IAC, IAC, ...utf8('"\r\n')),
    );
    expect(() => formatReplyBytes(257, '"/디"', { encoding: 'latin1' })).toThrow(invalidArgument);
    expect(() => formatReplyBytes(200, 'x', { encoding: 'ucs2' as 'utf8' })).toThrow(invalidArgument);
  });

  it('Latin-1 bytes with a doubled IAC parse back to the same text', () => {
    const bytes = formatReplyBytes(550, 'caf\u00e9 \u00ff', { encoding: 'latin1' });
    for (const chunks of chunkings(bytes)) {
      const parser = new ReplyParser({ encoding: 'latin1' });
      const replies = chunks.flatMap((chunk) => parser.push(chunk));
      expect(replies).toEqual([
        { code: 550, lines: ['caf\u00e9 \u00ff'], text: 'caf\u00e9 \u00ff', multiline: false },
      ]);
    }
  });
});

const code = fc.oneof(fc.integer({ min: 100, max: 599 }), fc.constantFrom(631, 632, 633));
const plain = unicode(16).map((s) => s.replace(/[\r\n\0]/g, '.'));
/** Lines built to end a reply early: codes with SP, hyphen or nothing, digits, spaces, empty lines. */
const hostileLine = (c: number) =>
  fc.oneof(
    plain,
    plain.map((s) => `${c} ${s}`),
    plain.map((s) => `${c}-${s}`),
    fc.constant(`${c}`),
    fc.constant(''),
    fc.tuple(fc.integer({ min: 0, max: 999 }), plain).map(([n, s]) => `${String(n).padStart(3, '0')}${s}`),
    plain.map((s) => ` ${c} ${s}`),
  );
const replyInput = code.chain((c) =>
  fc.tuple(fc.constant(c), fc.array(hostileLine(c), { minLength: 1, maxLength: 6 })),
);

function parseChunks(chunks: Uint8Array[]): Reply[] {
  const parser = new ReplyParser();
  const replies = chunks.flatMap((chunk) => parser.push(chunk));
  parser.end();
  return replies;
}

describe('formatReply properties', () => {
  it('round trip: the parser reads back the same code and lines (modulo padding), however split', () => {
    fc.assert(
      fc.property(replyInput, fc.nat(), ([c, lines], cut) => {
        const bytes = utf8(formatReply(c, lines));
        const at = cut % (bytes.length + 1);
        const expected = {
          code: c,
          lines: expectedLines(lines),
          text: expectedLines(lines).join('\n'),
          multiline: lines.length > 1,
        };
        expect(parseChunks([bytes])).toEqual([expected]);
        expect(parseChunks([bytes.subarray(0, at), bytes.subarray(at)])).toEqual([expected]);
      }),
      { numRuns: fuzzRuns() },
    );
  });

  it('round trip: a string text with LF or CRLF breaks comes back as the same text (modulo padding)', () => {
    fc.assert(
      fc.property(replyInput, fc.boolean(), ([c, lines], crlf) => {
        const reply = parseReply(formatReply(c, lines.join(crlf ? '\r\n' : '\n')));
        expect(reply.code).toBe(c);
        expect(reply.text).toBe(expectedLines(lines).join('\n'));
      }),
      { numRuns: fuzzRuns() },
    );
  });

  it('two replies back to back stay two replies', () => {
    fc.assert(
      fc.property(replyInput, replyInput, ([c1, l1], [c2, l2]) => {
        const replies = parseChunks([utf8(formatReply(c1, l1) + formatReply(c2, l2))]);
        expect(replies.map((r) => [r.code, r.lines])).toEqual([
          [c1, expectedLines(l1)],
          [c2, expectedLines(l2)],
        ]);
      }),
      { numRuns: fuzzRuns() },
    );
  });

  it('throws only CodecError on arbitrary codes and texts', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.integer(), fc.double(), fc.constantFrom(200, 631)),
        fc.oneof(unicode(20), fc.array(unicode(20), { maxLength: 4 })),
        (c, text) => {
          expectOnlyCodecErrors(() => formatReply(c, text));
          expectOnlyCodecErrors(() => formatReplyBytes(c, text, { encoding: 'latin1' }));
        },
      ),
      { numRuns: fuzzRuns() },
    );
  });
});
