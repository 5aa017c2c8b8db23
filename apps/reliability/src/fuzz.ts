/**
 * The control-channel fuzzer: fast-check arbitraries for hostile command sequences and the runner
 * that plays one sequence against a live server and checks the per-session properties.
 *
 * Owns: the step grammar (random and grammar-aware lines, interleaved PASV/PORT/REST/RNFR/ABOR,
 * TLS upgrades at odd moments and broken handshakes, half-sent lines, binary garbage, Telnet
 * bytes, data connections opened, fed or dropped) and `runCase`, which reports every violation:
 * a reply the codec's strict `ReplyParser` refuses, a code outside 1xx-5xx, a session that hangs
 * (a sync marker not answered in time), or a session that ends without 421/221.
 *
 * Sync markers: after pipelined junk nobody can count replies, so the runner sends
 * `IAC SE IAC SE CRLF XSYNC<n> CRLF` (IAC SE closes a subnegotiation a step may have left open) and waits for the server's `500 Unknown command XSYNC<n>.`: every reply
 * before it belongs to earlier steps. Unknown verbs are answered before login, which makes the
 * marker work in every state.
 *
 * Network: every connection goes to the server under test on loopback; PORT/EPRT arguments name
 * the runner's own sink listener, privileged ports or foreign addresses (which the server must
 * refuse before connecting), never someone else's port.
 */
import { once } from 'node:events';
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import tls from 'node:tls';
import { type Reply, ReplyParser } from '@ftpkit/codec';
import fc from 'fast-check';

export interface FuzzTarget {
  readonly port: number;
  /** The CA that verifies the server's certificate (AUTH TLS). */
  readonly ca: string;
  /** A listener of ours that active-mode data connections may reach (drains and answers bytes). */
  readonly sinkPort: number;
  readonly user: string;
  readonly password: string;
}

export type Step =
  | { readonly kind: 'line'; readonly text: string }
  | { readonly kind: 'bytes'; readonly data: Uint8Array }
  | { readonly kind: 'half'; readonly text: string; readonly cut: number; readonly pause: number }
  | { readonly kind: 'telnet'; readonly data: Uint8Array }
  | { readonly kind: 'sync' }
  | { readonly kind: 'tls' }
  | { readonly kind: 'tls-break'; readonly mode: 'garbage' | 'close' | 'partial' }
  | { readonly kind: 'data'; readonly action: 'drain' | 'send' | 'drop' };

export interface FuzzCase {
  readonly login: boolean;
  readonly steps: readonly Step[];
}

export interface CaseResult {
  readonly violations: string[];
  readonly replies: number;
  readonly ended: 'quit' | 'closed-421' | 'closed-221' | 'tls-broken';
}

// ── Arbitraries ─────────────────────────────────────────────────────────────────────────────

const VERBS = [
  // QUIT is left out here (it ends a case at once); the idioms send it now and then.
  'USER',
  'PASS',
  'ACCT',
  'CWD',
  'XCWD',
  'CDUP',
  'XCUP',
  'SMNT',
  'REIN',
  'PORT',
  'PASV',
  'EPRT',
  'EPSV',
  'TYPE',
  'STRU',
  'MODE',
  'RETR',
  'STOR',
  'STOU',
  'APPE',
  'ALLO',
  'REST',
  'RNFR',
  'RNTO',
  'ABOR',
  'DELE',
  'RMD',
  'XRMD',
  'MKD',
  'XMKD',
  'PWD',
  'XPWD',
  'LIST',
  'NLST',
  'SITE',
  'SYST',
  'STAT',
  'HELP',
  'NOOP',
  'FEAT',
  'OPTS',
  'AUTH',
  'PBSZ',
  'PROT',
  'CCC',
  'ADAT',
  'MIC',
  'CONF',
  'ENC',
  'SIZE',
  'MDTM',
  'MFMT',
  'MLST',
  'MLSD',
  'HASH',
  'HOST',
  'LANG',
  'CLNT',
  'LPRT',
  'LPSV',
  'MAIL',
  'XSEN',
  'AVBL',
  'MFF',
] as const;

