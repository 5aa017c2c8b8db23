import { isIPv4 as nodeIsIPv4, isIPv6 as nodeIsIPv6 } from 'node:net';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  formatEprtArgument,
  formatEpsvReplyText,
  formatHostPort,
  formatNetworkProtocolNotSupportedText,
  formatPasvReplyText,
  isIPv4,
  isIPv6,
  NETWORK_PROTOCOL_NOT_SUPPORTED,
  normalizeIp,
  parseEprtArgument,
  parseEpsvReply,
  parseHostPort,
  parsePasvReply,
} from '../src/addresses/index.ts';
import { CodecErrorCodes } from '../src/errors.ts';
import { anyCodePoint, codecErrorOf, expectOnlyCodecErrors, fuzzRuns } from './helpers.ts';

const port = fc.integer({ min: 1, max: 65_535 });

describe('PORT argument (parseHostPort / formatHostPort)', () => {
  it('RFC 959 §4.1.2: h1,h2,h3,h4,p1,p2 with port = p1·256 + p2', () => {
    expect(parseHostPort('132,235,1,2,24,131')).toEqual({ host: '132.235.1.2', port: 6275 });
    expect(parseHostPort('127,0,0,1,4,1')).toEqual({ host: '127.0.0.1', port: 1025 });
    expect(parseHostPort('255,255,255,255,255,255')).toEqual({ host: '255.255.255.255', port: 65_535 });
    expect(parseHostPort('0,0,0,0,0,1')).toEqual({ host: '0.0.0.0', port: 1 });
  });

  it('returns a frozen plain object', () => {
    expect(Object.isFrozen(parseHostPort('127,0,0,1,4,1'))).toBe(true);
  });

  it('formats RFC 959 §4.1.2 text', () => {
    expect(formatHostPort({ host: '127.0.0.1', port: 1025 })).toBe('127,0,0,1,4,1');
    expect(formatHostPort({ host: '132.235.1.2', port: 6275 })).toBe('132,235,1,2,24,131');
  });

  it('reads fields zero-padded to three digits as decimal and returns a canonical host', () => {
    expect(parseHostPort('010,000,000,001,004,001')).toEqual({ host: '10.0.0.1', port: 1025 });
  });

  it.each([
    ['a field over 255 (never wrapped)', '256,0,0,1,4,1'],
    ['a port byte over 255', '127,0,0,1,4,256'],
    ['a negative field', '-1,0,0,1,4,1'],
    ['a plus sign', '+1,0,0,1,4,1'],
    ['an exponent', '1e2,0,0,1,4,1'],
    ['hex', '0x10,0,0,1,4,1'],
    ['a leading space in a field', ' 12,0,0,1,4,1'],
    ['a space after a comma', '12, 0,0,1,4,1'],
    ['four digits', '0001,0,0,1,4,1'],
    ['non-ASCII digits', '１,0,0,1,4,1'],
    ['five fields', '127,0,0,1,4'],
    ['seven fields', '127,0,0,1,4,1,1'],
    ['an empty field', '127,,0,1,4,1'],
    ['a trailing comma', '127,0,0,1,4,1,'],
    ['trailing space', '127,0,0,1,4,1 '],
    ['parentheses', '(127,0,0,1,4,1)'],
    ['port 0 (not a connectable target)', '127,0,0,1,0,0'],
    ['dotted host', '127.0.0.1,4,1'],
    ['an empty argument', ''],
  ])('refuses %s with ADDRESS / 501', (_why, text) => {
    const error = codecErrorOf(() => parseHostPort(text));
    expect(error.code).toBe(CodecErrorCodes.ADDRESS);
    expect(error.replyCode).toBe(501);
    expect(error.verb).toBe('PORT');
  });

  it.each([
    ['an IPv6 host', { host: '::1', port: 21 }],
    ['an IPv4-mapped IPv6 host (normalizeIp it first)', { host: '::ffff:127.0.0.1', port: 21 }],
    ['a host with leading zeros', { host: '127.000.0.1', port: 21 }],
    ['a short host', { host: '127.1', port: 21 }],
    ['port 0', { host: '127.0.0.1', port: 0 }],
    ['port 65536', { host: '127.0.0.1', port: 65_536 }],
    ['a fractional port', { host: '127.0.0.1', port: 21.5 }],
    ['a NaN port', { host: '127.0.0.1', port: Number.NaN }],
  ])('formatHostPort refuses %s with INVALID_ARGUMENT', (_why, address) => {
    expect(codecErrorOf(() => formatHostPort(address)).code).toBe(CodecErrorCodes.INVALID_ARGUMENT);
    expect(codecErrorOf(() => formatPasvReplyText(address)).code).toBe(CodecErrorCodes.INVALID_ARGUMENT);
  });
});

