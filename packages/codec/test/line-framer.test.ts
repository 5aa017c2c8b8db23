import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CodecErrorCodes,
  escapeIac,
  type FramerItem,
  IAC,
  LineFramer,
  refuseTelnetOption,
  TelnetCommand,
} from '../src/index.ts';
import { chunkings, fuzzRuns, utf8 } from './helpers.ts';

function frame(chunks: Uint8Array[], options?: ConstructorParameters<typeof LineFramer>[0]): FramerItem[] {
  const framer = new LineFramer(options);
  const out: FramerItem[] = [];
  for (const chunk of chunks) framer.push(chunk, out);
  return out;
}

const lines = (items: FramerItem[]) => items.flatMap((i) => (i.type === 'line' ? [i.text] : []));

describe('LineFramer', () => {
  it('RFC 959 §4.1.3: splits CRLF-terminated commands, whatever the chunking', () => {
    const bytes = utf8('USER anonymous\r\nPASS guest\r\nSYST\r\n');
    for (const chunks of chunkings(bytes)) {
      expect(lines(frame(chunks))).toEqual(['USER anonymous', 'PASS guest', 'SYST']);
    }
  });

  it('tolerates bare LF line endings (robustness: scripted clients send them)', () => {
    expect(lines(frame([utf8('NOOP\nPWD\r\n')]))).toEqual(['NOOP', 'PWD']);
  });

  it('keeps a partial line until its LF arrives', () => {
    const framer = new LineFramer();
    expect(framer.push(utf8('RETR a fi'))).toEqual([]);
    expect(framer.pendingBytes).toBe(9);
    expect(lines(framer.push(utf8('le.txt\r\n')))).toEqual(['RETR a file.txt']);
    expect(framer.pendingBytes).toBe(0);
  });

  it('RFC 2640 §2.2: decodes UTF-8 pathnames, split inside a multi-byte character', () => {
    const bytes = utf8('CWD 디렉터리 ü\r\n');
    for (const chunks of chunkings(bytes)) expect(lines(frame(chunks))).toEqual(['CWD 디렉터리 ü']);
  });

  it('reports invalid UTF-8 as an ENCODING error and keeps going', () => {
    const items = frame([Uint8Array.of(0x43, 0x57, 0x44, 0x20, 0xc3, 0x28, 0x0a), utf8('NOOP\r\n')]);
    expect(items[0]).toMatchObject({
      type: 'error',
      error: { code: CodecErrorCodes.ENCODING, replyCode: 501 },
    });
    expect(lines(items)).toEqual(['NOOP']);
  });

  it('reads bytes as Latin-1 when asked, losing none', () => {
    expect(lines(frame([Uint8Array.of(0x41, 0xe9, 0x0a)], { encoding: 'latin1' }))).toEqual(['Aé']);
  });

  it('rejects an over-long line once, discards the rest of it, and frames the next line', () => {
    const long = utf8(`STOR ${'x'.repeat(100)}\r\nNOOP\r\n`);
    for (const chunks of chunkings(long)) {
      const items = frame(chunks, { maxLineLength: 32 });
      const errors = items.filter((i) => i.type === 'error');
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatchObject({ error: { code: CodecErrorCodes.LINE_TOO_LONG, replyCode: 500 } });
      expect(lines(items)).toEqual(['NOOP']);
    }
  });

  it('accepts a line of exactly maxLineLength bytes followed by CRLF', () => {
    const line = 'A'.repeat(16);
    for (const chunks of chunkings(utf8(`${line}\r\n`))) {
      expect(lines(frame(chunks, { maxLineLength: 16 }))).toEqual([line]);
    }
    expect(frame([utf8(`${line}B\r\n`)], { maxLineLength: 16 })[0]).toMatchObject({ type: 'error' });
  });

  it('keeps memory bounded on 1 MB without a newline', () => {
    const framer = new LineFramer({ maxLineLength: 4096 });
    const chunk = new Uint8Array(64 * 1024).fill(0x41);
    let errors = 0;
    for (let i = 0; i < 16; i++) errors += framer.push(chunk).length;
    expect(errors).toBe(1);
    expect(framer.pendingBytes).toBe(0);
    expect(framer.discarding).toBe(true);
    expect(lines(framer.push(utf8('\r\nQUIT\r\n')))).toEqual(['QUIT']);
  });

  it('RFC 959 §4.1.3: strips the IAC IP IAC DM synch before ABOR and reports it', () => {
    const bytes = Uint8Array.of(IAC, TelnetCommand.IP, IAC, TelnetCommand.DM, ...utf8('ABOR\r\n'));
    for (const chunks of chunkings(bytes)) {
      const items = frame(chunks);
      expect(items).toEqual([
        { type: 'telnet', command: 'IP', byte: 244 },
        { type: 'telnet', command: 'DM', byte: 242 },
        { type: 'line', text: 'ABOR' },
      ]);
    }
  });

  it('RFC 854: IAC IAC is one 0xFF data byte', () => {
    const bytes = Uint8Array.of(0x41, IAC, IAC, 0x42, 0x0a);
    for (const chunks of chunkings(bytes)) {
      expect(lines(frame(chunks, { encoding: 'latin1' }))).toEqual(['A\u00ffB']);
    }
  });

  it('RFC 854: removes option negotiation and subnegotiation from the line', () => {
    const bytes = Uint8Array.of(
      ...utf8('NO'),
      IAC,
      TelnetCommand.WILL,
      1,
      IAC,
      TelnetCommand.SB,
      24,
      1,
      IAC,
      IAC,
      IAC,
      TelnetCommand.SE,
      ...utf8('OP\r\n'),
    );
    for (const chunks of chunkings(bytes)) {
      const items = frame(chunks);
      expect(lines(items)).toEqual(['NOOP']);
      expect(items[0]).toEqual({ type: 'telnet', command: 'WILL', byte: 251, option: 1 });
      expect(items[1]).toMatchObject({ type: 'telnet', command: 'SB' });
    }
  });

  it('RFC 959 §5.1: refuses options with DONT/WONT', () => {
    expect(refuseTelnetOption({ type: 'telnet', command: 'WILL', byte: 251, option: 3 })).toEqual(
      Uint8Array.of(IAC, TelnetCommand.DONT, 3),
    );
    expect(refuseTelnetOption({ type: 'telnet', command: 'DO', byte: 253, option: 3 })).toEqual(
      Uint8Array.of(IAC, TelnetCommand.WONT, 3),
    );
    expect(refuseTelnetOption({ type: 'telnet', command: 'IP', byte: 244 })).toBeUndefined();
  });

  it('treats IAC as data when Telnet is off', () => {
    expect(lines(frame([Uint8Array.of(0x41, IAC, 0x0a)], { telnet: false, encoding: 'latin1' }))).toEqual([
      'A\u00ff',
    ]);
  });

  it('reset() drops pipelined bytes (RFC 4217 §4)', () => {
    const framer = new LineFramer();
    framer.push(utf8('USER x'));
    framer.reset();
    expect(lines(framer.push(utf8('PBSZ 0\r\n')))).toEqual(['PBSZ 0']);
  });

  it('rejects a bad maxLineLength with a CodecError', () => {
    expect(() => new LineFramer({ maxLineLength: 0 })).toThrow(
      expect.objectContaining({ code: CodecErrorCodes.INVALID_ARGUMENT }),
    );
  });

  it('escapeIac doubles 0xFF and round-trips through the framer', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 64 }).map((b) => b.filter((x) => x !== 0x0a)),
        (data) => {
          const escaped = escapeIac(data);
          const items = frame([escaped, Uint8Array.of(0x0a)], { encoding: 'latin1', maxLineLength: 1000 });
          const expected = Array.from(data[data.length - 1] === 0x0d ? data.subarray(0, -1) : data, (b) =>
            String.fromCharCode(b),
          ).join('');
          expect(lines(items)).toEqual([expected]);
        },
      ),
      { numRuns: fuzzRuns() },
    );
  });

  it('property: the same items whatever the chunking; never throws on arbitrary bytes', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 300 }),
        fc.array(fc.nat(300), { maxLength: 8 }),
        (bytes, cuts) => {
          const whole = frame([bytes], { maxLineLength: 64 });
          const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
          const chunks: Uint8Array[] = [];
          let prev = 0;
          for (const p of points) {
            chunks.push(bytes.subarray(prev, p));
            prev = p;
          }
          chunks.push(bytes.subarray(prev));
          const split = frame(chunks, { maxLineLength: 64 });
          expect(split.map(simplify)).toEqual(whole.map(simplify));
        },
      ),
      { numRuns: fuzzRuns() },
    );
  });
});

function simplify(item: FramerItem): unknown {
  return item.type === 'error' ? { type: 'error', code: item.error.code } : item;
}