const HOSTILE_PATHS = [
  '..',
  '../..',
  '../../../../../../etc/passwd',
  '/..',
  '/../outside/secret.txt',
  'a/../../x',
  'x/..',
  '....//....//',
  '//..//..//outside',
  '..\\..\\outside',
  'a\\..\\..\\b',
  '%2e%2e/%2e%2e/outside',
  '%2e%2e%2f',
  '..%00',
  '..%c0%af..',
  'link-out',
  'link-out/secret.txt',
  'link-out/new.txt',
  'link-out/newdir',
  'link-file',
  'link-parent/outside/secret.txt',
  'dir/../link-out/x',
  '~',
  '~root',
  '*',
  '-la',
  '-R /',
  '/',
  '.',
  './././',
  'dir',
  'dir/file.txt',
  'file.txt',
  'new.txt',
  'ü/ñ/∂',
  '\u202e',
  'a'.repeat(300),
  `${'d/'.repeat(1500)}x`,
  ' leading',
  'trailing ',
  '"quoted"',
  "it's",
  'CON',
  'nul',
  '.ftpkit-upload-0000000000000000',
];

const pathArb = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom(...HOSTILE_PATHS) },
  { weight: 2, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }) },
  {
    weight: 1,
    arbitrary: fc
      .array(fc.constantFrom('..', '.', '', 'a', 'link-out', '\\', '%2e'), { maxLength: 8 })
      .map((p) => p.join('/')),
  },
);

function hostPortArb(sinkPort: number): fc.Arbitrary<string> {
  const hi = sinkPort >> 8;
  const lo = sinkPort & 255;
  return fc.oneof(
    fc.constant(`127,0,0,1,${hi},${lo}`),
    fc.constant(`127,0,0,2,${hi},${lo}`),
    fc.constant('127,0,0,1,0,21'),
    fc.constant('10,0,0,1,200,1'),
    fc.constant('127,0,0,1,256,0'),
    fc.constant('1,2,3,4,5'),
    fc.constant('127,0,0,1,-1,5'),
    fc.constant(',,,,,'),
    fc
      .tuple(fc.nat(300), fc.nat(300), fc.nat(300), fc.nat(300), fc.nat(4), fc.nat(300))
      .map((n) => n.join(',')),
  );
}

function eprtArb(sinkPort: number): fc.Arbitrary<string> {
  return fc.oneof(
    fc.constant(`|1|127.0.0.1|${sinkPort}|`),
    fc.constant(`|1|127.0.0.2|${sinkPort}|`),
    fc.constant(`|2|::1|${sinkPort}|`),
    fc.constant('|1|127.0.0.1|80|'),
    fc.constant('|3|127.0.0.1|2000|'),
    fc.constant('!1!127.0.0.1!2000!'),
    fc.constant('|1|127.0.0.1|99999|'),
    fc.constant('|1||2000|'),
    fc.string({ maxLength: 30 }),
  );
}

const numberArb = fc.oneof(
  fc.nat().map(String),
  fc.constantFrom('-1', '0', '99999999999999999999999', '0x10', '1e3', ' 5', '5 ', '+3', '١٢', 'NaN', ''),
);

function argumentFor(verb: string, sinkPort: number): fc.Arbitrary<string | undefined> {
  switch (verb) {
    case 'PORT':
      return hostPortArb(sinkPort);
    case 'EPRT':
      return eprtArb(sinkPort);
    case 'REST':
    case 'ALLO':
    case 'PBSZ':
      return numberArb;
    case 'TYPE':
      return fc.constantFrom('A', 'I', 'E', 'L 8', 'L 7', 'A N', 'A T', 'X', 'i', '', 'A  N');
    case 'MODE':
    case 'STRU':
    case 'PROT':
      return fc.constantFrom('S', 'B', 'C', 'F', 'R', 'P', 'E', 'Z', 'p', '');
    case 'EPSV':
      return fc.constantFrom(undefined, 'ALL', '1', '2', '3', 'all', '-1');
    case 'AUTH':
      return fc.constantFrom('KERBEROS', 'SSL', 'TLS-C', 'X', '');
    case 'OPTS':
      return fc.constantFrom(
        'UTF8 ON',
        'UTF8 OFF',
        'MLST type;size;',
        'MLST ;;;',
        'HASH MD5',
        'HASH X',
        'X',
        '',
      );
    case 'HASH':
    case 'SIZE':
    case 'MDTM':
    case 'MLST':
      return fc.option(pathArb, { nil: undefined });
    case 'MFMT':
      return fc
        .tuple(fc.constantFrom('20200101000000', '99999999999999', '2020', '20201301250000'), pathArb)
        .map(([t, p]) => `${t} ${p}`);
    case 'SITE':
      return fc.constantFrom('HELP', 'CHMOD 777 /', 'EXEC ls', 'X', '', 'HELP HELP');
    case 'HOST':
    case 'LANG':
    case 'CLNT':
    case 'USER':
    case 'PASS':
      return fc.option(fc.string({ maxLength: 30 }), { nil: undefined });
    default:
      return fc.option(pathArb, { nil: undefined, freq: 4 });
  }
}

