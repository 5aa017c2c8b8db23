import net from 'node:net';
import { Readable, Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import {
  connectActive,
  openPassiveListener,
  type TransportError,
  TransportErrorCodes,
  validateActiveTarget,
} from '../src/index.ts';
import { rejectionOf, useLeakCheck } from './helpers.ts';

useLeakCheck();

describe('active data connections (PORT/EPRT)', () => {
  it('refuses a third-party host and privileged ports by default (RFC 2577)', () => {
    const policy = { controlPeerAddress: '127.0.0.1' };
    expect(() => validateActiveTarget({ host: '10.0.0.1', port: 5000 }, policy)).toThrow(
      expect.objectContaining({ code: TransportErrorCodes.BOUNCE_REFUSED }),
    );
    expect(() => validateActiveTarget({ host: '127.0.0.1', port: 25 }, policy)).toThrow(
      expect.objectContaining({ code: TransportErrorCodes.BOUNCE_REFUSED }),
    );
    expect(() => validateActiveTarget({ host: '127.0.0.1', port: 0 }, policy)).toThrow(
      expect.objectContaining({ code: TransportErrorCodes.BOUNCE_REFUSED }),
    );
    expect(() => validateActiveTarget({ host: '::ffff:127.0.0.1', port: 5000 }, policy)).not.toThrow();
    expect(() =>
      validateActiveTarget(
        { host: '10.0.0.1', port: 25 },
        { ...policy, allowThirdParty: true, allowPrivilegedPorts: true },
      ),
    ).not.toThrow();
  });

  it('connectActive refuses before opening any socket', async () => {
    const error = await rejectionOf(
      connectActive({ host: '127.0.0.2', port: 5000, controlPeerAddress: '127.0.0.1' }),
    );
    expect(error).toMatchObject({ code: TransportErrorCodes.BOUNCE_REFUSED });
  });

  it.each([
    ['IPv4', '127.0.0.1'],
    ['IPv6', '::1'],
  ])(
    'connects to the client (%s) and moves data; the client listener checks the server IP',
    async (_, host) => {
      // Client role: listen for the server (the same listener as passive mode).
      const clientListener = await openPassiveListener({ host, controlPeerAddress: host });
      const serverSide = await connectActive({
        host,
        port: clientListener.port,
        controlPeerAddress: host,
        localAddress: host,
      });
      const clientSide = await clientListener.accept();
      const chunks: Buffer[] = [];
      await Promise.all([
        serverSide.send(Readable.from([Buffer.from('active')])),
        clientSide.receive(
          new Writable({
            write(c: Buffer, _e, cb) {
              chunks.push(c);
              cb();
            },
          }),
        ),
      ]);
      expect(Buffer.concat(chunks).toString()).toBe('active');
      await clientListener.whenReleased();
    },
  );

  it('binds the configured source port (classic L-1) when permitted', async () => {
    const listener = await openPassiveListener({ controlPeerAddress: '127.0.0.1' });
    const probe = net.createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', () => r()));
    const localPort = (probe.address() as net.AddressInfo).port;
    await new Promise((r) => probe.close(r));
    const server = await connectActive({
      host: '127.0.0.1',
      port: listener.port,
      controlPeerAddress: '127.0.0.1',
      localAddress: '127.0.0.1',
      localPort,
    });
    const client = await listener.accept();
    expect(client.remotePort).toBe(localPort);
    server.abort();
    await client.close();
    await listener.whenReleased();
  });

  it('a refused connect is a typed SOCKET error', async () => {
    const probe = net.createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', () => r()));
    const port = (probe.address() as net.AddressInfo).port;
    await new Promise((r) => probe.close(r));
    const error = (await rejectionOf(
      connectActive({ host: '127.0.0.1', port, controlPeerAddress: '127.0.0.1' }),
    )) as TransportError;
    expect(error.code).toBe(TransportErrorCodes.SOCKET);
    expect(error.syscallCode).toBe('ECONNREFUSED');
  });

  it('a connect that cannot complete hits the connect timeout / abort', async () => {
    // A listener with a full backlog never completes... so abort instead: deterministic.
    const ac = new AbortController();
    const listener = await openPassiveListener({ controlPeerAddress: '127.0.0.1' });
    const p = connectActive({
      host: '127.0.0.1',
      port: listener.port,
      controlPeerAddress: '127.0.0.1',
      signal: ac.signal,
    });
    ac.abort();
    expect(await rejectionOf(p)).toMatchObject({ code: TransportErrorCodes.ABORTED });
    await listener.close();
  });
});
