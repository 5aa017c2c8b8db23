/**
 * Server direction: the replayer plays the client of each transcript against a host:port.
 *
 * Owns: the step interpreter (client lines, reply expectations, @login, @tls, @data, @wait,
 * @expect-close), the per-transcript scratch directory {dir} with its `setup:` fixtures and its
 * removal afterwards, FEAT-based applicability, and the run over a corpus with bounded
 * concurrency. Every failure of the target — hang, early close, garbage, gigantic reply — ends
 * that transcript with a `fail` and the run goes on. Replies are read by the codec, sockets
 * belong to the transport.
 */
import { randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import {
  formatEprtArgument,
  formatHostPort,
  parseEpsvReply,
  parseFeatReply,
  parseListing,
  parsePasvReply,
  type Reply,
  redactCommandLine,
  splitCommandLine,
} from '@ftpkit/codec';
import type { ClientHandshakeOptions } from '@ftpkit/transport';
import { MissingVariableError, matchReply, renderTemplate } from '../format/match.js';
import type { DataAction, ReplyExpectation, Step, Template, Transcript } from '../format/types.js';
import {
  type ExchangeEntry,
  finishedResult,
  resultBase,
  type TargetRun,
  type TranscriptResult,
} from '../result.js';
import { ControlClient, message, ReplayFailure } from './control.js';
import { DataSession } from './data.js';
import { record, runSharedDataStep } from './data-steps.js';

export type TlsMode = 'none' | 'explicit' | 'implicit';

export interface ServerTarget {
  /** Shown in reports and matched against `justification:` entries. */
  readonly name: string;
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly password: string;
  /** `explicit`: @login negotiates AUTH TLS, PBSZ 0, PROT P; `implicit`: TLS from the first byte. */
  readonly tls?: TlsMode;
  /** CA to trust for the server's certificate (PEM). */
  readonly ca?: string | readonly string[];
  /** Default true. */
  readonly rejectUnauthorized?: boolean;
  /** The account may create files and directories. Default true. */
  readonly writable?: boolean;
}

export interface ReplayOptions {
  /** Longest wait for any one step (a reply, a data transfer). Default 10 000 ms. */
  readonly stepTimeout?: number;
  /** A second local address on the client's host for "foreign" data connections. Default 127.0.0.2 for loopback targets. */
  readonly foreignAddress?: string;
  /** Remove each scratch directory afterwards. Default true. */
  readonly cleanup?: boolean;
  /** Transcripts run at the same time. Default 1. */
  readonly concurrency?: number;
  readonly onResult?: (result: TranscriptResult) => void;
}

class NotApplicable extends Error {}

interface Ctx {
  readonly transcript: Transcript;
  readonly target: ServerTarget;
  readonly stepTimeout: number;
  readonly vars: Map<string, string>;
  readonly log: ExchangeEntry[];
  readonly started: number;
  readonly foreign: string | undefined;
  control: ControlClient;
  data: DataSession;
  /** PROT P is in force: data connections handshake TLS. */
  protectedData: boolean;
  /** The last PASV/EPSV reply's port. */
  passivePort: number | undefined;
  lastLine: number;
  /** The last command sent, to learn PROT's effect from its reply. */
  lastVerb: { verb: string; argument: string } | undefined;
  /** The last reply read, for @done-if. */
  lastReply: Reply | undefined;
}

/** Thrown by @done-if: the rest of the transcript does not apply to this server's answer. */
class Done extends Error {}

const DEFAULT_STEP_TIMEOUT = 10_000;

export function describeTarget(target: ServerTarget): string {
  const scheme = target.tls === 'implicit' ? 'ftps' : 'ftp';
  const tls = target.tls === 'explicit' ? ' (explicit TLS)' : '';
  return `${scheme}://${target.user}@${target.host}:${target.port}${tls}`;
}

/** Runs every server-direction transcript against `target`. */
export async function replayAgainstServer(
  transcripts: readonly Transcript[],
  target: ServerTarget,
  options: ReplayOptions = {},
): Promise<TargetRun> {
  const applicable = transcripts.filter((t) => t.direction === 'server');
  const features = await discoverFeatures(target, options).catch(() => new Set<string>());
  const results: TranscriptResult[] = new Array(applicable.length);
  let next = 0;
  const worker = async () => {
    for (;;) {
      const index = next++;
      if (index >= applicable.length) return;
      const result = await replayTranscript(applicable[index]!, target, { ...options, features });
      results[index] = result;
      options.onResult?.(result);
    }
  };
  const concurrency = Math.max(1, Math.min(options.concurrency ?? 1, 16));
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { target: target.name, description: describeTarget(target), results };
}

/** FEAT labels (RFC 2389) of the target, after logging in the way @login does. */
async function discoverFeatures(target: ServerTarget, options: ReplayOptions): Promise<Set<string>> {
  const ctx = await openSession(target, options, undefined);
  try {
    await login(ctx, 0);
    await sendLine(ctx, 'FEAT', 0);
    const reply = await ctx.control.reply(ctx.stepTimeout);
    return new Set(parseFeatReply(reply).keys());
  } finally {
    ctx.data.dispose();
    ctx.control.close();
  }
}

function tlsOptions(target: ServerTarget): ClientHandshakeOptions {
  return {
    host: target.host,
    ...(target.ca === undefined ? {} : { ca: target.ca as string | string[] }),
    ...(target.rejectUnauthorized === undefined ? {} : { rejectUnauthorized: target.rejectUnauthorized }),
  };
}

async function openSession(
  target: ServerTarget,
  options: ReplayOptions,
  transcript: Transcript | undefined,
  vars = new Map<string, string>(),
  log: ExchangeEntry[] = [],
  started = Date.now(),
): Promise<Ctx> {
  const stepTimeout = transcript?.stepTimeout ?? options.stepTimeout ?? DEFAULT_STEP_TIMEOUT;
  const implicit = target.tls === 'implicit' && transcript?.session !== 'self';
  const control = await ControlClient.connect({
    host: target.host,
    port: target.port,
    connectTimeout: stepTimeout,
    ...(implicit ? { implicitTls: tlsOptions(target) } : {}),
  });
  const loopback = target.host === 'localhost' || target.host.startsWith('127.') || target.host === '::1';
  const ctx: Ctx = {
    transcript: transcript ?? ({ id: 'setup', steps: [] } as unknown as Transcript),
    target,
    stepTimeout,
    vars,
    log,
    started,
    foreign: options.foreignAddress ?? (loopback ? '127.0.0.2' : undefined),
    control,
    data: new DataSession(stepTimeout),
    protectedData: false,
    passivePort: undefined,
    lastLine: 0,
    lastVerb: undefined,
    lastReply: undefined,
  };
  try {
    // RFC 959 §5.4 Connection Establishment: 120 (then 220), 220, or 421.
    let greeting = await control.reply(stepTimeout);
    record(ctx, 'S', formatReplyForLog(greeting), 0);
    if (greeting.code === 120) {
      greeting = await control.reply(stepTimeout);
      record(ctx, 'S', formatReplyForLog(greeting), 0);
    }
    if (greeting.code !== 220) throw new ReplayFailure(`greeting: expected 220, got ${greeting.code}`);
  } catch (error) {
    control.close();
    throw error;
  }
  return ctx;
}

/** Replays one transcript; never throws. */
export async function replayTranscript(
  transcript: Transcript,
  target: ServerTarget,
  options: ReplayOptions & { features?: ReadonlySet<string> } = {},
): Promise<TranscriptResult> {
  const started = Date.now();
  const log: ExchangeEntry[] = [];
  const base = resultBase(transcript, target.name);
  const notApplicable = (reason: string): TranscriptResult => ({
    ...base,
    status: 'n/a',
    reason,
    durationMs: 0,
    exchange: [],
  });
  const tls = target.tls ?? 'none';
  if (transcript.requires.includes('tls') && tls === 'none')
    return notApplicable('the target offers no TLS (--tls)');
  if (transcript.session === 'self' && tls === 'implicit') {
    return notApplicable('negotiates TLS itself; the target uses implicit TLS');
  }
  if (transcript.requires.includes('write') && target.writable === false)
    return notApplicable('the account is read-only');
  const missing = transcript.features.filter(
    (f) => options.features !== undefined && !options.features.has(f),
  );
  if (missing.length > 0) return notApplicable(`FEAT does not list ${missing.join(', ')}`);

  const vars = new Map<string, string>([
    ['user', target.user],
    ['password', target.password],
    ['host', target.host],
    ['port', String(target.port)],
    ['unique', randomBytes(4).toString('hex')],
  ]);
  const needsDir = transcript.setup.length > 0 || usesVariable(transcript, 'dir');
  const dir = `ftpkit-conformance-${transcript.id.replace(/[^A-Za-z0-9]+/g, '-')}-${randomBytes(3).toString('hex')}`;
  if (needsDir) vars.set('dir', dir);

  let ctx: Ctx | undefined;
  let failure: { reason: string; line?: number } | undefined;
  try {
    if (needsDir) await setUp(transcript, target, options, dir, vars, log, started);
    ctx = await openSession(target, options, transcript, vars, log, started);
    if (ctx.foreign !== undefined) vars.set('foreign', ctx.foreign);
    for (const step of transcript.steps) {
      ctx.lastLine = step.line;
      if (step.kind === 'reconnect') {
        ctx.data.dispose();
        ctx.control.close();
        record(ctx, '*', 'reconnecting', step.line);
        ctx = await openSession(target, options, transcript, vars, log, started);
        continue;
      }
      await runStep(ctx, step);
    }
  } catch (error) {
    if (error instanceof Done) {
      ctx?.data.dispose();
      ctx?.control.close();
      return { ...base, status: 'pass', durationMs: Date.now() - started, exchange: log };
    }
    if (error instanceof NotApplicable) {
      ctx?.data.dispose();
      ctx?.control.close();
      return notApplicable(error.message);
    }
    const reason =
      error instanceof ReplayFailure || error instanceof MissingVariableError
        ? error.message
        : `replayer error: ${message(error)}`;
    failure = { reason, ...(ctx === undefined ? {} : { line: ctx.lastLine }) };
    log.push({
      at: Date.now() - started,
      kind: '!',
      text: ctx === undefined ? reason : `line ${ctx.lastLine}: ${reason}`,
    });
  } finally {
    ctx?.data.dispose();
    ctx?.control.close();
  }
  if (needsDir && options.cleanup !== false) {
    await removeScratch(target, options, dir).catch(() => {});
  }
  return finishedResult(transcript, target.name, failure, started, log);
}

function usesVariable(transcript: Transcript, name: string): boolean {
  const inTemplate = (t: Template) => t.parts.some((p) => p.kind === 'var' && p.name === name);
  return transcript.steps.some((step) => {
    if (step.kind === 'send') return inTemplate(step.text);
    if (step.kind === 'set') return inTemplate(step.value);
    if (step.kind === 'data' && (step.action.kind === 'send' || step.action.kind === 'expect')) {
      return inTemplate(step.action.payload);
    }
    return false;
  });
}

const SHOWN = 300;

/** A client line as it appears in reports: PASS redacted, control bytes escaped, long lines cut. */
export function formatBytesForLog(bytes: Uint8Array): string {
  const text = Buffer.from(bytes).toString('latin1').replace(/\r\n$/, '');
  let shown = text.length > SHOWN ? text.slice(0, SHOWN) : text;
  shown = /^pass\b/i.test(shown) ? redactCommandLine(shown) : shown;
  // Escape what a terminal or an HTML page would not show faithfully.
  shown = shown.replace(
    /[\x00-\x1f\x7f-\xff]/g,
    (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`,
  );
  return text.length > SHOWN ? `${shown}… (${bytes.length} bytes)` : shown;
}

export function formatReplyForLog(reply: Reply): string {
  const lines = reply.lines.map((l) => (l.length > SHOWN ? `${l.slice(0, SHOWN)}…` : l));
  const shown =
    lines.length > 12 ? [...lines.slice(0, 10), `… ${lines.length - 11} more lines`, lines.at(-1)!] : lines;
  if (!reply.multiline) return `${reply.code} ${shown[0] ?? ''}`;
  return shown
    .map((l, i) => (i === 0 ? `${reply.code}-${l}` : i === shown.length - 1 ? `${reply.code} ${l}` : l))
    .join('\n');
}

async function sendBytes(ctx: Ctx, bytes: Uint8Array, line: number): Promise<void> {
  record(ctx, 'C', formatBytesForLog(bytes), line);
  await ctx.control.send(bytes);
}

async function sendLine(ctx: Ctx, text: string, line: number): Promise<void> {
  await sendBytes(ctx, Buffer.from(`${text}\r\n`, 'utf8'), line);
}

/** Reads the next reply, tracks PASV/EPSV/PROT state from it, and logs it. */
async function readReply(ctx: Ctx, line: number): Promise<Reply> {
  const reply = await ctx.control.reply(ctx.stepTimeout);
  record(ctx, 'S', formatReplyForLog(reply), line);
  observe(ctx, reply);
  ctx.lastReply = reply;
  return reply;
}

function observe(ctx: Ctx, reply: Reply): void {
  try {
    if (reply.code === 227) ctx.passivePort = parsePasvReply(reply.text).port;
    if (reply.code === 229) ctx.passivePort = parseEpsvReply(reply.text);
  } catch {
    // A malformed 227/229 leaves no address; a later @data connect fails and says so.
    ctx.passivePort = undefined;
  }
  const last = ctx.lastVerb;
  if (last === undefined) return;
  if (last.verb === 'PROT' && reply.code >= 200 && reply.code < 300) {
    ctx.protectedData = last.argument.trim().toUpperCase() === 'P';
  }
  if (reply.code < 100 || reply.code >= 200) ctx.lastVerb = undefined;
}

function expectReply(ctx: Ctx, reply: Reply, expect: ReplyExpectation): void {
  const result = matchReply(expect, reply);
  if (!result.ok) throw new ReplayFailure(result.reason);
  for (const [name, value] of result.captures) ctx.vars.set(name, value);
}

async function runStep(ctx: Ctx, step: Step): Promise<void> {
  switch (step.kind) {
    case 'send': {
      const body = renderTemplate(step.text, ctx.vars);
      const bytes = step.crlf ? Buffer.concat([body, Buffer.from('\r\n')]) : body;
      if (step.crlf) {
        try {
          const parts = splitCommandLine(Buffer.from(body).toString('utf8'));
          ctx.lastVerb = { verb: parts.verb.toUpperCase(), argument: parts.argument ?? '' };
        } catch {
          ctx.lastVerb = undefined;
        }
      }
      await sendBytes(ctx, bytes, step.line);
      return;
    }
    case 'reply': {
      if (step.optional) {
        let reply: Reply;
        try {
          reply = await ctx.control.reply(ctx.stepTimeout);
        } catch {
          // No reply (or the server closed): an optional reply is simply absent. A later step
          // that needs the connection fails on its own.
          return;
        }
        if (matchReply(step.expect, reply).ok) {
          record(ctx, 'S', formatReplyForLog(reply), step.line);
          observe(ctx, reply);
          ctx.lastReply = reply;
          expectReply(ctx, reply, step.expect);
        } else {
          ctx.control.unread(reply);
        }
        return;
      }
      const reply = await readReply(ctx, step.line);
      expectReply(ctx, reply, step.expect);
      return;
    }
    case 'login':
      await login(ctx, step.line);
      return;
    case 'tls':
      record(ctx, '*', 'TLS handshake on the control connection', step.line);
      try {
        await ctx.control.upgrade(tlsOptions(ctx.target));
      } catch (error) {
        if (!step.orDone) throw error;
        record(ctx, '*', `done: ${message(error)}; the rest does not apply`, step.line);
        throw new Done();
      }
      record(
        ctx,
        '*',
        `TLS established (${(ctx.control.channel.socket as import('node:tls').TLSSocket).getProtocol?.() ?? 'TLS'})`,
        step.line,
      );
      return;
    case 'wait':
      await new Promise((resolve) => setTimeout(resolve, step.ms));
      return;
    case 'expect-close': {
      const extra = await ctx.control.expectClose(ctx.stepTimeout);
      for (const reply of extra) record(ctx, 'S', formatReplyForLog(reply), step.line);
      record(ctx, '*', 'the server closed the control connection', step.line);
      return;
    }
    case 'set':
      ctx.vars.set(step.name, Buffer.from(renderTemplate(step.value, ctx.vars)).toString('utf8'));
      return;
    case 'data':
      await runData(ctx, step.action, step.line);
      return;
    case 'done-if':
      if (ctx.lastReply !== undefined && matchReply(step.expect, ctx.lastReply).ok) {
        record(
          ctx,
          '*',
          `done: the server answered ${ctx.lastReply.code}; the rest does not apply`,
          step.line,
        );
        throw new Done();
      }
      return;
    case 'reconnect':
      return; // handled by replayTranscript, which owns the connection
  }
}

/** @login: as the target's TLS mode asks (see FORMAT.md). */
async function login(ctx: Ctx, line: number): Promise<void> {
  const self = ctx.transcript.session === 'self';
  const tls = ctx.target.tls ?? 'none';
  const step = async (text: string, codes: number[]): Promise<Reply> => {
    const verb = text.split(' ')[0]!;
    ctx.lastVerb = { verb, argument: text.slice(verb.length + 1) };
    await sendLine(ctx, text, line);
    const reply = await readReply(ctx, line);
    if (!codes.includes(reply.code)) {
      throw new ReplayFailure(`@login: ${verb} expected ${codes.join('|')}, got ${reply.code}`);
    }
    return reply;
  };
  if (tls === 'explicit' && !self) {
    await step('AUTH TLS', [234]);
    await ctx.control.upgrade(tlsOptions(ctx.target));
    record(ctx, '*', 'TLS established', line);
  }
  const user = await step(`USER ${ctx.target.user}`, [230, 331, 332]);
  if (user.code === 331) await step(`PASS ${ctx.target.password}`, [230, 202]);
  if (tls !== 'none' && !self) {
    await step('PBSZ 0', [200]);
    await step('PROT P', [200]);
  }
}

async function runData(ctx: Ctx, action: DataAction, line: number): Promise<void> {
  if (await runSharedDataStep(ctx, action, line, 'not served')) return;
  const tlsFor = (explicit: boolean | undefined): ClientHandshakeOptions | undefined => {
    if (!(explicit ?? ctx.protectedData)) return undefined;
    const session = ctx.control.tlsSession();
    return { ...tlsOptions(ctx.target), ...(session === undefined ? {} : { session }) };
  };
  const address = (word: string | undefined): string | undefined => {
    if (word === undefined) return undefined;
    if (word === '{foreign}') {
      if (ctx.foreign === undefined)
        throw new NotApplicable('no foreign source address for a remote target (--foreign-address)');
      return ctx.foreign;
    }
    if (isIP(word) === 0) throw new ReplayFailure(`not an IP address: ${word}`);
    return word;
  };
  switch (action.kind) {
    case 'connect': {
      if (ctx.passivePort === undefined)
        throw new ReplayFailure('@data connect: no address from a 227/229 reply');
      const from = address(action.from);
      const tls = tlsFor(action.tls);
      // The control host, not the 227 host: a careful client ignores a 227 address that points
      // elsewhere (RFC 2577 §3 bounce; basic-ftp and curl do the same).
      record(
        ctx,
        'D',
        `connect ${ctx.target.host}:${ctx.passivePort}${from ? ` from ${from}` : ''}${tls ? ' (TLS)' : ''}`,
        line,
      );
      await ctx.data.connect({
        host: ctx.target.host,
        port: ctx.passivePort,
        ...(from === undefined ? {} : { from }),
        ...(tls === undefined ? {} : { tls }),
      });
      return;
    }
    case 'listen': {
      const on = address(action.on) ?? ctx.control.channel.localAddress ?? '127.0.0.1';
      const peer = ctx.control.channel.remoteAddress ?? ctx.target.host;
      const tls = tlsFor(action.tls);
      const bound = await ctx.data.listen({
        host: on,
        controlPeer: peer,
        // A listener on a foreign address is the bounce target: anyone connecting is noted.
        requirePeer: action.on === undefined,
        ...(tls === undefined ? {} : { tls }),
      });
      ctx.vars.set('port_arg', formatHostPort({ host: bound.host, port: bound.port }));
      ctx.vars.set(
        'eprt_arg',
        formatEprtArgument({ protocol: isIP(bound.host) === 6 ? 2 : 1, host: bound.host, port: bound.port }),
      );
      ctx.vars.set('data_port', String(bound.port));
      record(ctx, 'D', `listening on ${bound.host}:${bound.port}${tls ? ' (TLS)' : ''}`, line);
      return;
    }
    case 'expect-listing': {
      const got = await ctx.data.receive();
      const listing = parseListing(got);
      record(
        ctx,
        'D',
        `received a ${listing.format} listing: ${listing.entries.length} entries, ${listing.unparsed.length} unparsed`,
        line,
      );
      if (
        action.format !== 'any' &&
        listing.format !== action.format &&
        !(listing.entries.length === 0 && listing.unparsed.length === 0)
      ) {
        throw new ReplayFailure(`expected a ${action.format} listing, got ${listing.format}`);
      }
      if (listing.unparsed.length > 0) {
        throw new ReplayFailure(
          `listing lines the codec cannot read: ${JSON.stringify(listing.unparsed.slice(0, 3))}`,
        );
      }
      checkNames(
        listing.entries.map((e) => e.name),
        action.contains,
        action.lacks,
      );
      return;
    }
    case 'expect-names': {
      const got = await ctx.data.receive();
      // NLST (RFC 959 §4.1.3): one pathname per line; servers may prefix the directory.
      const names = got
        .toString('utf8')
        .split(/\r?\n/)
        .filter((l) => l !== '')
        .map((l) => l.replace(/^.*\//, ''));
      record(ctx, 'D', `received ${names.length} names`, line);
      checkNames(names, action.contains, action.lacks);
      return;
    }
  }
}

function checkNames(names: readonly string[], contains: readonly string[], lacks: readonly string[]): void {
  const missing = contains.filter((n) => !names.includes(n));
  if (missing.length > 0)
    throw new ReplayFailure(`listing lacks ${missing.join(', ')} (has ${names.slice(0, 10).join(', ')})`);
  const present = lacks.filter((n) => names.includes(n));
  if (present.length > 0) throw new ReplayFailure(`listing should not contain ${present.join(', ')}`);
}

// ---- scratch directory: fixtures before, removal after ----

async function command(ctx: Ctx, text: string, codes: (c: number) => boolean): Promise<Reply> {
  ctx.lastVerb = { verb: text.split(' ')[0]!, argument: text.split(' ').slice(1).join(' ') };
  await sendLine(ctx, text, 0);
  const reply = await readReply(ctx, 0);
  if (!codes(reply.code))
    throw new ReplayFailure(`setup: ${text.split(' ')[0]} got ${reply.code} ${reply.text}`);
  return reply;
}

const ok2 = (c: number) => c >= 200 && c < 300;

async function passive(ctx: Ctx): Promise<void> {
  const reply = await command(ctx, 'EPSV', () => true);
  if (reply.code !== 229) await command(ctx, 'PASV', (c) => c === 227);
  await runData(ctx, { kind: 'connect' }, 0);
}

async function transferDone(ctx: Ctx): Promise<void> {
  const reply = await readReply(ctx, 0);
  if (!ok2(reply.code)) throw new ReplayFailure(`setup: transfer ended with ${reply.code}`);
}

async function setUp(
  transcript: Transcript,
  target: ServerTarget,
  options: ReplayOptions,
  dir: string,
  vars: Map<string, string>,
  log: ExchangeEntry[],
  started: number,
): Promise<void> {
  const setupLog: ExchangeEntry[] = [];
  const ctx = await openSession(target, options, undefined, vars, setupLog, started);
  try {
    await login(ctx, 0);
    await command(ctx, `MKD ${dir}`, (c) => c === 257 || ok2(c));
    await command(ctx, `CWD ${dir}`, ok2);
    await command(ctx, 'TYPE I', ok2);
    for (const item of transcript.setup) {
      if (item.kind === 'dir') {
        await command(ctx, `MKD ${item.name}`, (c) => c === 257 || ok2(c));
        continue;
      }
      await passive(ctx);
      await command(ctx, `STOR ${item.name}`, (c) => c === 125 || c === 150);
      await ctx.data.send(renderTemplate(item.content, vars));
      await transferDone(ctx);
    }
    log.push({
      at: Date.now() - started,
      kind: '*',
      text: `setup: created ${dir} with ${transcript.setup.length} fixture(s)`,
    });
  } catch (error) {
    log.push(...setupLog);
    throw new ReplayFailure(`setup failed: ${message(error)}`);
  } finally {
    ctx.data.dispose();
    ctx.control.close();
  }
}

async function removeScratch(target: ServerTarget, options: ReplayOptions, dir: string): Promise<void> {
  const ctx = await openSession(target, options, undefined);
  try {
    await login(ctx, 0);
    await command(ctx, 'TYPE I', ok2);
    await removeTree(ctx, dir, 0);
  } finally {
    ctx.data.dispose();
    ctx.control.close();
  }
}

async function removeTree(ctx: Ctx, path: string, depth: number): Promise<void> {
  if (depth > 4) return;
  const cwd = await command(ctx, `CWD ${path}`, () => true);
  if (!ok2(cwd.code)) return;
  await passive(ctx);
  await command(ctx, 'LIST -a', (c) => c === 125 || c === 150);
  const listing = parseListing(await ctx.data.receive());
  await transferDone(ctx);
  for (const entry of listing.entries) {
    if (entry.name === '.' || entry.name === '..') continue;
    if (entry.type === 'dir') await removeTree(ctx, entry.name, depth + 1);
    else await command(ctx, `DELE ${entry.name}`, () => true);
  }
  await command(ctx, 'CDUP', () => true);
  await command(ctx, `RMD ${path}`, () => true);
}