describe('227 reply (parsePasvReply / formatPasvReplyText)', () => {
  const expected = { host: '132.235.1.2', port: 6275 };

  it('RFC 959 §4.2.2: reads "Entering Passive Mode (h1,h2,h3,h4,p1,p2)."', () => {
    expect(parsePasvReply('Entering Passive Mode (132,235,1,2,24,131).')).toEqual(expected);
  });

  it('accepts the text with its leading "227 " (callers may pass the whole line)', () => {
    expect(parsePasvReply('227 Entering Passive Mode (132,235,1,2,24,131).')).toEqual(expected);
  });

  it('RFC 1123 §4.1.2.6: parentheses may be absent', () => {
    expect(parsePasvReply('227 Entering Passive Mode 132,235,1,2,24,131')).toEqual(expected);
  });

  it('RFC 1123 §4.1.2.6: the numbers may follow "=" (e.g. "227 =h1,...")', () => {
    expect(parsePasvReply('227 =132,235,1,2,24,131')).toEqual(expected);
    expect(parsePasvReply('Entering Passive Mode=132,235,1,2,24,131')).toEqual(expected);
  });

  it('RFC 1123 §4.1.2.6: other text may follow the numbers', () => {
    expect(parsePasvReply('227 Entering Passive Mode (132,235,1,2,24,131) - go ahead.')).toEqual(expected);
  });

  it('RFC 1123 §4.1.2.6: scans past other numbers to the first run of six', () => {
    expect(parsePasvReply('227 Passive 3 of 10, v1,2,3 (132,235,1,2,24,131)')).toEqual(expected);
  });

  it('reads 0,0,0,0 as given (whether to use the control host instead is client policy)', () => {
    expect(parsePasvReply('Entering Passive Mode (0,0,0,0,4,1)')).toEqual({ host: '0.0.0.0', port: 1025 });
  });

  it.each([
    ['a byte over 255', 'Entering Passive Mode (256,235,1,2,24,131)'],
    ['a four-digit field', 'Entering Passive Mode (0132,235,1,2,24,131)'],
    ['port 0', 'Entering Passive Mode (132,235,1,2,0,0)'],
    ['only five numbers', 'Entering Passive Mode (132,235,1,2,24)'],
    ['seven numbers', 'Entering Passive Mode (132,235,1,2,24,131,1)'],
    ['spaces between the numbers', 'Entering Passive Mode (132, 235, 1, 2, 24, 131)'],
    ['no numbers', '227 Entering Passive Mode'],
    ['an empty text', ''],
  ])('still refuses %s with ADDRESS', (_why, text) => {
    const error = codecErrorOf(() => parsePasvReply(text));
    expect(error.code).toBe(CodecErrorCodes.ADDRESS);
    expect(error.verb).toBeUndefined();
  });

  it('formats the RFC 959 §4.2.2 text', () => {
    expect(formatPasvReplyText(expected)).toBe('Entering Passive Mode (132,235,1,2,24,131).');
  });

  it('stays linear on long digit runs (no regex backtracking)', () => {
    const started = performance.now();
    expect(codecErrorOf(() => parsePasvReply('1'.repeat(200_000))).code).toBe(CodecErrorCodes.ADDRESS);
    expect(codecErrorOf(() => parsePasvReply('1,'.repeat(100_000))).code).toBe(CodecErrorCodes.ADDRESS);
    expect(codecErrorOf(() => parsePasvReply('1,2,3,4,5 '.repeat(20_000))).code).toBe(
      CodecErrorCodes.ADDRESS,
    );
    expect(performance.now() - started).toBeLessThan(1000);
  });
});

