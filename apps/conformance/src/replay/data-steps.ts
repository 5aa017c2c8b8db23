/**
 * The data-channel steps both replayers share (server direction and client direction): send,
 * expect bytes, expect a size, expect refusal, close, abort; and the exchange log they write to.
 */
import { renderTemplate } from '../format/match.js';
import type { DataAction } from '../format/types.js';
import type { ExchangeEntry } from '../result.js';
import { ReplayFailure } from './control.js';
import type { DataSession } from './data.js';

export interface DataStepContext {
  readonly vars: Map<string, string>;
  readonly log: ExchangeEntry[];
  readonly started: number;
  readonly stepTimeout: number;
  readonly data: DataSession;
}

export function record(
  ctx: Pick<DataStepContext, 'log' | 'started'>,
  kind: ExchangeEntry['kind'],
  text: string,
  line: number,
): void {
  ctx.log.push({ at: Date.now() - ctx.started, kind, text, ...(line === 0 ? {} : { line }) });
}

export function preview(bytes: Buffer): string {
  const text = bytes.subarray(0, 60).toString('latin1');
  return bytes.length > 60 ? `${text}…` : text;
}

/**
 * Runs `action` when it is one of the shared data steps and returns true; returns false for the
 * steps each replayer handles itself (opening connections, listings). `refusedAs` words the log
 * line of `expect-refused` from the replayer's side ("not used" by a client, "not served" by a
 * server).
 */
export async function runSharedDataStep(
  ctx: DataStepContext,
  action: DataAction,
  line: number,
  refusedAs: string,
): Promise<boolean> {
  switch (action.kind) {
    case 'send': {
      const bytes = renderTemplate(action.payload, ctx.vars);
      await ctx.data.send(bytes);
      record(ctx, 'D', `sent ${bytes.length} bytes`, line);
      return true;
    }
    case 'expect': {
      const want = Buffer.from(renderTemplate(action.payload, ctx.vars));
      const got = await ctx.data.receive();
      record(ctx, 'D', `received ${got.length} bytes`, line);
      if (!got.equals(want)) {
        throw new ReplayFailure(
          `data differs: expected ${want.length} bytes ${JSON.stringify(preview(want))}, got ${got.length} bytes ${JSON.stringify(preview(got))}`,
        );
      }
      return true;
    }
    case 'expect-size': {
      const got = await ctx.data.receive();
      record(ctx, 'D', `received ${got.length} bytes`, line);
      if (got.length !== action.size)
        throw new ReplayFailure(`expected ${action.size} bytes, got ${got.length}`);
      return true;
    }
    case 'expect-refused': {
      const how = await ctx.data.expectRefused(Math.min(ctx.stepTimeout, 3000));
      record(ctx, 'D', `${refusedAs} (${how})`, line);
      return true;
    }
    case 'close':
      await ctx.data.close();
      record(ctx, 'D', 'closed', line);
      return true;
    case 'abort':
      ctx.data.abort();
      record(ctx, 'D', 'aborted (reset)', line);
      return true;
    default:
      return false;
  }
}
