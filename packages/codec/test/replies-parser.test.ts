import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IAC, TelnetCommand } from '../src/control/telnet.ts';
import { CodecError, CodecErrorCodes } from '../src/errors.ts';
import {
  DEFAULT_MAX_REPLY_BYTES,
  DEFAULT_MAX_REPLY_LINES,
  parseReply,
  type Reply,
  ReplyParser,
  type ReplyParserOptions,
} from '../src/replies/index.ts';
import { chunkings, expectOnlyCodecErrors, fuzzRuns, unicode, utf8 } from './helpers.ts';

interface Outcome {
  readonly replies: Reply[];
  readonly error: string | undefined;
}

/** Feeds the chunks in order; collects the replies returned before any throw, and its code. */
function feed(chunks: Iterable<Uint8Array | string>, options?: ReplyParserOptions): Outcome {
  const parser = new ReplyParser(options);
  const replies: Reply[] = [];
  try {
    for (const chunk of chunks) replies.push(...parser.push(chunk));
  } catch (error) {
    if (!(error instanceof CodecError)) throw error;
    return { replies, error: error.code };
  }
  return { replies, error: undefined };
}

const single = (code: number, text: string): Reply => ({ code, lines: [text], text, multiline: false });
const multi = (code: number, lines: string[]): Reply => ({
  code,
  lines,
  text: lines.join('\n'),
  multiline: true,
});

/** Asserts the vector gives `expected` as one chunk, byte by byte, and split at every offset. */
function expectReplies(wire: Uint8Array | string, expected: Reply[], options?: ReplyParserOptions): void {
  const bytes = typeof wire === 'string' ? utf8(wire) : wire;
  for (const chunks of chunkings(bytes)) {
    expect(feed(chunks, options)).toEqual({ replies: expected, error: undefined });
  }
}

/** Asserts every chunking of the vector throws `code`. */
function expectError(wire: Uint8Array | string, code: string, options?: ReplyParserOptions): void {
  const bytes = typeof wire === 'string' ? utf8(wire) : wire;
  for (const chunks of chunkings(bytes)) expect(feed(chunks, options).error).toBe(code);
}

describe('ReplyParser vectors', () => {
  it('RFC 959 §4.2: a single-line reply is code SP text CRLF', () => {
    expectReplies('200 Command okay.\r\n', [single(200, 'Command okay.')]);
  });

  it('RFC 959 §4.2: the multi-line example, with an inner line that begins with numbers', () => {
    const wire =
      '123-First line\r\nSecond line\r\n  234 A line beginning with numbers\r\n123 The last line\r\n';
    expectReplies(wire, [
      multi(123, ['First line', 'Second line', '  234 A line beginning with numbers', 'The last line']),
    ]);
  });

  it('RFC 959 §4.2: returns consecutive replies in order (150 then 226)', () => {
    const wire = '150 File status okay; about to open data connection.\r\n226 Closing data connection.\r\n';
    expectReplies(wire, [
      single(150, 'File status okay; about to open data connection.'),
      single(226, 'Closing data connection.'),
    ]);
  });

  it('RFC 959 §4.2: a line with another code followed by SP does not end a multi-line reply', () => {
    expectReplies('211-Status\r\n200 not the end\r\n550 nor this\r\n211 End\r\n', [
      multi(211, ['Status', '200 not the end', '550 nor this', 'End']),
    ]);
  });

  it('RFC 959 §4.2: keeps inner lines that repeat the code with a hyphen (servers that prefix every line)', () => {
    expectReplies('230-Welcome\r\n230-to the server\r\n230 Logged in.\r\n', [
      multi(230, ['Welcome', '230-to the server', 'Logged in.']),
    ]);
  });

  it('tolerates bare LF line endings (robustness: some servers end lines with LF only)', () => {
    expectReplies('220-Hello\nthere\n220 Ready\n', [multi(220, ['Hello', 'there', 'Ready'])]);
  });

  it('tolerates a last line that is just the code (servers that send an empty final text)', () => {
    expectReplies('226-Transfer done\r\n226\r\n', [multi(226, ['Transfer done', ''])]);
  });

  it('tolerates a single-line reply that is just the code', () => {
    expectReplies('226\r\n200 \r\n', [single(226, ''), single(200, '')]);
  });

  it('keeps empty inner lines', () => {
    expectReplies('214-Help\r\n\r\n214 End\r\n', [multi(214, ['Help', '', 'End'])]);
  });

  it('RFC 2228 §4: accepts the protected-reply codes 631..633', () => {
    expectReplies('631 base64data\r\n', [single(631, 'base64data')]);
  });

  it('RFC 959 §4.1.3: removes Telnet commands the server interleaves (replies travel on a Telnet NVT)', () => {
    const wire = Uint8Array.of(...utf8('200 Com'), IAC, TelnetCommand.NOP, ...utf8('mand okay.\r\n'));
    expectReplies(wire, [single(200, 'Command okay.')]);
  });

  it('RFC 2640 §2.2: decodes UTF-8 text, split inside a multi-byte character', () => {
    expectReplies('257 "/디렉터리 ü" created\r\n', [single(257, '"/디렉터리 ü" created')]);
  });

  it('reads a line that is not valid UTF-8 as Latin-1, losing no byte (old servers send Latin-1 names)', () => {
    const wire = Uint8Array.of(...utf8('550 /caf'), 0xe9, ...utf8(': not found\r\n'));
    expectReplies(wire, [single(550, '/café: not found')]);
  });

  it("reads every line as Latin-1 with encoding: 'latin1'", () => {
    expectReplies(utf8('257 "/ü"\r\n'), [single(257, '"/Ã¼"')], { encoding: 'latin1' });
  });

  it('holds a partial reply until its last line arrives, and reports it as pending', () => {
    const parser = new ReplyParser();
    expect(parser.push('211-Features:\r\n SIZE\r\n')).toEqual([]);
    expect(parser.pending).toBe(true);
    expect(parser.push('211 En')).toEqual([]);
    expect(parser.push('d\r\n')).toEqual([multi(211, ['Features:', ' SIZE', 'End'])]);
    expect(parser.pending).toBe(false);
    expect(() => parser.end()).not.toThrow();
  });
});

