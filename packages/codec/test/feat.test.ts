import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CodecErrorCodes } from '../src/errors.ts';
import {
  formatFeatReply,
  formatReply,
  parseFeatReply,
  parseReply,
  type Reply,
  ReplyParser,
} from '../src/replies/index.ts';
import { chunkings, expectOnlyCodecErrors, fuzzRuns, unicode, utf8 } from './helpers.ts';

/** Parses the wire text with every chunking, asserting each gives the same map, and returns it. */
function featMap(wire: string): Map<string, string> {
  let first: Map<string, string> | undefined;
  for (const chunks of chunkings(utf8(wire))) {
    const parser = new ReplyParser();
    const replies: Reply[] = chunks.flatMap((chunk) => parser.push(chunk));
    expect(replies).toHaveLength(1);
    const map = new Map(parseFeatReply(replies[0]!));
    if (first === undefined) first = map;
    else expect(map).toEqual(first);
  }
  return first!;
}

describe('formatFeatReply', () => {
  it('RFC 2389 §3.2: one feature per line, each after a single space, ending with 211 End', () => {
    expect(formatFeatReply(['SIZE', 'MDTM'])).toBe('211-Features:\r\n SIZE\r\n MDTM\r\n211 End\r\n');
    expect(formatFeatReply(new Set(['MLST type*;size*;modify*;', 'REST STREAM']))).toBe(
      '211-Features:\r\n MLST type*;size*;modify*;\r\n REST STREAM\r\n211 End\r\n',
    );
  });

  it('RFC 2389 §3.2: no features is the single-line 211 reply (it MUST NOT be multi-line)', () => {
    expect(formatFeatReply([])).toBe('211 No features\r\n');
    expect(parseReply(formatFeatReply([])).multiline).toBe(false);
  });

  it('RFC 2389 §3.2: rejects lines outside the feature grammar with INVALID_ARGUMENT', () => {
    for (const feature of ['', ' SIZE', 'SIZE ', 'A  B', 'SIZE\r\n211 End', 'UTF8\0', 'LANG é', 'A\tB']) {
      expect(() => formatFeatReply([feature]), JSON.stringify(feature)).toThrow(
        expect.objectContaining({ code: CodecErrorCodes.INVALID_ARGUMENT }),
      );
    }
  });
});

