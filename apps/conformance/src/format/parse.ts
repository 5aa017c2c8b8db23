/**
 * Reads a `.ftp` transcript (FORMAT.md) into a `Transcript`.
 *
 * Owns: the header keys, the step grammar, templates (escapes, `{variables}`, `{repeat:N:x}`),
 * reply expectations. Every refusal is a `TranscriptSyntaxError` naming file:line; the parser
 * never throws anything else and never reads a socket or a file.
 */
import { FtpkitError } from '@ftpkit/codec';
import type {
  Answer,
  ClientOperation,
  CodePattern,
  CommandPattern,
  DataAction,
  Direction,
  Justification,
  Level,
  ListingFormatName,
  OutcomeCheck,
  ReplyExpectation,
  Requirement,
  SetupItem,
  Step,
  Template,
  TextPart,
  Transcript,
} from './types.js';

export class TranscriptSyntaxError extends FtpkitError {
  override name = 'TranscriptSyntaxError';
  readonly file: string;
  readonly line: number;

  constructor(file: string, line: number, message: string) {
    super('FTPKIT_ERR_TRANSCRIPT_SYNTAX', `${file}:${line}: ${message}`);
    this.file = file;
    this.line = line;
  }
}

/** Repeats above this are refused: a transcript must not make the replayer itself run out of memory. */
const MAX_REPEAT = 16 * 1024 * 1024;
const LEVELS: readonly Level[] = ['MUST', 'SHOULD', 'SECURITY'];
const REQUIREMENTS: readonly Requirement[] = ['login', 'write', 'tls'];
const VARIABLE = /^[A-Za-z_][A-Za-z0-9_]*$/;

type Fail = (message: string) => never;