describe('EPRT argument (parseEprtArgument / formatEprtArgument)', () => {
  it('RFC 2428 §2: the IPv4 example |1|132.235.1.2|6275|', () => {
    expect(parseEprtArgument('|1|132.235.1.2|6275|')).toEqual({
      protocol: 1,
      host: '132.235.1.2',
      port: 6275,
    });
  });

  it('RFC 2428 §2: the IPv6 example |2|1080::8:800:200C:417A|5282| (host kept as sent)', () => {
    expect(parseEprtArgument('|2|1080::8:800:200C:417A|5282|')).toEqual({
      protocol: 2,
      host: '1080::8:800:200C:417A',
      port: 5282,
    });
  });

  it('RFC 2428 §2: any delimiter in ASCII 33-126, digits included', () => {
    expect(parseEprtArgument('!1!132.235.1.2!6275!')).toEqual({
      protocol: 1,
      host: '132.235.1.2',
      port: 6275,
    });
    expect(parseEprtArgument('~2~::1~21~')).toEqual({ protocol: 2, host: '::1', port: 21 });
    expect(parseEprtArgument('727::17807')).toEqual({ protocol: 2, host: '::1', port: 80 });
  });

  it('accepts IPv4-mapped IPv6 and the IPv4-suffix form under protocol 2', () => {
    expect(parseEprtArgument('|2|::ffff:10.0.0.1|21|').host).toBe('::ffff:10.0.0.1');
  });

  it('RFC 2428 §2: an unknown but well-formed net-prt is PARAMETER_NOT_IMPLEMENTED (reply 522)', () => {
    for (const text of ['|3|whatever|21|', '|0|1.2.3.4|21|', '|65535|x|1|']) {
      const error = codecErrorOf(() => parseEprtArgument(text));
      expect(error.code).toBe(CodecErrorCodes.PARAMETER_NOT_IMPLEMENTED);
      expect(error.verb).toBe('EPRT');
    }
    expect(NETWORK_PROTOCOL_NOT_SUPPORTED).toBe(522);
    expect(formatNetworkProtocolNotSupportedText()).toBe('Network protocol not supported, use (1,2)');
    expect(formatNetworkProtocolNotSupportedText([1])).toBe('Network protocol not supported, use (1)');
    expect(codecErrorOf(() => formatNetworkProtocolNotSupportedText([])).code).toBe(
      CodecErrorCodes.INVALID_ARGUMENT,
    );
  });

  it.each([
    ['a space delimiter (ASCII 32 is outside 33-126)', ' 1 132.235.1.2 6275 '],
    ['a DEL delimiter', '\x7f1\x7f132.235.1.2\x7f6275\x7f'],
    ['a non-ASCII delimiter', 'é1é132.235.1.2é6275é'],
    ['the delimiter inside a field', '.1.132.235.1.2.6275.'],
    ['the delimiter inside an IPv6 field', ':2:::1:21:'],
    ['a missing last delimiter', '|1|132.235.1.2|6275'],
    ['an extra field', '|1|132.235.1.2|6275||'],
    ['text after the last delimiter', '|1|132.235.1.2|6275|x'],
    ['an empty net-prt', '||132.235.1.2|6275|'],
    ['a net-prt with a leading zero', '|01|132.235.1.2|6275|'],
    ['a net-prt over 16 bits', '|65536|132.235.1.2|6275|'],
    ['a non-numeric net-prt', '|x|132.235.1.2|6275|'],
    ['an IPv6 host under protocol 1', '|1|::1|6275|'],
    ['an IPv4 host under protocol 2', '|2|132.235.1.2|6275|'],
    ['an IPv4 host with leading zeros', '|1|132.235.001.2|6275|'],
    ['an IPv6 zone id', '|2|fe80::1%eth0|6275|'],
    ['a bracketed IPv6 host', '|2|[::1]|6275|'],
    ['a host name', '|1|localhost|6275|'],
    ['port 0', '|1|132.235.1.2|0|'],
    ['port 65536', '|1|132.235.1.2|65536|'],
    ['a port with a leading zero', '|1|132.235.1.2|06275|'],
    ['a port with a sign', '|1|132.235.1.2|+6275|'],
    ['a port with a space', '|1|132.235.1.2| 6275|'],
    ['an empty port', '|1|132.235.1.2||'],
    ['an empty argument', ''],
  ])('refuses %s with ADDRESS / 501', (_why, text) => {
    const error = codecErrorOf(() => parseEprtArgument(text));
    expect(error.code).toBe(CodecErrorCodes.ADDRESS);
    expect(error.replyCode).toBe(501);
    expect(error.verb).toBe('EPRT');
  });

  it('formats the RFC 2428 §2 examples', () => {
    expect(formatEprtArgument({ protocol: 1, host: '132.235.1.2', port: 6275 })).toBe('|1|132.235.1.2|6275|');
    expect(formatEprtArgument({ protocol: 2, host: '1080::8:800:200c:417a', port: 5282 })).toBe(
      '|2|1080::8:800:200c:417a|5282|',
    );
    expect(formatEprtArgument({ protocol: 1, host: '10.0.0.1', port: 21 }, '!')).toBe('!1!10.0.0.1!21!');
  });

  it.each([
    ['a delimiter that occurs in a field', { protocol: 2, host: '::1', port: 21 }, ':'],
    ['a space delimiter', { protocol: 1, host: '10.0.0.1', port: 21 }, ' '],
    ['a two-character delimiter', { protocol: 1, host: '10.0.0.1', port: 21 }, '||'],
    ['an empty delimiter', { protocol: 1, host: '10.0.0.1', port: 21 }, ''],
    ['protocol 3', { protocol: 3, host: '10.0.0.1', port: 21 }, '|'],
    ['an IPv6 host under protocol 1', { protocol: 1, host: '::1', port: 21 }, '|'],
    ['an IPv4 host under protocol 2', { protocol: 2, host: '10.0.0.1', port: 21 }, '|'],
    ['port 0', { protocol: 1, host: '10.0.0.1', port: 0 }, '|'],
  ])('formatEprtArgument refuses %s with INVALID_ARGUMENT', (_why, address, delimiter) => {
    const error = codecErrorOf(() => formatEprtArgument(address as never, delimiter));
    expect(error.code).toBe(CodecErrorCodes.INVALID_ARGUMENT);
  });
});

