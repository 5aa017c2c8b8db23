/** Keeps README.md honest: each value the README shows is asserted here against the source. */
import { describe, expect, it } from 'vitest';
import {
  CodecError,
  createListFormatter,
  createMlsxFormatter,
  formatCommand,
  formatFeatReply,
  formatListLine,
  formatMlsxFacts,
  formatPasvReplyText,
  formatPathnameReplyText,
  formatReply,
  formatTimeVal,
  ListingParser,
  normalizeIp,
  parseCommand,
  parseEprtArgument,
  parseEpsvReply,
  parseFeatReply,
  parsePasvReply,
  parsePathnameReply,
} from '../src/index.ts';

describe('README examples', () => {
  it('commands', () => {
    expect(parseCommand('type a n')).toEqual({ verb: 'TYPE', type: 'A', format: 'N' });
    expect(parseCommand('PORT 127,0,0,1,4,1')).toEqual({
      verb: 'PORT',
      address: { host: '127.0.0.1', port: 1025 },
    });
    expect(parseCommand('XCWD /pub')).toEqual({ verb: 'CWD', path: '/pub', alias: 'XCWD' });
    expect(parseCommand('LIST -la my dir')).toEqual({ verb: 'LIST', flags: 'la', path: 'my dir' });
    expect(parseCommand('XSHA256 f', { allowUnknown: true })).toEqual({
      verb: 'XSHA256',
      extension: true,
      argument: 'f',
    });
    expect(formatCommand({ verb: 'EPRT', address: { protocol: 2, host: '::1', port: 6446 } })).toBe(
      'EPRT |2|::1|6446|',
    );
    const error = (() => {
      try {
        parseCommand('MODE Z');
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(CodecError);
    expect((error as CodecError).replyCode).toBe(504);
  });

  it('replies', () => {
    expect(formatReply(211, ['Status:', '211 looks like an end', 'End'])).toBe(
      '211-Status:\r\n 211 looks like an end\r\n211 End\r\n',
    );
  });

  it('addresses', () => {
    expect(formatPasvReplyText({ host: '192.168.1.2', port: 50001 })).toBe(
      'Entering Passive Mode (192,168,1,2,195,81).',
    );
    expect(parsePasvReply('227 Entering Passive Mode 192,168,1,2,195,81')).toEqual({
      host: '192.168.1.2',
      port: 50001,
    });
    expect(parseEprtArgument('|2|::1|6446|')).toEqual({ protocol: 2, host: '::1', port: 6446 });
    expect(parseEpsvReply('229 Entering Extended Passive Mode (|||6446|)')).toBe(6446);
    expect(normalizeIp('::ffff:127.0.0.1')).toBe('127.0.0.1');
  });

  it('paths', () => {
    expect(formatPathnameReplyText('/my "docs"', 'is the current directory')).toBe(
      '"/my ""docs""" is the current directory',
    );
    expect(parsePathnameReply('"/my ""docs""" created')).toBe('/my "docs"');
  });

  it('listings and times', () => {
    const file = {
      name: 'report.pdf',
      type: 'file',
      size: 48213,
      modified: new Date('2024-03-01T10:20:00Z'),
    } as const;
    expect(formatListLine(file, { now: new Date('2024-04-01') })).toBe(
      '-rw-r--r-- 1 ftp ftp 48213 Mar  1 10:20 report.pdf',
    );
    expect(formatMlsxFacts(file)).toBe(
      'type=file;size=48213;modify=20240301102000;UNIX.mode=0644; report.pdf',
    );
    expect(formatTimeVal(file.modified)).toBe('20240301102000');
    const mlsd = createMlsxFormatter({ facts: ['type', 'size', 'perm'] });
    expect(mlsd(file, 'adfrw')).toBe('type=file;size=48213;perm=adfrw; report.pdf');
    const dir = [file, { ...file, name: 'big.iso', size: 4_700_000_000 }];
    const list = createListFormatter(dir, { now: new Date('2024-04-01') });
    expect(list(file)).toBe('-rw-r--r-- 1 ftp ftp      48213 Mar  1 10:20 report.pdf');
    const parser = new ListingParser();
    parser.push(new TextEncoder().encode('-rw-r--r-- 1 ftp ftp 5 Mar  1 10:20 a.t'));
    parser.push('xt\r\n');
    expect(parser.end().entries[0]?.name).toBe('a.txt');
  });

  it('FEAT', () => {
    expect(formatFeatReply(['UTF8', 'MLST type*;size*;modify*;', 'EPSV'])).toBe(
      '211-Features:\r\n UTF8\r\n MLST type*;size*;modify*;\r\n EPSV\r\n211 End\r\n',
    );
    expect([...parseFeatReply('211-Features:\r\n UTF8\r\n AUTH TLS\r\n211 End\r\n')]).toEqual([
      ['UTF8', ''],
      ['AUTH', 'TLS'],
    ]);
  });
});