/** Parses one transcript. `id` defaults to the file name without `.ftp`. */
export function parseTranscript(text: string, file: string, id?: string): Transcript {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const separator = lines.findIndex((line) => line.trim() === '---');
  if (separator === -1)
    throw new TranscriptSyntaxError(file, 1, 'no `---` line between the header and the steps');

  const header = new Map<string, { value: string; line: number }[]>();
  for (let i = 0; i < separator; i++) {
    const raw = lines[i]!;
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const fail: Fail = (message) => {
      throw new TranscriptSyntaxError(file, i + 1, message);
    };
    // Continuation lines (indented) extend the previous value: long justifications quote RFC text.
    if (/^\s/.test(raw)) {
      const last = [...header.values()].at(-1)?.at(-1);
      if (last === undefined) fail('an indented line continues nothing');
      last.value = `${last.value} ${trimmed}`;
      continue;
    }
    const colon = trimmed.indexOf(':');
    if (colon <= 0) fail(`expected \`key: value\` in the header, got ${JSON.stringify(trimmed)}`);
    const key = trimmed.slice(0, colon).trim().toLowerCase();
    const entry = { value: trimmed.slice(colon + 1).trim(), line: i + 1 };
    const list = header.get(key);
    if (list === undefined) {
      // Keep insertion order so continuation lines attach to the key just read.
      header.set(key, [entry]);
    } else {
      header.delete(key);
      header.set(key, [...list, entry]);
    }
  }

  const one = (key: string, required: boolean): { value: string; line: number } | undefined => {
    const list = header.get(key);
    if (list === undefined) {
      if (required) throw new TranscriptSyntaxError(file, 1, `missing header \`${key}:\``);
      return undefined;
    }
    if (list.length > 1)
      throw new TranscriptSyntaxError(file, list[1]!.line, `header \`${key}:\` given twice`);
    return list[0];
  };
  const known = new Set([
    'title',
    'rfc',
    'level',
    'tags',
    'requires',
    'feature',
    'session',
    'setup',
    'justification',
    'timeout',
    'direction',
    'operation',
    'answer',
    'local',
  ]);
  for (const [key, list] of header) {
    if (!known.has(key)) throw new TranscriptSyntaxError(file, list[0]!.line, `unknown header \`${key}:\``);
  }

  const title = one('title', true)!.value;
  const rfcEntry = one('rfc', true)!;
  const rfcMatch = /^(?:RFC\s*)?(\d+)\b/i.exec(rfcEntry.value);
  if (rfcMatch === null) {
    throw new TranscriptSyntaxError(
      file,
      rfcEntry.line,
      '`rfc:` must start with the RFC number, e.g. `959 §5.4`',
    );
  }
  const levelEntry = one('level', true)!;
  const level = levelEntry.value.toUpperCase() as Level;
  if (!LEVELS.includes(level)) {
    throw new TranscriptSyntaxError(file, levelEntry.line, `level must be MUST, SHOULD or SECURITY`);
  }
  const directionEntry = one('direction', false);
  const direction = (directionEntry?.value ?? 'server') as Direction;
  if (direction !== 'server' && direction !== 'client') {
    throw new TranscriptSyntaxError(file, directionEntry!.line, 'direction must be server or client');
  }
  const list = (value: string | undefined) =>
    (value ?? '')
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item !== '');
  const tags = list(one('tags', false)?.value);
  const requiresEntry = one('requires', false);
  const requires = list(requiresEntry?.value) as Requirement[];
  for (const r of requires) {
    if (!REQUIREMENTS.includes(r)) {
      throw new TranscriptSyntaxError(file, requiresEntry!.line, `unknown requirement ${JSON.stringify(r)}`);
    }
  }
  const features = (header.get('feature') ?? []).flatMap((entry) =>
    list(entry.value).map((f) => f.toUpperCase()),
  );
  const sessionEntry = one('session', false);
  const session = sessionEntry?.value ?? 'target';
  if (session !== 'target' && session !== 'self') {
    throw new TranscriptSyntaxError(file, sessionEntry!.line, 'session must be target or self');
  }
  const timeoutEntry = one('timeout', false);
  let stepTimeout: number | undefined;
  if (timeoutEntry !== undefined) {
    stepTimeout = Number(timeoutEntry.value);
    if (!Number.isInteger(stepTimeout) || stepTimeout <= 0 || stepTimeout > 600_000) {
      throw new TranscriptSyntaxError(
        file,
        timeoutEntry.line,
        'timeout must be an integer of ms in 1..600000',
      );
    }
  }

  const setup: SetupItem[] = [];
  for (const entry of header.get('setup') ?? []) {
    const fail: Fail = (message) => {
      throw new TranscriptSyntaxError(file, entry.line, message);
    };
    const match = /^(file|dir)\s+(\S+)(?:\s+(.*))?$/.exec(entry.value);
    if (match === null) fail('setup must be `file NAME "content"` or `dir NAME`');
    const [, kind, name, rest] = match;
    if (name!.includes('/') || name === '.' || name === '..')
      fail('setup names are plain names inside {dir}');
    if (kind === 'dir') {
      if (rest !== undefined) fail('`setup: dir NAME` takes nothing after the name');
      setup.push({ kind: 'dir', name: name! });
    } else {
      if (rest === undefined) fail('`setup: file NAME "content"` needs the content');
      setup.push({ kind: 'file', name: name!, content: parseQuoted(rest, fail) });
    }
  }

  const justifications: Justification[] = (header.get('justification') ?? []).map((entry) => {
    const match = /^([A-Za-z0-9_*.-]+(?:\s*,\s*[A-Za-z0-9_*.-]+)*)\s*:\s*(\S.*)$/.exec(entry.value);
    if (match === null || !/RFC\s*\d+/i.test(match[2]!)) {
      throw new TranscriptSyntaxError(
        file,
        entry.line,
        'justification must be `TARGET[, TARGET]: text quoting the RFC (name it: "RFC 959 §…")`',
      );
    }
    return { targets: list(match[1]), text: match[2]! };
  });

  const steps: Step[] = [];
  for (let i = separator + 1; i < lines.length; i++) {
    const lineNo = i + 1;
    const raw = lines[i]!;
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const fail: Fail = (message) => {
      throw new TranscriptSyntaxError(file, lineNo, message);
    };
    const stepText = raw.replace(/^\s+/, '');
    steps.push(
      direction === 'client' ? parseClientStep(stepText, lineNo, fail) : parseStep(stepText, lineNo, fail),
    );
  }
  if (steps.length === 0)
    throw new TranscriptSyntaxError(file, separator + 1, 'a transcript needs at least one step');

  const operationEntry = one('operation', false);
  const answerEntries = header.get('answer') ?? [];
  const localEntry = one('local', false);
  if (direction === 'server') {
    const stray = operationEntry ?? answerEntries[0] ?? localEntry;
    if (stray !== undefined) {
      throw new TranscriptSyntaxError(
        file,
        stray.line,
        '`operation:`, `answer:` and `local:` belong to client transcripts (`direction: client`)',
      );
    }
  } else if (operationEntry === undefined) {
    throw new TranscriptSyntaxError(file, 1, 'a client transcript needs `operation:`');
  }
  const operation =
    operationEntry === undefined
      ? undefined
      : parseOperation(operationEntry.value, (message) => {
          throw new TranscriptSyntaxError(file, operationEntry.line, message);
        });
  const answers: Answer[] = answerEntries.map((entry) => {
    const fail: Fail = (message) => {
      throw new TranscriptSyntaxError(file, entry.line, message);
    };
    const match = /^([A-Za-z]{3,4})\s+([1-5]\d\d(?:[ -].*)?)$/.exec(entry.value);
    if (match === null) fail('answer must be `VERB CODE text`, e.g. `answer: PWD 257 "/"`');
    return { verb: match[1]!.toUpperCase(), reply: parseTemplate(match[2]!, fail) };
  });
  const local =
    localEntry === undefined
      ? undefined
      : parseQuoted(localEntry.value, (message) => {
          throw new TranscriptSyntaxError(file, localEntry.line, message);
        });
  return {
    id: id ?? file.replace(/^.*\//, '').replace(/\.ftp$/, ''),
    file,
    title,
    rfc: rfcEntry.value.startsWith('RFC') ? rfcEntry.value : `RFC ${rfcEntry.value}`,
    rfcNumber: Number(rfcMatch[1]),
    level,
    direction,
    tags,
    requires,
    features,
    session,
    setup,
    justifications,
    ...(stepTimeout === undefined ? {} : { stepTimeout }),
    ...(operation === undefined ? {} : { operation }),
    answers,
    ...(local === undefined ? {} : { local }),
    steps,
  };
}

