/**
 * abort() on a data connection whose peer already closed its end (pyftpdlib closes a data
 * connection from a foreign address that way): when the peer's FIN arrives, Node ends our write
 * side itself, and until that shutdown completes libuv refuses a TCP reset (UV_EINVAL) without
 * closing the handle — the socket never emitted 'close' and Node never exited. abort() must
 * close the connection on every path.
 */
import { describe, expect, it } from 'vitest';
import { connectPassive, openPassiveListener } from '../src/index.ts';
import { useLeakCheck } from './helpers.ts';

useLeakCheck();

function closedWithin(promise: Promise<void>, ms: number): Promise<boolean> {
  return Promise.race([
    promise.then(() => true),
    new Promise<boolean>((resolve) => setTimeout(() => resolve(false), ms)),
  ]);
}

describe('DataChannel.abort() after the peer FIN', () => {
  it.each(['microtask', 'nextTick', 'setImmediate'] as const)(
    'closes the socket when called in a %s after the peer ended',
    async (when) => {
      const listener = await openPassiveListener({ controlPeerAddress: '127.0.0.1' });
      const client = await connectPassive({ host: '127.0.0.1', port: listener.port });
      const server = await listener.accept();
      const errors: string[] = [];
      server.socket.on('error', (e: NodeJS.ErrnoException) => errors.push(String(e.code)));
      const aborted = new Promise<void>((resolve) => {
        server.socket.once('end', () => {
          const go = () => {
            server.abort();
            resolve();
          };
          if (when === 'microtask') queueMicrotask(go);
          else if (when === 'nextTick') process.nextTick(go);
          else setImmediate(go);
        });
      });
      server.socket.resume();
      client.socket.resume();
      client.socket.end();
      await aborted;
      expect(await closedWithin(server.whenClosed(), 3000)).toBe(true);
      expect(errors).not.toContain('EINVAL');
      client.socket.destroy();
      await client.whenClosed();
      await listener.close();
    },
  );
});