function commandLineArb(sinkPort: number): fc.Arbitrary<string> {
  const grammar = fc.constantFrom(...VERBS).chain((verb) =>
    fc.tuple(fc.constant(verb), argumentFor(verb, sinkPort), fc.boolean()).map(([v, arg, lower]) => {
      const sent = lower ? v.toLowerCase() : v;
      return arg === undefined ? sent : `${sent} ${arg}`;
    }),
  );
  return fc.oneof(
    { weight: 8, arbitrary: grammar },
    { weight: 1, arbitrary: fc.string({ maxLength: 60 }) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 60 }) },
  );
}

/** The "interleaved" idioms: the orders real clients get wrong and attackers try on purpose. */
function idiomArb(sinkPort: number): fc.Arbitrary<Step[]> {
  const hi = sinkPort >> 8;
  const lo = sinkPort & 255;
  const line = (text: string): Step => ({ kind: 'line', text });
  return fc.constantFrom(
    [line('PASV'), line('PORT 127,0,0,1,' + hi + ',' + lo), line('RETR file.txt')],
    [line('PASV'), line('REST 3'), line('RNFR file.txt'), line('ABOR'), line('RNTO x.txt')],
    [line('REST 5'), line('STOR new.txt'), line('ABOR')],
    [line('PASV'), { kind: 'data', action: 'drain' }, line('RETR file.txt'), line('ABOR'), line('ABOR')],
    [line('PASV'), { kind: 'data', action: 'send' }, line('STOR up.bin'), line('ABOR'), line('STAT')],
    [line('EPSV'), line('EPSV ALL'), line('PASV'), line('PORT 127,0,0,1,' + hi + ',' + lo), line('EPSV')],
    [line('RNFR file.txt'), line('PASV'), line('RNTO renamed.txt')],
    [line('RNFR file.txt'), line('RNFR dir'), line('RNTO link-out/x')],
    [line('PORT 127,0,0,1,' + hi + ',' + lo), line('LIST'), line('NOOP'), line('ABOR')],
    [line('PASV'), line('REST 99999999'), { kind: 'data', action: 'drain' }, line('RETR file.txt')],
    [line('PASV'), { kind: 'data', action: 'drop' }, line('MLSD'), line('STAT')],
    [line('TYPE A'), line('PASV'), { kind: 'data', action: 'send' }, line('APPE file.txt')],
    [
      line('PASV'),
      { kind: 'tls' },
      line('PBSZ 0'),
      line('PROT P'),
      { kind: 'data', action: 'drain' },
      line('LIST'),
    ],
    [line('RNFR file.txt'), { kind: 'tls' }, line('RNTO moved.txt')],
    [line('REIN'), line('PASV'), line('USER alice')],
    [line('PASV'), line('QUIT'), line('NOOP')],
  );
}

function stepArb(sinkPort: number): fc.Arbitrary<Step> {
  return fc.oneof(
    { weight: 20, arbitrary: commandLineArb(sinkPort).map((text): Step => ({ kind: 'line', text })) },
    {
      weight: 2,
      arbitrary: fc.uint8Array({ maxLength: 200 }).map((data): Step => ({ kind: 'bytes', data })),
    },
    {
      weight: 2,
      arbitrary: fc
        .tuple(commandLineArb(sinkPort), fc.nat(40), fc.nat(30))
        .map(([text, cut, pause]): Step => ({ kind: 'half', text, cut, pause })),
    },
    {
      weight: 2,
      arbitrary: fc
        .array(
          fc.oneof(
            fc.constant([0xff, 0xf4]), // IAC IP
            fc.constant([0xff, 0xf2]), // IAC DM
            fc.constant([0xff, 0xff]), // escaped 0xFF
            fc.tuple(fc.constantFrom(0xfb, 0xfc, 0xfd, 0xfe), fc.nat(255)).map(([c, o]) => [0xff, c, o]),
            fc.constant([0xff, 0xfa, 1, 2, 3, 0xff, 0xf0]), // SB ... SE
            fc.constant([0xff]), // lone IAC
            fc.constant([0xff, 0xfa, 1, 2]), // SB never ended
          ),
          { minLength: 1, maxLength: 6 },
        )
        .map((parts): Step => ({ kind: 'telnet', data: Uint8Array.from(parts.flat()) })),
    },
    { weight: 2, arbitrary: fc.constant<Step>({ kind: 'sync' }) },
    { weight: 1, arbitrary: fc.constant<Step>({ kind: 'tls' }) },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom('drain', 'send', 'drop')
        .map((action): Step => ({ kind: 'data', action: action as 'drain' | 'send' | 'drop' })),
    },
  );
}