function parseStep(text: string, line: number, fail: Fail): Step {
  if (text.startsWith('C:'))
    return { kind: 'send', line, text: parseTemplate(stripOne(text.slice(2)), fail), crlf: true };
  if (text.startsWith('S?:'))
    return { kind: 'reply', line, expect: parseExpectation(text.slice(3).trim(), fail), optional: true };
  if (text.startsWith('S:'))
    return { kind: 'reply', line, expect: parseExpectation(text.slice(2).trim(), fail), optional: false };
  if (!text.startsWith('@'))
    fail(`a step starts with C:, S:, S?: or @directive, got ${JSON.stringify(text.slice(0, 40))}`);
  const space = text.search(/\s/);
  const name = space === -1 ? text.slice(1) : text.slice(1, space);
  const rest = space === -1 ? '' : text.slice(space + 1).trim();
  const noArgs = () => {
    if (rest !== '') fail(`@${name} takes no argument`);
  };
  switch (name) {
    case 'login':
      noArgs();
      return { kind: 'login', line };
    case 'tls':
      if (rest !== '' && rest !== 'or-done') fail('@tls takes nothing or `or-done`');
      return { kind: 'tls', line, orDone: rest === 'or-done' };
    case 'expect-close':
      noArgs();
      return { kind: 'expect-close', line };
    case 'reconnect':
      noArgs();
      return { kind: 'reconnect', line };
    case 'done-if':
      return { kind: 'done-if', line, expect: parseExpectation(rest, fail) };
    case 'send':
      return { kind: 'send', line, text: parseQuoted(rest, fail), crlf: false };
    case 'wait': {
      const ms = Number(rest);
      if (!Number.isInteger(ms) || ms < 0 || ms > 60_000) fail('@wait takes a number of ms in 0..60000');
      return { kind: 'wait', line, ms };
    }
    case 'set': {
      const match = /^([A-Za-z_][A-Za-z0-9_]*)\s+(.*)$/.exec(rest);
      if (match === null) fail('@set NAME "value"');
      return { kind: 'set', line, name: match[1]!, value: parseQuoted(match[2]!, fail) };
    }
    case 'data':
      return { kind: 'data', line, action: parseDataAction(rest, fail) };
    default:
      return fail(`unknown directive @${name}`);
  }
}