describe('229 reply (parseEpsvReply / formatEpsvReplyText)', () => {
  it('RFC 2428 §3: reads "Entering Extended Passive Mode (|||6446|)" with or without "229 "', () => {
    expect(parseEpsvReply('229 Entering Extended Passive Mode (|||6446|)')).toBe(6446);
    expect(parseEpsvReply('Entering Extended Passive Mode (|||6446|)')).toBe(6446);
  });

  it('RFC 2428 §3: any delimiter, repeated', () => {
    expect(parseEpsvReply('229 Entering Extended Passive Mode (!!!6446!)')).toBe(6446);
    expect(parseEpsvReply('229 ok ((((6446()')).toBe(6446);
    expect(parseEpsvReply('229 ok (11164461)')).toBe(6446);
  });

  it('RFC 2428 §3 fixes only the parenthesised part: other text may come before and after', () => {
    expect(parseEpsvReply('229 Extended Passive Mode OK (|||6446|).')).toBe(6446);
    expect(parseEpsvReply('229 (see RFC 2428) Entering (|||6446|) now')).toBe(6446);
  });

  it.each([
    ['two delimiters before the port', '229 Entering Extended Passive Mode (||6446|)'],
    ['non-blank fields', '229 Entering Extended Passive Mode (|2|::1|6446|)'],
    ['mixed delimiters', '229 Entering Extended Passive Mode (|!|6446|)'],
    ['a missing closing delimiter', '229 Entering Extended Passive Mode (|||6446)'],
    ['no parentheses', '229 Entering Extended Passive Mode |||6446|'],
    ['port 0', '229 Entering Extended Passive Mode (|||0|)'],
    ['port 65536', '229 Entering Extended Passive Mode (|||65536|)'],
    ['a port with a leading zero', '229 Entering Extended Passive Mode (|||06446|)'],
    ['an empty port', '229 Entering Extended Passive Mode (||||)'],
    ['an empty text', ''],
  ])('refuses %s with ADDRESS', (_why, text) => {
    expect(codecErrorOf(() => parseEpsvReply(text)).code).toBe(CodecErrorCodes.ADDRESS);
  });

  it('formats the RFC 2428 §3 text and refuses bad ports', () => {
    expect(formatEpsvReplyText(6446)).toBe('Entering Extended Passive Mode (|||6446|)');
    for (const bad of [0, 65_536, 1.5, -1, Number.NaN]) {
      expect(codecErrorOf(() => formatEpsvReplyText(bad)).code).toBe(CodecErrorCodes.INVALID_ARGUMENT);
    }
  });

  it('stays linear on many "(" and long digit runs', () => {
    const started = performance.now();
    expect(codecErrorOf(() => parseEpsvReply('(|||'.repeat(50_000))).code).toBe(CodecErrorCodes.ADDRESS);
    expect(codecErrorOf(() => parseEpsvReply(`(|||${'1'.repeat(200_000)}`)).code).toBe(
      CodecErrorCodes.ADDRESS,
    );
    expect(codecErrorOf(() => parseEpsvReply('('.repeat(200_000))).code).toBe(CodecErrorCodes.ADDRESS);
    expect(performance.now() - started).toBeLessThan(1000);
  });
});

