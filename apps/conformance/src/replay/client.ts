/**
 * Client direction: the replayer plays a scripted server from a client transcript, runs the
 * client under test against it (a command template or ftpkit's client), and checks the commands
 * the client sends, the bytes it moves and its outcome.
 *
 * Owns: the scripted control connection (server role, `AUTH TLS` upgrade with a self-signed
 * certificate), command matching with the answers a client may ask for at any point (SYST, FEAT,
 * PWD, TYPE, ...), data connections in the server role (PASV/EPSV listener, PORT/EPRT connect,
 * PROT P with session reuse), the client's outcome (`@outcome`), and the run over a corpus. Every
 * failure — a wrong command, a hang, an early close, a crash of the client — ends that
 * transcript with a `fail`; the client process is killed and the run goes on.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type tls from 'node:tls';
import {
  formatEpsvReplyText,
  formatHostPort,
  formatPasvReplyText,
  parseEprtArgument,
  parseHostPort,
  redactCommandLine,
  splitCommandLine,
} from '@ftpkit/codec';
import {
  type ControlChannel,
  type ControlListener,
  createSelfSignedCertificate,
  createServerSecureContext,
  type DataServerTlsOptions,
  isTransportError,
  listenControl,
} from '@ftpkit/transport';
import { MissingVariableError, renderTemplate } from '../format/match.js';
import type { CommandPattern, DataAction, OutcomeCheck, Step, Transcript } from '../format/types.js';
import {
  type ExchangeEntry,
  finishedResult,
  resultBase,
  type TargetRun,
  type TranscriptResult,
} from '../result.js';
import { message, ReplayFailure } from './control.js';
import { DataSession } from './data.js';
import { preview, record, runSharedDataStep } from './data-steps.js';
import type { ClientOutcome, ClientTarget } from './targets.js';

export interface ClientReplayOptions {
  /** Longest wait for any one step (a command, a data transfer). Default 10 000 ms. */
  readonly stepTimeout?: number;
  /** Transcripts run at the same time. Default 1. */
  readonly concurrency?: number;
  /** Address the scripted server listens on. Default 127.0.0.1. */
  readonly host?: string;
  readonly onResult?: (result: TranscriptResult) => void;
}

/**
 * Replies to commands a client may send at any point; a transcript's `answer:` lines come first.
 * What a transcript checks is scripted with `C:`; these only keep clients' habits (curl's PWD,
 * ftpkit's FEAT, SIZE before RETR) from failing a transcript about something else.
 */
export const DEFAULT_ANSWERS: ReadonlyMap<string, string> = new Map([
  ['SYST', '215 UNIX Type: L8'],
  ['FEAT', '211 No features'],
  ['PWD', '257 "/" is the current directory'],
  ['NOOP', '200 NOOP ok'],
  ['TYPE', '200 Type set'],
  ['MODE', '200 Mode set'],
  ['STRU', '200 Structure set'],
  ['OPTS', '200 Option set'],
  ['CLNT', '200 Noted'],
  ['CWD', '250 Directory changed'],
  ['SIZE', '502 SIZE not implemented'],
  ['MDTM', '502 MDTM not implemented'],
]);

interface Ctx {
  readonly transcript: Transcript;
  readonly stepTimeout: number;
  readonly vars: Map<string, string>;
  readonly log: ExchangeEntry[];
  readonly started: number;
  readonly channel: ControlChannel;
  readonly secureContext: tls.SecureContext;
  readonly data: DataSession;
  /** Every command line the client sent, in order. */
  readonly seen: { verb: string; argument: string | undefined; line: string }[];
  readonly client: Promise<ClientOutcome>;
  protectedData: boolean;
  /** PROT's argument, until the reply to it is sent. */
  pendingProt: string | undefined;
  /** The last PORT/EPRT address. */
  active: { host: string; port: number } | undefined;
  outcome: ClientOutcome | undefined;
  lastLine: number;
}

const DEFAULT_STEP_TIMEOUT = 10_000;

/** One self-signed certificate per process: key generation is the slow part. */
let certificate: { cert: string; key: string } | undefined;
function serverCertificate(): { cert: string; key: string } {
  certificate ??= createSelfSignedCertificate({ keyType: 'ec' });
  return certificate;
}