const CLIENT_DATA = new Set([
  'passive',
  'active',
  'listen',
  'connect',
  'send',
  'expect',
  'expect-size',
  'expect-refused',
  'close',
  'abort',
]);

/**
 * A step of a client transcript, where the replayer is the server: `C:` is a command the client
 * must send, `S:` a reply line to send, and the directives of FORMAT.md's client section.
 */
function parseClientStep(text: string, line: number, fail: Fail): Step {
  if (text.startsWith('C:'))
    return { kind: 'expect-command', line, patterns: parseCommandPatterns(text.slice(2).trim(), fail) };
  if (text.startsWith('S:'))
    return { kind: 'reply-line', line, text: parseTemplate(stripOne(text.slice(2)), fail) };
  if (!text.startsWith('@'))
    fail(
      `a client-transcript step starts with C:, S: or @directive, got ${JSON.stringify(text.slice(0, 40))}`,
    );
  const space = text.search(/\s/);
  const name = space === -1 ? text.slice(1) : text.slice(1, space);
  const rest = space === -1 ? '' : text.slice(space + 1).trim();
  switch (name) {
    case 'seen':
      return { kind: 'seen', line, patterns: parseCommandPatterns(rest, fail) };
    case 'outcome':
      return { kind: 'outcome', line, check: parseOutcome(rest, fail) };
    case 'tls':
      if (rest !== '') fail('@tls takes no argument in a client transcript');
      return { kind: 'tls', line, orDone: false };
    case 'data': {
      const verb = rest.split(/\s/)[0]!;
      if (!CLIENT_DATA.has(verb)) fail(`@data ${verb} is not available in a client transcript`);
      return parseStep(text, line, fail);
    }
    case 'send':
    case 'wait':
    case 'set':
    case 'expect-close':
      return parseStep(text, line, fail);
    default:
      return fail(`@${name} is not available in a client transcript`);
  }
}

/**
 * `RETR {path}`, `TYPE I|TYPE A`, `EPRT *|PORT *` (`*`: any argument), or `/regex/flags` on the
 * whole command line. Alternatives are split at a `|` followed by a verb, so `|` inside an
 * argument (EPRT's `|1|host|port|`) stays part of it.
 */
export function parseCommandPatterns(text: string, fail: Fail): CommandPattern[] {
  if (text === '') fail('expected a command pattern such as `RETR {path}` or `/^LIST/`');
  if (text.startsWith('/')) return [{ kind: 'regex', source: text, regex: parseRegex(text, fail) }];
  return text.split(/\|(?=[A-Za-z]{3,4}(?:\s|\||$))/).map((alternative) => {
    const match = /^([A-Za-z]{3,4})(?:\s(.*))?$/.exec(alternative);
    if (match === null) fail(`bad command pattern ${JSON.stringify(alternative)} (want VERB [argument|*])`);
    const argument = match[2];
    return {
      kind: 'command',
      source: alternative,
      verb: match[1]!.toUpperCase(),
      argument: argument === undefined ? undefined : argument === '*' ? 'any' : parseTemplate(argument, fail),
    };
  });
}