describe('isIPv4 / isIPv6', () => {
  it.each(['0.0.0.0', '127.0.0.1', '255.255.255.255', '132.235.1.2'])('isIPv4(%j)', (text) => {
    expect(isIPv4(text)).toBe(true);
    expect(isIPv6(text)).toBe(false);
  });

  it.each([
    '256.0.0.1',
    '01.2.3.4',
    '1.2.3',
    '1.2.3.4.5',
    '1..2.3',
    '127.1',
    '2130706433',
    '0x7f.0.0.1',
    '1.2.3.-4',
    ' 1.2.3.4',
    '1.2.3.4 ',
    '１.2.3.4',
    '',
  ])('not isIPv4(%j)', (text) => {
    expect(isIPv4(text)).toBe(false);
  });

  it.each([
    '::',
    '::1',
    '1::',
    '1080::8:800:200C:417A',
    '1080:0:0:0:8:800:200C:417A',
    'FF01::101',
    '0:0:0:0:0:0:0:1',
    '::13.1.68.3',
    '::ffff:129.144.52.38',
    '1:2:3:4:5:6:7:8',
    '1:2:3:4:5:6:1.2.3.4',
    '1:2:3:4:5:6:7::',
    '::2:3:4:5:6:7:8',
    'fe80::0001',
  ])('RFC 4291 §2.2: isIPv6(%j)', (text) => {
    expect(isIPv6(text)).toBe(true);
    expect(isIPv4(text)).toBe(false);
  });

  it.each([
    ['nine groups', '1:2:3:4:5:6:7:8:9'],
    ['seven groups without ::', '1:2:3:4:5:6:7'],
    ['eight groups and ::', '1:2:3:4::5:6:7:8'],
    ['two ::', '1::2::3'],
    ['three colons', ':::'],
    ['three colons inside', '1:::2'],
    ['a single leading colon', ':1::'],
    ['a single trailing colon', '1:2:3:4:5:6:7:'],
    ['a five-digit group', '12345::'],
    ['a non-hex digit', 'g::'],
    ['a zone id (RFC 4007)', 'fe80::1%eth0'],
    ['a short IPv4 suffix', '::1.2.3'],
    ['an IPv4 suffix with leading zeros', '::01.2.3.4'],
    ['an IPv4 part not last', '1.2.3.4::'],
    ['too many groups with an IPv4 suffix', '1:2:3:4:5:6:7:1.2.3.4'],
    ['brackets', '[::1]'],
    ['a space', ' ::1'],
    ['a lone colon', ':'],
    ['empty', ''],
  ])('not isIPv6: %s', (_why, text) => {
    expect(isIPv6(text)).toBe(false);
  });

  it('agrees with node:net on every generated address (fc.ipV4 / fc.ipV6)', () => {
    fc.assert(
      fc.property(fc.ipV4(), (ip) => isIPv4(ip) && !isIPv6(ip)),
      { numRuns: fuzzRuns() },
    );
    fc.assert(
      fc.property(fc.ipV6(), (ip) => isIPv6(ip) && !isIPv4(ip)),
      { numRuns: fuzzRuns() },
    );
  });

  it('agrees with node:net on strings over the address alphabet (zone ids aside)', () => {
    const alphabet = fc.constantFrom(...'0123456789abcdefABCDEF:.'.split(''), '::', '255', 'ffff');
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 24 }), (parts) => {
        const text = parts.join('');
        expect(isIPv4(text)).toBe(nodeIsIPv4(text));
        expect(isIPv6(text)).toBe(nodeIsIPv6(text));
      }),
      { numRuns: fuzzRuns(2000) },
    );
  });
});

