import net from 'node:net';
import type tls from 'node:tls';
import { createCertificate } from '@ftpkit/test-utils';
import { describe, expect, it } from 'vitest';
import {
  type ControlChannel,
  connectControl,
  createServerSecureContext,
  listenControl,
  type TransportError,
  TransportErrorCodes,
} from '../src/index.ts';
import { controlPair, nextLine, rejectionOf, useLeakCheck } from './helpers.ts';

useLeakCheck();

const cert = createCertificate();

describe.each(['TLSv1.2', 'TLSv1.3'] as const)('AUTH TLS upgrade with %s', (version) => {
  it('upgrades both sides in place and keeps framing lines', async () => {
    const pair = await controlPair();
    const secureContext = createServerSecureContext({ ...cert, maxVersion: version });
    await pair.client.writeLine('AUTH TLS');
    expect(await nextLine(pair.server)).toBe('AUTH TLS');
    await pair.server.writeLine('234 Proceed.');
    expect(await nextLine(pair.client)).toBe('234 Proceed.');
    await Promise.all([
      pair.server.upgradeServer({ secureContext }),
      pair.client.upgradeClient({ ca: cert.ca, host: '127.0.0.1' }),
    ]);
    expect(pair.server.secure).toBe(true);
    expect(pair.client.secure).toBe(true);
    expect((pair.client.socket as tls.TLSSocket).getProtocol()).toBe(version);
    await pair.client.writeLine('USER alice');
    expect(await nextLine(pair.server)).toBe('USER alice');
    await pair.server.writeLine('331 Password?');
    expect(await nextLine(pair.client)).toBe('331 Password?');
    expect(pair.client.tlsSession).toBeInstanceOf(Buffer);
    await pair.close();
  });
});

describe('AUTH TLS faults', () => {
  it('drops commands pipelined before the handshake (RFC 4217 §4)', async () => {
    const pair = await controlPair();
    const secureContext = createServerSecureContext(cert);
    // One write: the injected USER travels in the same segment as AUTH TLS.
    await pair.client.write('AUTH TLS\r\nUSER injected\r\n');
    expect(await nextLine(pair.server)).toBe('AUTH TLS');
    await pair.server.writeLine('234 Proceed.');
    expect(await nextLine(pair.client)).toBe('234 Proceed.');
    await Promise.all([
      pair.server.upgradeServer({ secureContext }),
      pair.client.upgradeClient({ ca: cert.ca, host: '127.0.0.1' }),
    ]);
    await pair.client.writeLine('USER real');
    expect(await nextLine(pair.server)).toBe('USER real');
    await pair.close();
  });

  it('a peer that disconnects mid-handshake gives a typed error and closes the channel', async () => {
    let resolve!: (c: ControlChannel) => void;
    const got = new Promise<ControlChannel>((r) => {
      resolve = r;
    });
    const listener = await listenControl({ onConnection: resolve });
    const raw = net.connect({ host: listener.host, port: listener.port });
    raw.on('error', () => {});
    const server = await got;
    await listener.close();
    const upgrade = server.upgradeServer({ ...cert, handshakeTimeout: 2000 });
    // Half a ClientHello, then gone.
    raw.end(Buffer.from([0x16, 0x03, 0x01, 0x02, 0x00, 0x01]));
    const error = (await rejectionOf(upgrade)) as TransportError;
    expect([TransportErrorCodes.CONNECTION_CLOSED, TransportErrorCodes.TLS_HANDSHAKE]).toContain(error.code);
    await server.whenClosed();
    raw.destroy();
  });

  it('a peer that never starts the handshake hits the handshake timeout', async () => {
    const pair = await controlPair();
    const error = await rejectionOf(pair.server.upgradeServer({ ...cert, handshakeTimeout: 200 }));
    expect(error).toMatchObject({ code: TransportErrorCodes.TIMEOUT });
    await pair.close();
  });

  it('a client refuses a certificate it does not trust', async () => {
    const pair = await controlPair();
    const other = createCertificate({ fresh: true });
    const server = pair.server.upgradeServer(cert).catch(() => {});
    const error = await rejectionOf(pair.client.upgradeClient({ ca: other.ca, host: '127.0.0.1' }));
    expect(error).toMatchObject({ code: TransportErrorCodes.TLS_HANDSHAKE });
    await server;
    await pair.close();
  });
});

describe('Implicit TLS', () => {
  it.each(['TLSv1.2', 'TLSv1.3'] as const)('listener and connect handshake first (%s)', async (version) => {
    let resolve!: (c: ControlChannel) => void;
    const got = new Promise<ControlChannel>((r) => {
      resolve = r;
    });
    const listener = await listenControl({
      implicitTls: { ...cert, maxVersion: version },
      onConnection: resolve,
    });
    const client = await connectControl({
      host: '127.0.0.1',
      port: listener.port,
      implicitTls: { ca: cert.ca },
    });
    const server = await got;
    expect(server.secure && client.secure).toBe(true);
    await server.writeLine('220 ftpkit');
    expect(await nextLine(client)).toBe('220 ftpkit');
    expect((client.socket as tls.TLSSocket).getProtocol()).toBe(version);
    await listener.close();
    client.destroy();
    server.destroy();
    await Promise.all([client.whenClosed(), server.whenClosed()]);
  });

  it('a plain-text peer on an implicit-TLS port gets a typed error, the listener survives', async () => {
    const errors: TransportError[] = [];
    const listener = await listenControl({
      implicitTls: { ...cert, handshakeTimeout: 500 },
      onConnection: () => expect.fail('no channel expected'),
      onConnectionError: (e) => errors.push(e),
    });
    const raw = net.connect({ host: '127.0.0.1', port: listener.port });
    raw.on('error', () => {});
    raw.write('USER anonymous\r\n');
    await new Promise((r) => raw.once('close', r));
    expect(errors).toHaveLength(1);
    expect([TransportErrorCodes.TLS_HANDSHAKE, TransportErrorCodes.CONNECTION_CLOSED]).toContain(
      errors[0]!.code,
    );
    // A silent peer: the handshake timeout frees the slot.
    const silent = net.connect({ host: '127.0.0.1', port: listener.port });
    silent.on('error', () => {});
    await new Promise((r) => silent.once('close', r));
    expect(errors[1]?.code).toBe(TransportErrorCodes.TIMEOUT);
    await listener.close();
  });
});