export function caseArb(sinkPort: number, maxSteps = 25): fc.Arbitrary<FuzzCase> {
  const body = fc
    .array(
      fc.oneof(
        { weight: 6, arbitrary: stepArb(sinkPort).map((s) => [s]) },
        { weight: 1, arbitrary: idiomArb(sinkPort) },
      ),
      {
        maxLength: maxSteps,
      },
    )
    .map((chunks) => chunks.flat());
  // One case in eight ends with a broken TLS handshake (the rest end with QUIT or a 421).
  const tail = fc.oneof(
    { weight: 7, arbitrary: fc.constant(undefined) },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom('garbage', 'close', 'partial')
        .map((mode): Step => ({ kind: 'tls-break', mode: mode as 'garbage' | 'close' | 'partial' })),
    },
  );
  return fc
    .tuple(
      fc.oneof({ weight: 3, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
      body,
      tail,
    )
    .map(([login, steps, breaker]) => ({
      login,
      steps: breaker === undefined ? steps : [...steps, breaker],
    }));
}

// ── Runner ──────────────────────────────────────────────────────────────────────────────────

const SYNC_TIMEOUT = 10_000;
let syncCounter = 0;

function syncVerb(): string {
  let n = syncCounter++;
  let letters = '';
  do {
    letters += String.fromCharCode(65 + (n % 26));
    n = Math.floor(n / 26);
  } while (n > 0);
  return `XSYNC${letters}`;
}

class Conversation {
  socket: net.Socket;
  readonly replies: Reply[] = [];
  readonly violations: string[] = [];
  closed = false;
  readonly #parser = new ReplyParser();
  #listeners: (() => void)[] = [];
  readonly dataSockets = new Set<net.Socket>();
  lastPassivePort: number | undefined;

  constructor(socket: net.Socket) {
    this.socket = socket;
    this.#attach(socket);
  }

  #attach(socket: net.Socket): void {
    socket.on('data', (chunk: Buffer) => this.#feed(chunk));
    socket.on('error', () => {});
    socket.on('close', () => {
      this.closed = true;
      this.#notify();
    });
  }

  #feed(chunk: Buffer): void {
    if (this.#parser.error !== undefined) return;
    try {
      for (const reply of this.#parser.push(chunk)) {
        if (reply.code < 100 || reply.code > 599)
          this.violations.push(`reply code out of range: ${reply.code}`);
        this.replies.push(reply);
        const text = reply.lines[reply.lines.length - 1] ?? '';
        if (reply.code === 227) {
          const m = /(\d+),(\d+),(\d+),(\d+),(\d+),(\d+)/.exec(text);
          if (m !== null) this.lastPassivePort = Number(m[5]) * 256 + Number(m[6]);
        } else if (reply.code === 229) {
          const m = /\|\|\|(\d+)\|/.exec(text);
          if (m !== null) this.lastPassivePort = Number(m[1]);
        }
      }
    } catch (error) {
      this.violations.push(`malformed reply stream: ${(error as Error).message}`);
    }
    this.#notify();
  }

  #notify(): void {
    const listeners = this.#listeners;
    this.#listeners = [];
    for (const l of listeners) l();
  }

  /** Waits until `predicate` holds (checked on every reply and on close), or the timeout. */
  async until(predicate: () => boolean, timeout: number): Promise<boolean> {
    const deadline = Date.now() + timeout;
    while (!predicate()) {
      if (this.closed) return predicate();
      const left = deadline - Date.now();
      if (left <= 0) return false;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.#listeners.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return true;
  }

  write(data: string | Uint8Array): void {
    if (!this.closed && !this.socket.destroyed) this.socket.write(data);
  }

  /** Sends a sync marker and waits for its 500; false if the session ended or hung. */
  async sync(): Promise<'ok' | 'closed' | 'hung'> {
    if (this.closed) return 'closed';
    const verb = syncVerb();
    const seen = this.replies.length;
    // IAC SE IAC SE first: an unterminated subnegotiation (IAC SB ...) swallows every byte until IAC SE
    // (RFC 854), so a marker sent inside one would never be read. Outside one it is a no-op.
    // Twice: if the last byte was an IAC inside the subnegotiation, the first IAC is read as
    // IAC IAC (a data byte) and only the second pair ends it.
    this.write(Uint8Array.from([0xff, 0xf0, 0xff, 0xf0]));
    this.write(`\r\n${verb}\r\n`);
    const ok = await this.until(
      () => this.replies.slice(seen).some((r) => r.code === 500 && r.lines.join(' ').includes(verb)),
      SYNC_TIMEOUT,
    );
    if (ok) return 'ok';
    return this.closed ? 'closed' : 'hung';
  }

  /** The next reply after index `from`, or undefined on close/timeout. */
  async replyAfter(from: number, timeout = SYNC_TIMEOUT): Promise<Reply | undefined> {
    await this.until(() => this.replies.length > from, timeout);
    return this.replies[from];
  }

  /** Swaps the plaintext socket for TLS (after 234). */
  async upgrade(ca: string): Promise<boolean> {
    const plain = this.socket;
    plain.removeAllListeners('data');
    plain.removeAllListeners('close');
    const secure = tls.connect({ socket: plain, ca, servername: 'localhost' });
    this.socket = secure;
    this.#attach(secure);
    try {
      await Promise.race([
        once(secure, 'secureConnect'),
        new Promise((_, reject) =>
          setTimeout(() => reject(new Error('TLS handshake timeout')), SYNC_TIMEOUT),
        ),
      ]);
      return true;
    } catch (error) {
      this.violations.push(`TLS upgrade after 234 failed: ${(error as Error).message}`);
      return false;
    }
  }

  destroy(): void {
    this.socket.destroy();
    for (const d of this.dataSockets) d.destroy();
  }
}

function openData(conv: Conversation, action: 'drain' | 'send' | 'drop'): void {
  const port = conv.lastPassivePort;
  if (port === undefined) return;
  const socket = net.connect({ host: '127.0.0.1', port });
  conv.dataSockets.add(socket);
  socket.on('error', () => {});
  socket.on('close', () => conv.dataSockets.delete(socket));
  socket.on('connect', () => {
    if (action === 'drop') socket.destroy();
    else if (action === 'send') socket.end(Buffer.alloc(2048, 0x41));
    else socket.resume();
  });
  socket.resume();
}

/** Sync, AUTH TLS, then a real handshake or a deliberately broken one. True if TLS is now broken. */
async function tlsStep(
  conv: Conversation,
  target: FuzzTarget,
  step: Extract<Step, { kind: 'tls' | 'tls-break' }>,
): Promise<boolean> {
  const s = await conv.sync();
  if (s !== 'ok') {
    if (s === 'hung') conv.violations.push('session hung before AUTH TLS');
    return false;
  }
  const from = conv.replies.length;
  conv.write('AUTH TLS\r\n');
  const reply = await conv.replyAfter(from);
  if (reply?.code !== 234) return false;
  if (step.kind === 'tls') return !(await conv.upgrade(target.ca));
  if (step.mode === 'close') conv.socket.destroy();
  else if (step.mode === 'garbage')
    conv.write('USER alice\r\nPASS secret\r\n\x00\x01\x02 not a ClientHello\r\n');
  else conv.write(Uint8Array.from([0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xfc, 0x03, 0x03]));
  return true;
}

/** Plays one case against the server and checks the session properties. Never throws. */
export async function runCase(target: FuzzTarget, fuzzCase: FuzzCase): Promise<CaseResult> {
  const socket = net.connect({ host: '127.0.0.1', port: target.port });
  socket.on('error', () => {});
  const conv = new Conversation(socket);
  let ended: CaseResult['ended'] = 'quit';
  try {
    await Promise.race([
      once(socket, 'connect'),
      new Promise((_, reject) => setTimeout(() => reject(new Error('connect timeout')), SYNC_TIMEOUT)),
    ]);
    const greeting = await conv.replyAfter(0);
    if (greeting?.code !== 220) {
      conv.violations.push(`greeting: ${greeting?.code ?? 'none'}`);
      return { violations: conv.violations, replies: conv.replies.length, ended: 'closed-421' };
    }
    if (fuzzCase.login) {
      conv.write(`USER ${target.user}\r\nPASS ${target.password}\r\n`);
    }
    let tlsBroken = false;
    for (const step of fuzzCase.steps) {
      if (conv.closed) break;
      switch (step.kind) {
        case 'line':
          // AUTH with a TLS mechanism goes through the TLS flow (the bytes after 234 are TLS).
          if (/^auth (tls|ssl|tls-c|tls-p)$/i.test(step.text))
            tlsBroken = await tlsStep(conv, target, { kind: 'tls' });
          else conv.write(`${step.text}\r\n`);
          break;
        case 'bytes':
          conv.write(step.data);
          break;
        case 'telnet':
          conv.write(step.data);
          break;
        case 'half': {
          const bytes = Buffer.from(`${step.text}\r\n`);
          const cut = Math.min(step.cut, bytes.length);
          conv.write(bytes.subarray(0, cut));
          await new Promise((r) => setTimeout(r, step.pause));
          conv.write(bytes.subarray(cut));
          break;
        }
        case 'sync': {
          const s = await conv.sync();
          if (s === 'hung') conv.violations.push('session hung: sync marker not answered');
          break;
        }
        case 'data':
          openData(conv, step.action);
          break;
        case 'tls':
        case 'tls-break': {
          tlsBroken = await tlsStep(conv, target, step);
          break;
        }
      }
      if (tlsBroken) break;
    }
    if (tlsBroken) {
      // The server must drop a connection whose handshake failed; nothing else is owed.
      ended = 'tls-broken';
      const gone = await conv.until(() => conv.closed, 15_000);
      if (!gone) {
        conv.socket.destroy();
        conv.violations.push('broken TLS handshake: server kept the connection open');
      }
    } else {
      const s = await conv.sync();
      if (s === 'hung') conv.violations.push('session hung: final sync not answered');
      if (!conv.closed) {
        const from = conv.replies.length;
        conv.write('QUIT\r\n');
        const bye = await conv.replyAfter(from);
        if (bye?.code !== 221) conv.violations.push(`QUIT answered ${bye?.code ?? 'nothing'}`);
        if (!(await conv.until(() => conv.closed, SYNC_TIMEOUT))) conv.violations.push('no close after 221');
        ended = 'quit';
      } else {
        const last = conv.replies[conv.replies.length - 1];
        if (last?.code === 421) ended = 'closed-421';
        else if (last?.code === 221) ended = 'closed-221';
        // An AUTH hidden in a random line: the bytes after 234 were not TLS, so the server drops us.
        else if (last?.code === 234) ended = 'tls-broken';
        else conv.violations.push(`session closed without 421/221 (last reply ${last?.code ?? 'none'})`);
      }
    }
  } catch (error) {
    conv.violations.push(`runner: ${(error as Error).message}`);
  } finally {
    conv.destroy();
  }
  return { violations: conv.violations, replies: conv.replies.length, ended };
}

/** A data sink for active-mode targets: accepts, sends a few bytes, drains, closes. */
export async function startSink(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
    socket.on('close', () => sockets.delete(socket));
    socket.end('sink data\r\n');
    socket.resume();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/**
 * The fuzz tree: `<base>/root` is the user's root (files, a directory, and symlinks pointing out
 * of it: to `<base>/outside`, to a file there, and to `..`); `<base>/outside` must never change.
 */
export async function fuzzRoot(base: string): Promise<string> {
  const root = path.join(base, 'root');
  const outside = path.join(base, 'outside');
  await mkdir(path.join(root, 'dir'), { recursive: true });
  await mkdir(outside);
  await writeFile(path.join(outside, 'secret.txt'), 'TOP-SECRET');
  await writeFile(path.join(root, 'file.txt'), 'hello world\n');
  await writeFile(path.join(root, 'dir', 'file.txt'), 'nested\n');
  await symlink(outside, path.join(root, 'link-out'));
  await symlink(path.join(outside, 'secret.txt'), path.join(root, 'link-file'));
  await symlink('..', path.join(root, 'link-parent'));
  return root;
}