/** Runs every client-direction transcript against `target`. */
export async function replayAgainstClient(
  transcripts: readonly Transcript[],
  target: ClientTarget,
  options: ClientReplayOptions = {},
): Promise<TargetRun> {
  const applicable = transcripts.filter((t) => t.direction === 'client');
  const results: TranscriptResult[] = new Array(applicable.length);
  let next = 0;
  const worker = async () => {
    for (;;) {
      const index = next++;
      if (index >= applicable.length) return;
      const result = await replayClientTranscript(applicable[index]!, target, options);
      results[index] = result;
      options.onResult?.(result);
    }
  };
  const concurrency = Math.max(1, Math.min(options.concurrency ?? 1, 16));
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { target: target.name, description: target.description, results };
}

/** Replays one client transcript; never throws. */
export async function replayClientTranscript(
  transcript: Transcript,
  target: ClientTarget,
  options: ClientReplayOptions = {},
): Promise<TranscriptResult> {
  const started = Date.now();
  const log: ExchangeEntry[] = [];
  const base = resultBase(transcript, target.name);
  const operation = transcript.operation;
  if (transcript.direction !== 'client' || operation === undefined) {
    return { ...base, status: 'n/a', reason: 'not a client transcript', durationMs: 0, exchange: [] };
  }
  const unsupported = target.unsupported(operation);
  if (unsupported !== undefined) {
    return { ...base, status: 'n/a', reason: unsupported, durationMs: 0, exchange: [] };
  }
  const stepTimeout = transcript.stepTimeout ?? options.stepTimeout ?? DEFAULT_STEP_TIMEOUT;
  const host = options.host ?? '127.0.0.1';
  const note = (kind: ExchangeEntry['kind'], text: string, line = 0) =>
    log.push({ at: Date.now() - started, kind, text, ...(line === 0 ? {} : { line }) });

  const dir = await mkdtemp(join(tmpdir(), 'ftpkit-conformance-client-'));
  const local = join(dir, operation.name === 'upload' ? 'upload-source' : 'downloaded');
  const caFile = join(dir, 'server-ca.pem');
  const cert = serverCertificate();
  const secureContext = createServerSecureContext({ cert: cert.cert, key: cert.key });
  const abort = new AbortController();
  let listener: ControlListener | undefined;
  let ctx: Ctx | undefined;
  let client: Promise<ClientOutcome> | undefined;
  let failure: { reason: string; line?: number } | undefined;
  const extra: ControlChannel[] = [];
  try {
    await writeFile(caFile, cert.cert);
    const vars = new Map<string, string>([
      ['user', operation.user],
      ['password', operation.password],
      ['path', operation.path],
      ['host', host],
      ['unique', randomBytes(4).toString('hex')],
    ]);
    if (transcript.local !== undefined) await writeFile(local, renderTemplate(transcript.local, vars));

    let accept!: (channel: ControlChannel) => void;
    const accepted = new Promise<ControlChannel>((resolve) => {
      accept = resolve;
    });
    let first = true;
    listener = await listenControl({
      host,
      // Latin-1: every byte of a command reaches the matcher as it was sent.
      channel: { encoding: 'latin1', idleTimeout: 0, lineTimeout: stepTimeout, closeTimeout: 1000 },
      onConnection(channel) {
        if (first) {
          first = false;
          accept(channel);
        } else {
          // One control connection per operation: a second one is noted and closed.
          extra.push(channel);
          note('*', 'the client opened a second control connection (closed)');
          channel.destroy();
        }
      },
    });
    vars.set('port', String(listener.port));
    note(
      '*',
      `scripted server on ${host}:${listener.port}; running ${target.name} (${describeOperation(transcript)})`,
    );
    client = target
      .run(
        {
          operation,
          host,
          port: listener.port,
          local,
          caFile,
          timeout: stepTimeout,
        },
        abort.signal,
      )
      .catch((error: unknown) => ({ exitCode: 1, stdout: '', stderr: `target error: ${message(error)}` }));
    const running = client;
    const channel = await Promise.race([
      withLimit(accepted, stepTimeout, 'the client did not connect'),
      running.then((outcome) => {
        throw new ReplayFailure(`the client exited (${describeExit(outcome)}) without connecting`);
      }),
    ]);
    ctx = {
      transcript,
      stepTimeout,
      vars,
      log,
      started,
      channel,
      secureContext,
      data: new DataSession(stepTimeout),
      seen: [],
      client: running,
      protectedData: false,
      pendingProt: undefined,
      active: undefined,
      outcome: undefined,
      lastLine: 0,
    };
    for (const step of transcript.steps) {
      ctx.lastLine = step.line;
      await runStep(ctx, step, local);
    }
    if (ctx.outcome === undefined) await finish(ctx, transcript.steps.at(-1)?.line ?? 0);
  } catch (error) {
    const reason =
      error instanceof ReplayFailure || error instanceof MissingVariableError
        ? error.message
        : `replayer error: ${message(error)}`;
    failure = { reason, ...(ctx === undefined ? {} : { line: ctx.lastLine }) };
    note('!', ctx === undefined ? reason : `line ${ctx.lastLine}: ${reason}`);
  } finally {
    abort.abort();
    ctx?.data.dispose();
    ctx?.channel.destroy();
    for (const c of extra) c.destroy();
    await listener?.close({ destroyConnections: true }).catch(() => {});
    if (client !== undefined) {
      const outcome = await client;
      if (failure !== undefined) {
        note('*', `client: ${describeExit(outcome)}`);
        if (outcome.stderr.trim() !== '') note('*', `client stderr: ${outcome.stderr.trim().slice(0, 600)}`);
      }
    }
    await rm(dir, { recursive: true, force: true }).catch(() => {});
  }
  return finishedResult(transcript, target.name, failure, started, log);
}