describe('parseFeatReply', () => {
  it('RFC 2389 §3.2: reads the RFC example into label → parameters', () => {
    const wire =
      '211-Extensions supported:\r\n MLST size*;create;modify*;perm;media-type\r\n SIZE\r\n COMPRESSION\r\n MDTM\r\n211 END\r\n';
    expect(featMap(wire)).toEqual(
      new Map([
        ['MLST', 'size*;create;modify*;perm;media-type'],
        ['SIZE', ''],
        ['COMPRESSION', ''],
        ['MDTM', ''],
      ]),
    );
  });

  it('reads vsftpd, merging the parameters of a label listed twice (AUTH SSL, AUTH TLS)', () => {
    const wire =
      '211-Features:\r\n AUTH SSL\r\n AUTH TLS\r\n EPSV\r\n MDTM\r\n PBSZ\r\n PROT\r\n REST STREAM\r\n SIZE\r\n UTF8\r\n211 End\r\n';
    const map = featMap(wire);
    expect(map.get('AUTH')).toBe('SSL;TLS');
    expect(map.get('REST')).toBe('STREAM');
    expect(map.get('UTF8')).toBe('');
    expect(map.size).toBe(8);
  });

  it('reads IIS 7 (211 END, AUTH with its own ; list, trailing ;)', () => {
    const wire =
      '211-Extended features supported:\r\n LANG EN*\r\n UTF8\r\n AUTH TLS;TLS-C;SSL;TLS-P;\r\n PBSZ\r\n PROT C;P;\r\n211 END\r\n';
    const map = featMap(wire);
    expect(map.get('AUTH')).toBe('TLS;TLS-C;SSL;TLS-P;');
    expect(map.get('PROT')).toBe('C;P;');
    expect(map.get('LANG')).toBe('EN*');
  });

  it('tolerates feature lines indented by several spaces (IIS 6 indents by four)', () => {
    expect(featMap('211-FEAT\r\n    SIZE\r\n    MDTM\r\n211 END\r\n')).toEqual(
      new Map([
        ['SIZE', ''],
        ['MDTM', ''],
      ]),
    );
  });

  it('tolerates feature lines without the leading space RFC 2389 §3.2 requires', () => {
    expect(featMap('211-Features:\r\nSIZE\r\nMLST type*;size*;\r\n211 End\r\n')).toEqual(
      new Map([
        ['SIZE', ''],
        ['MLST', 'type*;size*;'],
      ]),
    );
  });

  it('RFC 2389 §3.2: labels are case-insensitive, so they are upper-cased; parameters stay as sent', () => {
    expect(featMap('211-Features:\r\n Rest Stream\r\n mdtm\r\n211 End\r\n')).toEqual(
      new Map([
        ['REST', 'Stream'],
        ['MDTM', ''],
      ]),
    );
  });

  it('tolerates inner lines prefixed with 211- (servers that prefix every line) and skips blank ones', () => {
    expect(featMap('211-Features:\r\n211- SIZE\r\n\r\n \r\n211-MDTM\r\n211 End\r\n')).toEqual(
      new Map([
        ['SIZE', ''],
        ['MDTM', ''],
      ]),
    );
  });

  it('drops trailing white space from parameters', () => {
    expect(featMap('211-Features:\r\n MLST type*;size*; \t\r\n211 End\r\n').get('MLST')).toBe('type*;size*;');
  });

  it('RFC 2389 §3.2: a single-line 211 is the no-features reply; 500 and 502 mean the same', () => {
    for (const wire of [
      '211 No features\r\n',
      '211 SIZE MDTM\r\n',
      '500 FEAT not understood\r\n',
      '502 No\r\n',
    ]) {
      expect(parseFeatReply(wire).size, wire).toBe(0);
    }
  });

  it('rejects any other code with REPLY rather than reading an error as "no features"', () => {
    for (const wire of ['421 Closing\r\n', '501 Syntax\r\n', '214-Help\r\n SIZE\r\n214 End\r\n']) {
      expect(() => parseFeatReply(wire)).toThrow(expect.objectContaining({ code: CodecErrorCodes.REPLY }));
    }
  });

  it('accepts a Reply, a string or bytes', () => {
    const wire = '211-Features:\r\n SIZE\r\n211 End\r\n';
    const expected = new Map([['SIZE', '']]);
    expect(parseFeatReply(parseReply(wire))).toEqual(expected);
    expect(parseFeatReply(wire)).toEqual(expected);
    expect(parseFeatReply(utf8(wire))).toEqual(expected);
  });

  it('round trip: formatted features come back, label upper-cased, through any split', () => {
    const label = fc.stringMatching(/^[A-Za-z0-9*.-]{1,8}$/);
    const params = fc.option(fc.stringMatching(/^[!-~][ -~]{0,10}[!-~]$|^[!-~]$/), { nil: undefined });
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.tuple(label, params), { selector: ([l]) => l.toUpperCase(), maxLength: 8 }),
        fc.nat(),
        (features, cut) => {
          const wire = utf8(formatFeatReply(features.map(([l, p]) => (p === undefined ? l : `${l} ${p}`))));
          const at = cut % (wire.length + 1);
          const parser = new ReplyParser();
          const replies = [...parser.push(wire.subarray(0, at)), ...parser.push(wire.subarray(at))];
          expect(replies).toHaveLength(1);
          const expected = new Map(
            features.map(([l, p]) => [l.toUpperCase(), (p ?? '').replace(/[ \t]+$/, '')]),
          );
          expect(new Map(parseFeatReply(replies[0]!))).toEqual(expected);
        },
      ),
      { numRuns: fuzzRuns() },
    );
  });

  it('a FEAT reply formatted by formatReply with arbitrary lines never throws anything but CodecError', () => {
    fc.assert(
      fc.property(
        fc.array(
          unicode(20).map((s) => s.replace(/[\r\n\0]/g, '')),
          {
            minLength: 1,
            maxLength: 6,
          },
        ),
        (lines) => {
          expectOnlyCodecErrors(() => parseFeatReply(formatReply(211, lines)));
        },
      ),
      { numRuns: fuzzRuns() },
    );
  });

  it('throws only CodecError on arbitrary bytes and strings', () => {
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 200 }), unicode(200)), (input) => {
        expectOnlyCodecErrors(() => parseFeatReply(input));
        expectOnlyCodecErrors(() =>
          parseFeatReply(`211-x\r\n${typeof input === 'string' ? input : ''}\r\n211 End`),
        );
      }),
      { numRuns: fuzzRuns() },
    );
  });
});
