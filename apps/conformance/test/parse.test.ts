import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CORPUS_DIR, filterTranscripts, loadCorpus } from '../src/corpus.ts';
import { matchReply, renderTemplate } from '../src/format/match.ts';
import { parseTranscript, TranscriptSyntaxError } from '../src/format/parse.ts';

const GOOD = `# a comment
title: Rename a file
rfc: 959 §5.4
level: MUST
tags: rename, files
requires: write
feature: size
setup: file old.txt "a\\r\\nb"
setup: dir sub
justification: vsftpd, pyftpdlib: RFC 959 §4.2 says
  something quoted on a continuation line
timeout: 3000
---
@login
C: RNFR {dir}/old.txt
S: 350
S?: 1xx
C: RNTO new.txt
S: 250|2xx single /renamed (?<what>\\w+)/i
S: 257 path=made
@data connect from 127.0.0.2 tls
@data listen on {foreign}
@data send "x{repeat:3:ab}\\x00"
@data expect-listing mlsd contains a,b lacks c
@data expect-names contains d
@data expect-refused
@send "AUTH TLS\\r\\nSYST\\r\\n"
@tls or-done
@done-if 5xx
@wait 10
@reconnect
@expect-close
`;

function syntaxError(text: string): TranscriptSyntaxError {
  try {
    parseTranscript(text, 'x.ftp');
  } catch (error) {
    expect(error).toBeInstanceOf(TranscriptSyntaxError);
    return error as TranscriptSyntaxError;
  }
  throw new Error('no error');
}

describe('parseTranscript', () => {
  it('reads every header key and step kind', () => {
    const t = parseTranscript(GOOD, 'corpus/rfc959/x.ftp', 'rfc959/x');
    expect(t).toMatchObject({
      id: 'rfc959/x',
      title: 'Rename a file',
      rfc: 'RFC 959 §5.4',
      rfcNumber: 959,
      level: 'MUST',
      tags: ['rename', 'files'],
      requires: ['write'],
      features: ['SIZE'],
      session: 'target',
      stepTimeout: 3000,
      direction: 'server',
    });
    expect(t.justifications).toEqual([
      { targets: ['vsftpd', 'pyftpdlib'], text: 'RFC 959 §4.2 says something quoted on a continuation line' },
    ]);
    expect(t.setup.map((s) => s.kind)).toEqual(['file', 'dir']);
    expect(t.steps.map((s) => s.kind)).toEqual([
      'login',
      'send',
      'reply',
      'reply',
      'send',
      'reply',
      'reply',
      'data',
      'data',
      'data',
      'data',
      'data',
      'data',
      'send',
      'tls',
      'done-if',
      'wait',
      'reconnect',
      'expect-close',
    ]);
    expect(t.steps[1]!.line).toBe(15);
    const optional = t.steps[3]!;
    expect(optional.kind === 'reply' && optional.optional).toBe(true);
  });

  it('renders templates with variables, escapes and repeats', () => {
    const t = parseTranscript(GOOD, 'x.ftp');
    const send = t.steps[1]!;
    if (send.kind !== 'send') throw new Error('not a send');
    expect(Buffer.from(renderTemplate(send.text, new Map([['dir', 'd']]))).toString()).toBe('RNFR d/old.txt');
    expect(() => renderTemplate(send.text, new Map())).toThrow(/unknown variable \{dir\}/);
    const data = t.steps[9]!;
    if (data.kind !== 'data' || data.action.kind !== 'send') throw new Error('not a data send');
    expect(Buffer.from(renderTemplate(data.action.payload, new Map()))).toEqual(
      Buffer.from('xababab\0', 'latin1'),
    );
    const setup = t.setup[0]!;
    if (setup.kind !== 'file') throw new Error('not a file');
    expect(Buffer.from(renderTemplate(setup.content, new Map())).toString()).toBe('a\r\nb');
  });

  it('matches replies by code alternatives, classes, multi-line and patterns', () => {
    const t = parseTranscript(GOOD, 'x.ftp');
    const step = t.steps[5]!;
    if (step.kind !== 'reply') throw new Error('not a reply');
    const reply = (code: number, lines: string[]) => ({
      code,
      lines,
      text: lines.join('\n'),
      multiline: lines.length > 1,
    });
    const ok = matchReply(step.expect, reply(226, ['Renamed FILE']));
    expect(ok).toEqual({ ok: true, captures: new Map([['what', 'FILE']]) });
    expect(matchReply(step.expect, reply(350, ['Renamed x']))).toMatchObject({
      ok: false,
      reason: 'expected 250|2xx, got 350',
    });
    expect(matchReply(step.expect, reply(250, ['Renamed x', 'more']))).toMatchObject({ ok: false });
    expect(matchReply(step.expect, reply(250, ['nothing']))).toMatchObject({ ok: false });
    const path = t.steps[6]!;
    if (path.kind !== 'reply') throw new Error('not a reply');
    expect(matchReply(path.expect, reply(257, ['"/a ""b""" created']))).toEqual({
      ok: true,
      captures: new Map([['made', '/a "b"']]),
    });
  });

  it.each([
    ['title: x\nrfc: 959\nlevel: MUST\n', 1, /no `---`/],
    ['rfc: 959\nlevel: MUST\n---\nC: NOOP\n', 1, /missing header `title:`/],
    ['title: x\nrfc: 959\nlevel: MAYBE\n---\nC: NOOP\n', 3, /level must be/],
    ['title: x\nrfc: nine\nlevel: MUST\n---\nC: NOOP\n', 2, /must start with the RFC number/],
    ['title: x\nrfc: 959\nlevel: MUST\ncolour: red\n---\nC: NOOP\n', 4, /unknown header/],
    ['title: x\nrfc: 959\nlevel: MUST\n---\nC: NOOP\nS: 2x\n', 6, /bad reply code pattern/],
    ['title: x\nrfc: 959\nlevel: MUST\n---\nS: 200 /unclosed\n', 5, /regex/],
    ['title: x\nrfc: 959\nlevel: MUST\n---\n@data fly\n', 5, /unknown @data action/],
    ['title: x\nrfc: 959\nlevel: MUST\n---\n@teleport\n', 5, /unknown directive/],
    ['title: x\nrfc: 959\nlevel: MUST\n---\nC: X \\q\n', 5, /unknown escape/],
    ['title: x\nrfc: 959\nlevel: MUST\n---\nC: X {repeat:99999999:ab}\n', 5, /repeat/],
    ['title: x\nrfc: 959\nlevel: MUST\n---\nNOOP\n', 5, /a step starts with/],
    ['title: x\nrfc: 959\nlevel: MUST\njustification: vsftpd: because\n---\nC: NOOP\n', 4, /quoting the RFC/],
    ['title: x\nrfc: 959\nlevel: MUST\nsetup: file ../x "a"\n---\nC: NOOP\n', 4, /plain names/],
    ['title: x\nrfc: 959\nlevel: MUST\n---\n', 4, /at least one step/],
  ])('refuses bad input with file:line (%#)', (text, line, message) => {
    const error = syntaxError(text);
    expect(error.line).toBe(line);
    expect(error.code).toBe('FTPKIT_ERR_TRANSCRIPT_SYNTAX');
    expect(error.message).toMatch(new RegExp(`^x\\.ftp:${line}: `));
    expect(error.message).toMatch(message);
  });
});