function describeOperation(t: Transcript): string {
  const op = t.operation!;
  const flags = [op.tls ? 'tls' : '', op.active ? 'active' : '', op.resume ? 'resume' : ''].filter(Boolean);
  return `${op.name} ${op.path === '' ? '(login directory)' : op.path}${flags.length > 0 ? ` [${flags.join(', ')}]` : ''}`;
}

function describeExit(outcome: ClientOutcome): string {
  return outcome.exitCode === null ? 'killed' : `exit status ${outcome.exitCode}`;
}

function withLimit<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ReplayFailure(`${what} within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

// ---- the control connection, server role ----

async function writeLine(ctx: Ctx, text: string, line: number): Promise<void> {
  record(ctx, 'S', text, line);
  try {
    await ctx.channel.write(Buffer.from(`${text}\r\n`, 'utf8'));
  } catch (error) {
    throw new ReplayFailure(`cannot send the reply (the client closed the connection?): ${message(error)}`);
  }
  // PROT P (RFC 2228 §5.3.1 / RFC 4217 §9): data connections are protected once it is accepted.
  if (ctx.pendingProt !== undefined && /^\d{3}( |$)/.test(text)) {
    if (text.startsWith('2')) ctx.protectedData = ctx.pendingProt === 'P';
    ctx.pendingProt = undefined;
  }
}

interface Command {
  readonly verb: string;
  readonly argument: string | undefined;
  readonly line: string;
}

/** The client's next command line; undefined when it closed the connection. */
async function nextCommand(ctx: Ctx, line: number): Promise<Command | undefined> {
  for (;;) {
    let result: Awaited<ReturnType<ControlChannel['next']>>;
    try {
      result = await ctx.channel.next({ timeout: ctx.stepTimeout });
    } catch (error) {
      if (isTransportError(error) && error.code === 'FTPKIT_ERR_TIMEOUT') {
        throw new ReplayFailure(`the client sent no command within ${ctx.stepTimeout} ms`);
      }
      return undefined; // reset: the client is gone
    }
    if (result.done === true) return undefined;
    const item = result.value;
    if (item.type === 'error') throw new ReplayFailure(`unreadable command line: ${item.error.message}`);
    if (item.type !== 'line') continue;
    const text = item.text;
    let verb: string;
    let argument: string | undefined;
    try {
      ({ verb, argument } = splitCommandLine(text));
    } catch {
      verb = text.split(' ')[0]!.toUpperCase();
      argument = text.includes(' ') ? text.slice(text.indexOf(' ') + 1) : undefined;
    }
    record(ctx, 'C', /^PASS\b/i.test(text) ? redactCommandLine(text) : text, line);
    const command = { verb, argument, line: text };
    ctx.seen.push(command);
    if (verb === 'PROT') ctx.pendingProt = (argument ?? '').trim().toUpperCase();
    return command;
  }
}

function matches(ctx: Ctx, patterns: readonly CommandPattern[], command: Command): boolean {
  return patterns.some((p) => {
    if (p.kind === 'regex') return p.regex.test(command.line);
    if (p.verb !== command.verb) return false;
    if (p.argument === undefined) return command.argument === undefined || command.argument.trim() === '';
    if (p.argument === 'any') return command.argument !== undefined && command.argument !== '';
    return command.argument === Buffer.from(renderTemplate(p.argument, ctx.vars)).toString('utf8');
  });
}

function describePatterns(patterns: readonly CommandPattern[]): string {
  return patterns.map((p) => p.source).join(' | ');
}

/** Answers a command any transcript allows at any point; false when there is no answer for it. */
async function answer(ctx: Ctx, command: Command, line: number): Promise<boolean> {
  const own = ctx.transcript.answers.find((a) => a.verb === command.verb);
  if (own !== undefined) {
    await writeLine(ctx, Buffer.from(renderTemplate(own.reply, ctx.vars)).toString('utf8'), line);
    return true;
  }
  const reply = DEFAULT_ANSWERS.get(command.verb);
  if (reply === undefined) return false;
  await writeLine(ctx, reply, line);
  return true;
}

/** `C:` — reads commands (answering the always-allowed ones) until one matches; else fails. */
async function expectCommand(ctx: Ctx, patterns: readonly CommandPattern[], line: number): Promise<Command> {
  for (;;) {
    const command = await nextCommand(ctx, line);
    if (command === undefined) {
      throw new ReplayFailure(`the client closed the connection; expected ${describePatterns(patterns)}`);
    }
    if (matches(ctx, patterns, command)) return command;
    if (await answer(ctx, command, line)) continue;
    throw new ReplayFailure(
      `expected ${describePatterns(patterns)}, the client sent ${JSON.stringify(shown(command))}`,
    );
  }
}

function shown(command: Command): string {
  return /^PASS\b/i.test(command.line) ? redactCommandLine(command.line) : command.line.slice(0, 200);
}

/**
 * The end of the session: QUIT is answered 221, the always-allowed commands are answered, any
 * other command fails; resolves when the client closed the control connection.
 */
async function serveUntilClose(ctx: Ctx, line: number): Promise<void> {
  for (;;) {
    const command = await nextCommand(ctx, line);
    if (command === undefined) return;
    if (command.verb === 'QUIT') {
      await writeLine(ctx, '221 Goodbye', line).catch(() => {});
      continue;
    }
    if (await answer(ctx, command, line)) continue;
    await writeLine(ctx, '503 Not in this transcript', line).catch(() => {});
    throw new ReplayFailure(`the client sent ${JSON.stringify(shown(command))} after the scripted session`);
  }
}

/** After the script: serve the rest of the session, then wait for the client to finish. */
async function finish(ctx: Ctx, line: number): Promise<ClientOutcome> {
  if (ctx.outcome !== undefined) return ctx.outcome;
  await withLimit(serveUntilClose(ctx, line), ctx.stepTimeout * 2, 'the client did not end the session');
  const outcome = await withLimit(ctx.client, ctx.stepTimeout * 2, 'the client did not exit');
  ctx.outcome = outcome;
  record(ctx, '*', `client finished: ${describeExit(outcome)}`, line);
  if (outcome.stderr.trim() !== '')
    record(ctx, '*', `client stderr: ${outcome.stderr.trim().slice(0, 600)}`, line);
  return outcome;
}

async function runStep(ctx: Ctx, step: Step, local: string): Promise<void> {
  switch (step.kind) {
    case 'expect-command':
      await expectCommand(ctx, step.patterns, step.line);
      return;
    case 'reply-line':
      await writeLine(ctx, Buffer.from(renderTemplate(step.text, ctx.vars)).toString('utf8'), step.line);
      return;
    case 'send': {
      const bytes = renderTemplate(step.text, ctx.vars);
      record(ctx, 'S', JSON.stringify(Buffer.from(bytes).toString('latin1')).slice(1, -1), step.line);
      try {
        await ctx.channel.write(bytes);
      } catch (error) {
        throw new ReplayFailure(`cannot send: ${message(error)}`);
      }
      return;
    }
    case 'tls':
      record(ctx, '*', 'TLS handshake on the control connection (server side)', step.line);
      try {
        await ctx.channel.upgradeServer({
          secureContext: ctx.secureContext,
          handshakeTimeout: ctx.stepTimeout,
        });
      } catch (error) {
        throw new ReplayFailure(`TLS handshake on the control connection failed: ${message(error)}`);
      }
      record(
        ctx,
        '*',
        `TLS established (${(ctx.channel.socket as tls.TLSSocket).getProtocol?.() ?? 'TLS'})`,
        step.line,
      );
      return;
    case 'wait':
      await new Promise((resolve) => setTimeout(resolve, step.ms));
      return;
    case 'set':
      ctx.vars.set(step.name, Buffer.from(renderTemplate(step.value, ctx.vars)).toString('utf8'));
      return;
    case 'expect-close':
      await withLimit(
        serveUntilClose(ctx, step.line),
        ctx.stepTimeout,
        'the client did not close the connection',
      );
      record(ctx, '*', 'the client closed the control connection', step.line);
      return;
    case 'seen': {
      if (!ctx.seen.some((c) => matches(ctx, step.patterns, c))) {
        throw new ReplayFailure(`the client never sent ${describePatterns(step.patterns)}`);
      }
      return;
    }
    case 'outcome':
      await checkOutcome(ctx, step.check, await finish(ctx, step.line), local);
      return;
    case 'data':
      await runData(ctx, step.action, step.line);
      return;
    default:
      throw new ReplayFailure(`step ${step.kind} is not available in a client transcript`);
  }
}

async function checkOutcome(
  ctx: Ctx,
  check: OutcomeCheck,
  outcome: ClientOutcome,
  local: string,
): Promise<void> {
  switch (check.kind) {
    case 'status':
      if (check.ok && outcome.exitCode !== 0) {
        throw new ReplayFailure(`the client should have succeeded: ${describeExit(outcome)}`);
      }
      if (!check.ok && outcome.exitCode === 0) {
        throw new ReplayFailure('the client reported success for a failed operation (exit status 0)');
      }
      return;
    case 'file': {
      const want = Buffer.from(renderTemplate(check.content, ctx.vars));
      const got = await readFile(local).catch(() => undefined);
      if (got === undefined) throw new ReplayFailure('the client wrote no local file');
      if (!got.equals(want)) {
        throw new ReplayFailure(
          `the local file differs: expected ${want.length} bytes ${JSON.stringify(preview(want))}, got ${got.length} bytes ${JSON.stringify(preview(got))}`,
        );
      }
      return;
    }
    case 'no-file': {
      const got = await readFile(local).catch(() => undefined);
      if (got !== undefined) throw new ReplayFailure(`the client left a local file of ${got.length} bytes`);
      return;
    }
    case 'output': {
      const missing = check.contains.filter((n) => !outcome.stdout.includes(n));
      if (missing.length > 0) {
        throw new ReplayFailure(
          `the client's output lacks ${missing.join(', ')}: ${JSON.stringify(outcome.stdout.slice(0, 200))}`,
        );
      }
      const present = check.lacks.filter((n) => outcome.stdout.includes(n));
      if (present.length > 0)
        throw new ReplayFailure(`the client's output should not contain ${present.join(', ')}`);
      return;
    }
  }
}