describe('normalizeIp', () => {
  it('keeps IPv4 as it is', () => {
    expect(normalizeIp('127.0.0.1')).toBe('127.0.0.1');
  });

  it.each([
    ['§4.1 leading zeros dropped', '2001:0db8::0001', '2001:db8::1'],
    ['§4.2.1 the longest run is compressed', '2001:db8:0:0:0:0:2:1', '2001:db8::2:1'],
    ['§4.2.2 a single zero group is not compressed', '2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1'],
    ['§4.2.3 the longest of two runs wins', '2001:0:0:1:0:0:0:1', '2001:0:0:1::1'],
    ['§4.2.3 the first of two equal runs wins', '2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
    ['§4.3 lower case', '2001:DB8::ABCD', '2001:db8::abcd'],
    ['loopback', '0:0:0:0:0:0:0:1', '::1'],
    ['unspecified', '0:0:0:0:0:0:0:0', '::'],
    ['a trailing run', '1:0:0:0:0:0:0:0', '1::'],
    ['an uncompressible address', '1:2:3:4:5:6:7:8', '1:2:3:4:5:6:7:8'],
    ['an IPv4-compatible address stays IPv6', '::1.2.3.4', '::102:304'],
    ['NAT64 stays IPv6', '64:ff9b::1.2.3.4', '64:ff9b::102:304'],
  ])('RFC 5952 %s', (_why, input, output) => {
    expect(normalizeIp(input)).toBe(output);
  });

  it.each([
    ['::ffff:127.0.0.1', '127.0.0.1'],
    ['::FFFF:7f00:1', '127.0.0.1'],
    ['::ffff:0102:0304', '1.2.3.4'],
    ['0:0:0:0:0:ffff:1.2.3.4', '1.2.3.4'],
  ])(
    'RFC 4291 §2.5.5.2: IPv4-mapped %j is the IPv4 peer %j (dual-stack sockets report it)',
    (input, output) => {
      expect(normalizeIp(input)).toBe(output);
    },
  );

  it.each(['localhost', '', '01.2.3.4', 'fe80::1%eth0', '[::1]'])('refuses %j with ADDRESS', (text) => {
    expect(codecErrorOf(() => normalizeIp(text)).code).toBe(CodecErrorCodes.ADDRESS);
  });

  it('matches the WHATWG URL serializer (RFC 5952) and is idempotent, for all fc.ipV6()', () => {
    fc.assert(
      fc.property(fc.ipV6(), (ip) => {
        const normal = normalizeIp(ip);
        expect(normalizeIp(normal)).toBe(normal);
        const viaUrl = new URL(`http://[${ip}]/`).hostname.slice(1, -1);
        if (isIPv4(normal)) expect(normalizeIp(viaUrl)).toBe(normal);
        else expect(normal).toBe(viaUrl);
      }),
      { numRuns: fuzzRuns() },
    );
  });

  it('maps every IPv4 address written as IPv4-mapped IPv6 back to itself', () => {
    fc.assert(
      fc.property(fc.ipV4(), (ip) => {
        expect(normalizeIp(`::ffff:${ip}`)).toBe(ip);
        expect(normalizeIp(`::FFFF:${ip}`)).toBe(ip);
      }),
      { numRuns: fuzzRuns() },
    );
  });
});

describe('round trips (fast-check)', () => {
  it('PORT: formatHostPort then parseHostPort for every IPv4 address and port', () => {
    fc.assert(
      fc.property(fc.ipV4(), port, (host, p) => {
        expect(parseHostPort(formatHostPort({ host, port: p }))).toEqual({ host, port: p });
      }),
      { numRuns: fuzzRuns() },
    );
  });

  it('227: formatPasvReplyText then parsePasvReply, with and without "227 "', () => {
    fc.assert(
      fc.property(fc.ipV4(), port, fc.boolean(), (host, p, prefixed) => {
        const text = formatPasvReplyText({ host, port: p });
        expect(parsePasvReply(prefixed ? `227 ${text}` : text)).toEqual({ host, port: p });
      }),
      { numRuns: fuzzRuns() },
    );
  });

  it('EPRT: formatEprtArgument then parseEprtArgument for IPv4 and IPv6, any usable delimiter', () => {
    const delimiter = fc.integer({ min: 33, max: 126 }).map((c) => String.fromCharCode(c));
    const address = fc.oneof(
      fc.record({ protocol: fc.constant(1 as const), host: fc.ipV4(), port }),
      fc.record({ protocol: fc.constant(2 as const), host: fc.ipV6(), port }),
    );
    fc.assert(
      fc.property(address, delimiter, (a, d) => {
        fc.pre(![String(a.protocol), a.host, String(a.port)].some((field) => field.includes(d)));
        expect(parseEprtArgument(formatEprtArgument(a, d))).toEqual(a);
      }),
      { numRuns: fuzzRuns() },
    );
  });

  it('229: formatEpsvReplyText then parseEpsvReply for every port', () => {
    fc.assert(
      fc.property(port, (p) => {
        expect(parseEpsvReply(`229 ${formatEpsvReplyText(p)}`)).toBe(p);
      }),
      { numRuns: fuzzRuns() },
    );
  });
});

describe('parsers on arbitrary input throw only CodecError', () => {
  const noisy = fc.oneof(
    fc.string(),
    fc.string({ unit: anyCodePoint }),
    fc
      .array(fc.constantFrom(...'0123456789,.:|()!= %ffFF'.split(''), '227 ', '229 ', '|||', '255'), {
        maxLength: 40,
      })
      .map((parts) => parts.join('')),
  );

  it.each([
    ['parseHostPort', parseHostPort],
    ['parsePasvReply', parsePasvReply],
    ['parseEprtArgument', parseEprtArgument],
    ['parseEpsvReply', parseEpsvReply],
    ['normalizeIp', normalizeIp],
  ] as const)('%s', (_name, parse) => {
    fc.assert(
      fc.property(noisy, (text) => {
        expectOnlyCodecErrors(() => parse(text));
      }),
      { numRuns: fuzzRuns() },
    );
  });

  it('isIPv4 / isIPv6 never throw, even on non-strings', () => {
    fc.assert(
      fc.property(fc.anything(), (value) => {
        expect(typeof isIPv4(value as string)).toBe('boolean');
        expect(typeof isIPv6(value as string)).toBe('boolean');
      }),
      { numRuns: fuzzRuns() },
    );
  });
});