function parseOutcome(text: string, fail: Fail): OutcomeCheck {
  const space = text.search(/\s/);
  const verb = space === -1 ? text : text.slice(0, space);
  const rest = space === -1 ? '' : text.slice(space + 1).trim();
  switch (verb) {
    case 'ok':
    case 'fail':
      if (rest !== '') fail(`@outcome ${verb} takes no argument`);
      return { kind: 'status', ok: verb === 'ok' };
    case 'file':
      return { kind: 'file', content: parseQuoted(rest, fail) };
    case 'no-file':
      if (rest !== '') fail('@outcome no-file takes no argument');
      return { kind: 'no-file' };
    case 'output': {
      const words = rest.split(/\s+/).filter((w) => w !== '');
      const contains: string[] = [];
      const lacks: string[] = [];
      for (let i = 0; i < words.length; i += 2) {
        const list = words[i] === 'contains' ? contains : words[i] === 'lacks' ? lacks : undefined;
        if (list === undefined || words[i + 1] === undefined) fail('@outcome output contains A,B [lacks C]');
        list.push(...words[i + 1]!.split(',').filter((n) => n !== ''));
      }
      return { kind: 'output', contains, lacks };
    }
    default:
      return fail('@outcome takes ok, fail, file "content", no-file or output contains A,B');
  }
}

const OPERATIONS = new Set(['download', 'upload', 'list']);

/** `download path=dir/f.bin [tls] [active] [resume] [user=U] [password=P]`. */
function parseOperation(text: string, fail: Fail): ClientOperation {
  const [name, ...words] = text.split(/\s+/).filter((w) => w !== '');
  if (name === undefined || !OPERATIONS.has(name)) fail('operation must be download, upload or list');
  let path = '';
  let user = 'ftpkit';
  let password = 'ftpkit-secret';
  const flags = new Set<string>();
  for (const word of words) {
    const eq = word.indexOf('=');
    if (eq > 0) {
      const key = word.slice(0, eq);
      const value = word.slice(eq + 1);
      if (key === 'path') path = value;
      else if (key === 'user') user = value;
      else if (key === 'password') password = value;
      else fail(`unknown operation parameter ${key}= (path=, user=, password=)`);
    } else if (word === 'tls' || word === 'active' || word === 'resume') {
      flags.add(word);
    } else {
      fail(`unknown operation flag ${JSON.stringify(word)} (tls, active, resume)`);
    }
  }
  if (flags.has('resume') && name !== 'download') fail('resume applies to download');
  return {
    name: name as ClientOperation['name'],
    path,
    tls: flags.has('tls'),
    active: flags.has('active'),
    resume: flags.has('resume'),
    user,
    password,
  };
}

/** `C: USER x`: one space after the colon belongs to the syntax; anything more is the line's. */
function stripOne(text: string): string {
  return text.startsWith(' ') ? text.slice(1) : text;
}