describe('ReplyParser errors', () => {
  it.each([
    ['text without a code', 'hello\r\n'],
    ['two digits', '20 ok\r\n'],
    ['four digits', '2000 ok\r\n'],
    ['a code then another character', '200x ok\r\n'],
    ['first digit 0', '099 ok\r\n'],
    ['first digit 6 outside RFC 2228', '600 ok\r\n'],
    ['first digit 7', '700 ok\r\n'],
    ['an empty line', '\r\n'],
    ['a leading space', ' 200 ok\r\n'],
  ])('RFC 959 §4.2: a first line with %s is REPLY', (_, wire) => {
    expectError(wire, CodecErrorCodes.REPLY);
  });

  it('rejects a malformed line after a good reply, having returned the good one when fed separately', () => {
    expectError('200 ok\r\nbad\r\n', CodecErrorCodes.REPLY);
    expect(feed(['200 ok\r\n', 'bad\r\n'])).toEqual({
      replies: [single(200, 'ok')],
      error: CodecErrorCodes.REPLY,
    });
  });

  it('rejects an over-long line with LINE_TOO_LONG', () => {
    expectError(`200 ${'x'.repeat(40)}\r\n`, CodecErrorCodes.LINE_TOO_LONG, { maxLineLength: 32 });
    expectReplies(`200 ${'x'.repeat(28)}\r\n`, [single(200, 'x'.repeat(28))], { maxLineLength: 32 });
  });

  it('caps the lines of one reply: a hostile server sending endless lines gets REPLY', () => {
    expectError('211-a\r\nb\r\nc\r\nd\r\n', CodecErrorCodes.REPLY, { maxLines: 3 });
    expectReplies('211-a\r\nb\r\n211 c\r\n', [multi(211, ['a', 'b', 'c'])], { maxLines: 3 });
    expectError('211-a\r\n', CodecErrorCodes.REPLY, { maxLines: 1 });
  });

  it('caps the bytes of one reply, counting 2 per line ending', () => {
    // "211-a" + CRLF = 7, "bb" + CRLF = 4, "211 c" + CRLF = 7: 18 bytes.
    expectReplies('211-a\r\nbb\r\n211 c\r\n', [multi(211, ['a', 'bb', 'c'])], { maxReplyBytes: 18 });
    expectError('211-a\r\nbb\r\n211 c\r\n', CodecErrorCodes.REPLY, { maxReplyBytes: 17 });
    expectError('200 0123456789\r\n', CodecErrorCodes.REPLY, { maxReplyBytes: 15 });
  });

  it('keeps memory bounded when a server streams lines forever', () => {
    const parser = new ReplyParser({ maxLines: 1000 });
    parser.push('211-start\r\n');
    const chunk = utf8(' line\r\n'.repeat(100));
    let error: unknown;
    for (let i = 0; i < 100 && error === undefined; i++) {
      try {
        parser.push(chunk);
      } catch (e) {
        error = e;
      }
    }
    expect(error).toMatchObject({ code: CodecErrorCodes.REPLY });
  });

  it('is poisoned after an error: later pushes and end() throw the same error', () => {
    const parser = new ReplyParser();
    let first: unknown;
    try {
      parser.push('oops\r\n');
    } catch (error) {
      first = error;
    }
    expect(first).toBeInstanceOf(CodecError);
    expect(parser.error).toBe(first);
    expect(() => parser.push('200 ok\r\n')).toThrow(first as Error);
    expect(() => parser.end()).toThrow(first as Error);
  });

  it('end() reports a reply cut off by the end of the stream as REPLY', () => {
    for (const partial of ['211-a\r\n', '200 o']) {
      const parser = new ReplyParser();
      parser.push(partial);
      expect(() => parser.end()).toThrow(expect.objectContaining({ code: CodecErrorCodes.REPLY }));
    }
  });

  it('rejects bad options with INVALID_ARGUMENT and documents its defaults', () => {
    for (const options of [
      { maxLines: 0 },
      { maxLines: 1.5 },
      { maxReplyBytes: -1 },
      { maxLineLength: 0 },
      { encoding: 'ebcdic' as 'utf8' },
    ]) {
      expect(() => new ReplyParser(options)).toThrow(
        expect.objectContaining({ code: CodecErrorCodes.INVALID_ARGUMENT }),
      );
    }
    const parser = new ReplyParser();
    expect([parser.maxLineLength, parser.maxLines, parser.maxReplyBytes]).toEqual([4096, 10_000, 1_048_576]);
    expect([DEFAULT_MAX_REPLY_LINES, DEFAULT_MAX_REPLY_BYTES]).toEqual([10_000, 1_048_576]);
  });
});