// ---- data connections, server role ----

function dataTls(ctx: Ctx, explicit: boolean | undefined): DataServerTlsOptions | undefined {
  if (!(explicit ?? ctx.protectedData)) return undefined;
  // Tag `session-reuse`: the client must resume the control connection's TLS session on the data
  // connection (vsftpd's require_ssl_reuse; RFC 4217 §10 data connection security).
  return {
    secureContext: ctx.secureContext,
    requireSessionReuse: ctx.transcript.tags.includes('session-reuse'),
    handshakeTimeout: ctx.stepTimeout,
  };
}

function tlsNote(tls: DataServerTlsOptions | undefined): string {
  if (tls === undefined) return '';
  return tls.requireSessionReuse === true ? ' (TLS, session reuse required)' : ' (TLS)';
}

async function listen(
  ctx: Ctx,
  explicit: boolean | undefined,
  line: number,
): Promise<{ host: string; port: number }> {
  const tls = dataTls(ctx, explicit);
  const host = ctx.channel.localAddress ?? '127.0.0.1';
  const bound = await ctx.data.serve({
    host,
    controlPeer: ctx.channel.remoteAddress ?? host,
    ...(tls === undefined ? {} : { tls }),
  });
  ctx.vars.set('pasv_arg', formatHostPort({ host: bound.host, port: bound.port }));
  ctx.vars.set('data_port', String(bound.port));
  record(ctx, 'D', `listening on ${bound.host}:${bound.port}${tlsNote(tls)}`, line);
  return bound;
}