function parseDataAction(text: string, fail: Fail): DataAction {
  const space = text.search(/\s/);
  const verb = space === -1 ? text : text.slice(0, space);
  const rest = space === -1 ? '' : text.slice(space + 1).trim();
  const words = rest === '' ? [] : rest.split(/\s+/);
  const noArgs = () => {
    if (rest !== '') fail(`@data ${verb} takes no argument`);
  };
  const tlsWord = (w: string | undefined): boolean | undefined =>
    w === 'tls'
      ? true
      : w === 'plain'
        ? false
        : w === undefined
          ? undefined
          : fail(`expected tls or plain, got ${w}`);
  switch (verb) {
    case 'connect':
    case 'listen': {
      const key = verb === 'connect' ? 'from' : 'on';
      let address: string | undefined;
      let tls: boolean | undefined;
      for (let i = 0; i < words.length; i++) {
        if (words[i] === key && words[i + 1] !== undefined) {
          address = words[++i];
        } else {
          tls = tlsWord(words[i]);
        }
      }
      return verb === 'connect'
        ? {
            kind: 'connect',
            ...(address === undefined ? {} : { from: address }),
            ...(tls === undefined ? {} : { tls }),
          }
        : {
            kind: 'listen',
            ...(address === undefined ? {} : { on: address }),
            ...(tls === undefined ? {} : { tls }),
          };
    }
    case 'send':
      return { kind: 'send', payload: parseQuoted(rest, fail) };
    case 'expect':
      return { kind: 'expect', payload: parseQuoted(rest, fail) };
    case 'expect-size': {
      const size = Number(rest);
      if (!Number.isSafeInteger(size) || size < 0) fail('@data expect-size takes a byte count');
      return { kind: 'expect-size', size };
    }
    case 'expect-listing':
    case 'expect-names': {
      let format: ListingFormatName = 'any';
      const contains: string[] = [];
      const lacks: string[] = [];
      for (let i = 0; i < words.length; i++) {
        const word = words[i]!;
        const next = words[i + 1];
        if ((word === 'contains' || word === 'lacks') && next !== undefined) {
          (word === 'contains' ? contains : lacks).push(...next.split(',').filter((n) => n !== ''));
          i++;
        } else if (
          verb === 'expect-listing' &&
          (word === 'unix' || word === 'dos' || word === 'mlsd' || word === 'any')
        ) {
          format = word;
        } else {
          fail(
            `@data ${verb}: unexpected ${JSON.stringify(word)} (contains A,B / lacks C${verb === 'expect-listing' ? ' / unix|dos|mlsd|any' : ''})`,
          );
        }
      }
      return verb === 'expect-listing'
        ? { kind: 'expect-listing', format, contains, lacks }
        : { kind: 'expect-names', contains, lacks };
    }
    case 'expect-refused':
      noArgs();
      return { kind: 'expect-refused' };
    case 'close':
      noArgs();
      return { kind: 'close' };
    case 'abort':
      noArgs();
      return { kind: 'abort' };
    case 'passive': {
      const tls = tlsWord(words[0]);
      if (words.length > 1) fail('@data passive takes at most tls or plain');
      return tls === undefined ? { kind: 'passive' } : { kind: 'passive', tls };
    }
    case 'active':
      noArgs();
      return { kind: 'active' };
    default:
      return fail(`unknown @data action ${JSON.stringify(verb)}`);
  }
}

/** `331`, `2xx`, `530|503`, then optional `multiline` / `single`, `path=NAME`, `/re/flags`, `!/re/`. */
export function parseExpectation(text: string, fail: Fail): ReplyExpectation {
  const space = text.search(/\s/);
  const codeText = space === -1 ? text : text.slice(0, space);
  let rest = space === -1 ? '' : text.slice(space + 1).trim();
  if (codeText === '') fail('S: needs reply codes such as 331, 2xx or 530|503');
  const codes: CodePattern[] = codeText.split('|').map((source) => {
    if (!/^[1-6][0-9x][0-9x]$/.test(source))
      fail(`bad reply code pattern ${JSON.stringify(source)} (want 331, 2xx, 55x)`);
    const digit = (c: string) => (c === 'x' ? undefined : Number(c));
    return { source, digits: [digit(source[0]!), digit(source[1]!), digit(source[2]!)] as const };
  });
  let multiline: boolean | undefined;
  let capturePath: string | undefined;
  let pattern: RegExp | undefined;
  let antiPattern: RegExp | undefined;
  while (rest !== '') {
    if (rest.startsWith('/') || rest.startsWith('!/')) {
      const negated = rest.startsWith('!');
      const regex = parseRegex(negated ? rest.slice(1) : rest, fail);
      if (negated) antiPattern = regex;
      else pattern = regex;
      break;
    }
    const match = /^(\S+)\s*/.exec(rest)!;
    const word = match[1]!;
    rest = rest.slice(match[0].length);
    if (word === 'multiline') multiline = true;
    else if (word === 'single') multiline = false;
    else if (word.startsWith('path=') && VARIABLE.test(word.slice(5))) capturePath = word.slice(5);
    else fail(`unexpected ${JSON.stringify(word)} in S: (multiline, single, path=NAME, /regex/)`);
  }
  return {
    codes,
    ...(multiline === undefined ? {} : { multiline }),
    ...(pattern === undefined ? {} : { pattern }),
    ...(antiPattern === undefined ? {} : { antiPattern }),
    ...(capturePath === undefined ? {} : { capturePath }),
  };
}