describe('parseReply', () => {
  it('parses one complete reply from a string or bytes', () => {
    expect(parseReply('200 Command okay.\r\n')).toEqual(single(200, 'Command okay.'));
    expect(parseReply(utf8('211-a\r\n211 b\r\n'))).toEqual(multi(211, ['a', 'b']));
  });

  it('accepts a reply without its final line ending', () => {
    expect(parseReply('200 ok')).toEqual(single(200, 'ok'));
    expect(parseReply('211-a\r\n211 b')).toEqual(multi(211, ['a', 'b']));
  });

  it.each([
    ['empty input', ''],
    ['an unterminated multi-line reply', '211-a\r\nb\r\n'],
    ['trailing data', '200 ok\r\n200 again\r\n'],
    ['a trailing partial line', '200 ok\r\n2'],
    ['a trailing empty line', '200 ok\r\n\r\n'],
  ])('throws REPLY for %s', (_, input) => {
    expect(() => parseReply(input)).toThrow(expect.objectContaining({ code: CodecErrorCodes.REPLY }));
  });

  it('passes options through', () => {
    expect(() => parseReply('200 0123456789', { maxLineLength: 8 })).toThrow(
      expect.objectContaining({ code: CodecErrorCodes.LINE_TOO_LONG }),
    );
  });
});

// Arbitrary input that is mostly replies: well-formed replies, lightly corrupted ones, raw bytes.
const replyCode = fc.oneof(fc.integer({ min: 100, max: 599 }), fc.constantFrom(631, 632, 633));
const wireReply = fc
  .tuple(replyCode, fc.array(unicode(12), { minLength: 0, maxLength: 3 }))
  .map(([code, inner]) => {
    const body = inner.map((line) => line.replace(/[\r\n]/g, '') + '\n').join('');
    return inner.length === 0 ? `${code} x\r\n` : `${code}-first\r\n${body}${code} last\r\n`;
  });
const mostlyReplies = fc.oneof(
  fc.array(wireReply, { maxLength: 4 }).map((r) => utf8(r.join(''))),
  fc
    .tuple(fc.array(wireReply, { minLength: 1, maxLength: 4 }), fc.nat(), fc.integer({ min: 0, max: 255 }))
    .map(([r, at, byte]) => {
      const bytes = utf8(r.join(''));
      bytes[at % bytes.length] = byte;
      return bytes;
    }),
  fc.uint8Array({ maxLength: 200 }),
);

function splitAt(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const chunks: Uint8Array[] = [];
  let previous = 0;
  for (const point of points) {
    chunks.push(bytes.subarray(previous, point));
    previous = point;
  }
  chunks.push(bytes.subarray(previous));
  return chunks;
}

describe('ReplyParser properties', () => {
  it('gives the same replies and the same error whatever the chunking', () => {
    fc.assert(
      fc.property(mostlyReplies, fc.array(fc.nat(400), { maxLength: 8 }), (bytes, cuts) => {
        const options = { maxLineLength: 64, maxLines: 4 };
        const byteByByte = feed(
          Array.from(bytes, (_, i) => bytes.subarray(i, i + 1)),
          options,
        );
        for (const chunks of [[bytes], splitAt(bytes, cuts)]) {
          const outcome = feed(chunks, options);
          expect(outcome.error).toBe(byteByByte.error);
          if (outcome.error === undefined) expect(outcome.replies).toEqual(byteByByte.replies);
          // After an error, the replies of the chunk that failed are dropped: a prefix remains.
          else expect(outcome.replies).toEqual(byteByByte.replies.slice(0, outcome.replies.length));
        }
      }),
      { numRuns: fuzzRuns() },
    );
  });

  it('throws only CodecError on arbitrary bytes and strings', () => {
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 300 }), unicode(200)), (input) => {
        expectOnlyCodecErrors(() => parseReply(input));
        expectOnlyCodecErrors(() => parseReply(input, { maxLineLength: 16, maxLines: 2, maxReplyBytes: 40 }));
        expectOnlyCodecErrors(() => new ReplyParser({ encoding: 'latin1' }).push(input));
      }),
      { numRuns: fuzzRuns() },
    );
  });
});
