/** Shared fixtures for transport tests: a connected pair of control channels over loopback. */

import { trackHandles } from '@ftpkit/test-utils';
import { afterEach, beforeEach } from 'vitest';
import {
  type ClientHandshakeOptions,
  type ControlChannel,
  type ControlChannelOptions,
  type ControlItem,
  type ControlListenerOptions,
  connectControl,
  listenControl,
} from '../src/index.ts';

/** Fails any test that leaves sockets, servers, timers-with-handles or fds behind. */
export function useLeakCheck(): void {
  let tracker: ReturnType<typeof trackHandles> | undefined;
  beforeEach(() => {
    tracker = trackHandles();
  });
  afterEach(async () => {
    await tracker?.assertNoLeaks(2000);
  });
}

export interface ControlPair {
  readonly server: ControlChannel;
  readonly client: ControlChannel;
  close(): Promise<void>;
}

export async function controlPair(
  options: {
    host?: string;
    server?: ControlChannelOptions;
    client?: ControlChannelOptions;
    implicitTls?: ControlListenerOptions['implicitTls'];
    clientTls?: ClientHandshakeOptions;
  } = {},
): Promise<ControlPair> {
  let resolveServer!: (c: ControlChannel) => void;
  const serverChannel = new Promise<ControlChannel>((resolve) => {
    resolveServer = resolve;
  });
  const listener = await listenControl({
    host: options.host ?? '127.0.0.1',
    ...(options.server === undefined ? {} : { channel: options.server }),
    ...(options.implicitTls === undefined ? {} : { implicitTls: options.implicitTls }),
    onConnection: resolveServer,
  });
  const client = await connectControl({
    host: listener.host,
    port: listener.port,
    ...(options.client === undefined ? {} : { channel: options.client }),
    ...(options.clientTls === undefined ? {} : { implicitTls: options.clientTls }),
  });
  const server = await serverChannel;
  await listener.close();
  return {
    server,
    client,
    async close() {
      client.destroy();
      server.destroy();
      await Promise.all([client.whenClosed(), server.whenClosed()]);
    },
  };
}

/** Reads the next item, failing the test when the channel ends. */
export async function nextItem(channel: ControlChannel, timeout = 5000): Promise<ControlItem> {
  const result = await channel.next({ timeout });
  if (result.done === true) throw new Error('channel ended');
  return result.value;
}

export async function nextLine(channel: ControlChannel): Promise<string> {
  for (;;) {
    const item = await nextItem(channel);
    if (item.type === 'line') return item.text;
    if (item.type === 'error') throw item.error;
  }
}

/** Resolves with the rejection of `promise` (fails if it resolves). */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

export const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