function parseRegex(text: string, fail: Fail): RegExp {
  const match = /^\/(.*)\/([imsu]*)$/.exec(text);
  if (match === null) fail(`a pattern is /regex/flags at the end of the line, got ${JSON.stringify(text)}`);
  try {
    return new RegExp(match[1]!, match[2]);
  } catch (error) {
    return fail(`bad regular expression: ${(error as Error).message}`);
  }
}

/** A `"quoted"` template: the whole argument, in double quotes, with the template escapes. */
function parseQuoted(text: string, fail: Fail): Template {
  const trimmed = text.trim();
  if (trimmed.length < 2 || !trimmed.startsWith('"') || !trimmed.endsWith('"')) {
    fail(`expected a "quoted" value, got ${JSON.stringify(trimmed)}`);
  }
  const inner = trimmed.slice(1, -1);
  // An unescaped quote inside would mean the author meant two values.
  for (let i = 0; i < inner.length; i++) {
    if (inner[i] === '\\') i++;
    else if (inner[i] === '"') fail('unescaped " inside a quoted value (write \\")');
  }
  return parseTemplate(inner, fail);
}

const encoder = new TextEncoder();

/**
 * Template text: UTF-8 characters, escapes `\\ \" \r \n \t \0 \xHH \{ \}`, variables `{name}`,
 * and `{repeat:N:text}` (text repeated N times; no braces inside).
 */
export function parseTemplate(text: string, fail: Fail): Template {
  const parts: TextPart[] = [];
  let bytes: number[] = [];
  const flush = () => {
    if (bytes.length > 0) parts.push({ kind: 'bytes', bytes: Uint8Array.from(bytes) });
    bytes = [];
  };
  const pushText = (s: string) => {
    for (const b of encoder.encode(s)) bytes.push(b);
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\\') {
      const n = text[++i];
      switch (n) {
        case '\\':
        case '"':
        case '{':
        case '}':
          bytes.push(n.charCodeAt(0));
          break;
        case 'r':
          bytes.push(13);
          break;
        case 'n':
          bytes.push(10);
          break;
        case 't':
          bytes.push(9);
          break;
        case '0':
          bytes.push(0);
          break;
        case 'x': {
          const hex = text.slice(i + 1, i + 3);
          if (!/^[0-9a-fA-F]{2}$/.test(hex)) fail(`\\x needs two hex digits, got ${JSON.stringify(hex)}`);
          bytes.push(Number.parseInt(hex, 16));
          i += 2;
          break;
        }
        default:
          fail(`unknown escape \\${n ?? ''} (use \\\\ \\" \\r \\n \\t \\0 \\xHH \\{ \\})`);
      }
    } else if (c === '{') {
      const end = text.indexOf('}', i);
      if (end === -1) fail('unclosed { (write \\{ for a literal brace)');
      const inside = text.slice(i + 1, end);
      const repeat = /^repeat:(\d+):(.+)$/s.exec(inside);
      if (repeat !== null) {
        const count = Number(repeat[1]);
        const unit = encoder.encode(repeat[2]!);
        if (count * unit.length > MAX_REPEAT) fail(`{repeat} makes more than ${MAX_REPEAT} bytes`);
        flush();
        const out = new Uint8Array(count * unit.length);
        for (let k = 0; k < count; k++) out.set(unit, k * unit.length);
        parts.push({ kind: 'bytes', bytes: out });
      } else if (VARIABLE.test(inside)) {
        flush();
        parts.push({ kind: 'var', name: inside });
      } else {
        fail(`bad {…}: ${JSON.stringify(inside)} (a variable name or repeat:N:text)`);
      }
      i = end;
    } else {
      const point = text.codePointAt(i)!;
      const char = String.fromCodePoint(point);
      pushText(char);
      i += char.length - 1;
    }
  }
  flush();
  return { parts, source: text };
}