async function runData(ctx: Ctx, action: DataAction, line: number): Promise<void> {
  if (await runSharedDataStep(ctx, action, line, 'not used')) return;
  switch (action.kind) {
    case 'passive': {
      const bound = await listen(ctx, action.tls, line);
      const command = await expectCommand(
        ctx,
        [
          { kind: 'command', source: 'EPSV', verb: 'EPSV', argument: undefined },
          { kind: 'command', source: 'PASV', verb: 'PASV', argument: undefined },
        ],
        line,
      );
      await writeLine(
        ctx,
        command.verb === 'EPSV'
          ? `229 ${formatEpsvReplyText(bound.port)}`
          : `227 ${formatPasvReplyText({ host: bound.host, port: bound.port })}`,
        line,
      );
      return;
    }
    case 'listen':
      await listen(ctx, action.tls, line);
      return;
    case 'active': {
      const command = await expectCommand(
        ctx,
        [
          { kind: 'command', source: 'EPRT *', verb: 'EPRT', argument: 'any' },
          { kind: 'command', source: 'PORT *', verb: 'PORT', argument: 'any' },
        ],
        line,
      );
      try {
        ctx.active =
          command.verb === 'EPRT'
            ? parseEprtArgument(command.argument ?? '')
            : parseHostPort(command.argument ?? '');
      } catch (error) {
        await writeLine(ctx, '501 Bad address', line);
        throw new ReplayFailure(`the client sent a malformed ${command.verb}: ${message(error)}`);
      }
      await writeLine(ctx, `200 ${command.verb} command successful`, line);
      return;
    }
    case 'connect': {
      const last = [...ctx.seen].reverse().find((c) => c.verb === 'PORT' || c.verb === 'EPRT');
      if (ctx.active === undefined && last !== undefined) {
        try {
          ctx.active =
            last.verb === 'EPRT'
              ? parseEprtArgument(last.argument ?? '')
              : parseHostPort(last.argument ?? '');
        } catch (error) {
          throw new ReplayFailure(`@data connect: the client's ${last.verb} is malformed: ${message(error)}`);
        }
      }
      if (ctx.active === undefined) throw new ReplayFailure('@data connect: the client sent no PORT or EPRT');
      const tls = dataTls(ctx, action.tls);
      record(ctx, 'D', `connect ${ctx.active.host}:${ctx.active.port}${tlsNote(tls)}`, line);
      await ctx.data.connectTo({
        host: ctx.active.host,
        port: ctx.active.port,
        controlPeer: ctx.channel.remoteAddress ?? ctx.active.host,
        ...(ctx.channel.localAddress === undefined ? {} : { localAddress: ctx.channel.localAddress }),
        ...(tls === undefined ? {} : { tls }),
      });
      return;
    }
    default:
      throw new ReplayFailure(`@data ${action.kind} is not available in a client transcript`);
  }
}