describe('the corpus', () => {
  const corpus = loadCorpus();

  it('parses, covers every RFC the issue names, and matches the counts in the README', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    // The server table comes first, the client table after "Client transcripts".
    const [serverPart, clientPart] = readme.split('Client transcripts (');
    for (const [direction, text] of [
      ['server', serverPart!],
      ['client', clientPart!.split('\n\n- ')[0]!],
    ] as const) {
      const transcripts = corpus.filter((t) => t.direction === direction);
      const perRfc = new Map<number, number>();
      for (const t of transcripts) perRfc.set(t.rfcNumber, (perRfc.get(t.rfcNumber) ?? 0) + 1);
      if (direction === 'server') {
        for (const rfc of [959, 2228, 4217, 2389, 2428, 3659, 2640, 2577])
          expect(perRfc.get(rfc) ?? 0).toBeGreaterThan(0);
      }
      const table = new Map(
        [...text.matchAll(/^\|\s*(RFC \d+|total)\s*\|\s*(\d+)\s*\|/gm)].map((m) => [m[1], Number(m[2])]),
      );
      for (const [rfc, n] of perRfc) {
        expect(table.get(`RFC ${rfc}`), `README ${direction} count for RFC ${rfc}`).toBe(n);
      }
      expect(table.get('total'), `README ${direction} total`).toBe(transcripts.length);
    }
  });

  it('gives every transcript a unique id under the corpus directory and an RFC-quoting justification', () => {
    expect(new Set(corpus.map((t) => t.id)).size).toBe(corpus.length);
    expect(CORPUS_DIR).toMatch(/corpus$/);
    for (const t of corpus) for (const j of t.justifications) expect(j.text).toMatch(/RFC \d+ §/);
  });

  it('filters by id, tag, level, RFC and exclusion', () => {
    expect(
      filterTranscripts(corpus, 'rfc959/5.4-rename')
        .map((t) => t.id)
        .sort(),
    ).toEqual(['rfc959/5.4-rename', 'rfc959/5.4-rename-directory']);
    expect(filterTranscripts(corpus, 'rfc4217').every((t) => t.rfcNumber === 4217)).toBe(true);
    expect(filterTranscripts(corpus, 'SECURITY').every((t) => t.level === 'SECURITY')).toBe(true);
    expect(filterTranscripts(corpus, 'bounce').every((t) => t.tags.includes('bounce'))).toBe(true);
    expect(filterTranscripts(corpus, '!rfc959').some((t) => t.rfcNumber === 959)).toBe(false);
    expect(filterTranscripts(corpus, undefined)).toHaveLength(corpus.length);
  });
});
