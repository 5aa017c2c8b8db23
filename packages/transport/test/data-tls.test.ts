import { Readable, Writable } from 'node:stream';
import type tls from 'node:tls';
import { createCertificate } from '@ftpkit/test-utils';
import { describe, expect, it } from 'vitest';
import {
  connectActive,
  connectPassive,
  createServerSecureContext,
  type DataChannel,
  isTransportError,
  openPassiveListener,
  TransferAbortedError,
  TransportErrorCodes,
} from '../src/index.ts';
import { controlPair, nextLine, rejectionOf, useLeakCheck } from './helpers.ts';

useLeakCheck();

const cert = createCertificate();

function collect() {
  const chunks: Buffer[] = [];
  const w = new Writable({
    write(chunk: Buffer, _e, cb) {
      chunks.push(chunk);
      cb();
    },
  });
  return { w, data: () => Buffer.concat(chunks) };
}

/** A control pair after AUTH TLS, with one reply read so TLS 1.3 tickets have reached the client. */
async function securePair(version: tls.SecureVersion) {
  const pair = await controlPair();
  const secureContext = createServerSecureContext({ ...cert, maxVersion: version, minVersion: version });
  await pair.server.writeLine('234 AUTH TLS OK.');
  await nextLine(pair.client);
  await Promise.all([
    pair.server.upgradeServer({ secureContext }),
    pair.client.upgradeClient({ ca: cert.ca, host: '127.0.0.1' }),
  ]);
  await pair.server.writeLine('200 PROT P ok.');
  expect(await nextLine(pair.client)).toBe('200 PROT P ok.');
  await pair.client.waitForTlsSession({ timeout: 2000 });
  return { pair, secureContext };
}

const payload = Buffer.alloc(256 * 1024 + 7, 0x5a);

describe.each(['TLSv1.2', 'TLSv1.3'] as const)('PROT P data connections with %s', (version) => {
  it('curl order: client handshakes right after connecting; server requires session reuse', async () => {
    const { pair, secureContext } = await securePair(version);
    const listener = await openPassiveListener({
      controlPeerAddress: pair.server.remoteAddress!,
      tls: { secureContext },
    });
    const client = await connectPassive({ host: '127.0.0.1', port: listener.port });
    const clientTls = client.startTlsClient({
      ca: cert.ca,
      host: '127.0.0.1',
      session: pair.client.tlsSession!,
    });
    const server = await listener.accept();
    await clientTls;
    await server.ready();
    expect((server.socket as tls.TLSSocket).isSessionReused()).toBe(true);
    expect((server.socket as tls.TLSSocket).getProtocol()).toBe(version);
    // The transfer command arrives only now, after the handshake.
    await pair.client.writeLine('RETR file');
    expect(await nextLine(pair.server)).toBe('RETR file');
    const out = collect();
    const [sent] = await Promise.all([server.send(Readable.from([payload])), client.receive(out.w)]);
    expect(sent.bytes).toBe(payload.length);
    expect(out.data().equals(payload)).toBe(true);
    await listener.whenReleased();
    await pair.close();
  });

  it('ftplib order: server sends 150 first, client starts TLS after reading it', async () => {
    const { pair, secureContext } = await securePair(version);
    const listener = await openPassiveListener({
      controlPeerAddress: pair.server.remoteAddress!,
      tls: { secureContext },
    });
    const client = await connectPassive({ host: '127.0.0.1', port: listener.port });
    await pair.client.writeLine('STOR file');
    expect(await nextLine(pair.server)).toBe('STOR file');
    const server = await listener.accept();
    const out = collect();
    const receiving = server.receive(out.w);
    await pair.server.writeLine('150 Ok to send data.');
    expect(await nextLine(pair.client)).toBe('150 Ok to send data.');
    await client.startTlsClient({ ca: cert.ca, host: '127.0.0.1', session: pair.client.tlsSession! });
    await client.send(Readable.from([payload]));
    const received = await receiving;
    expect(received.bytes).toBe(payload.length);
    expect(out.data().equals(payload)).toBe(true);
    await listener.whenReleased();
    await pair.close();
  });

  it('refuses a data connection that did not resume the control session', async () => {
    const { pair, secureContext } = await securePair(version);
    const listener = await openPassiveListener({
      controlPeerAddress: pair.server.remoteAddress!,
      tls: { secureContext },
    });
    const client = await connectPassive({ host: '127.0.0.1', port: listener.port });
    const clientTls = client.startTlsClient({ ca: cert.ca, host: '127.0.0.1' }).catch((e: unknown) => e);
    const server = await listener.accept();
    const error = await rejectionOf(server.ready());
    expect(error).toMatchObject({ code: TransportErrorCodes.TLS_SESSION_NOT_REUSED });
    const sendError = await rejectionOf(server.send(Readable.from([payload])));
    expect(sendError).toBeInstanceOf(TransferAbortedError);
    const clientOutcome = await clientTls;
    if (clientOutcome !== undefined) expect(isTransportError(clientOutcome)).toBe(true);
    // Node's TLS cannot tell a missing close_notify from a clean one (it ignores unexpected
    // EOF), so with TLS 1.3 — where the client finished first — the client may see an empty
    // "complete" stream; the truth then comes from the server's 522/425 on the control channel.
    const clientReceive = await client.receive(collect().w).catch((e: unknown) => e);
    if (clientReceive instanceof Error) expect(clientReceive).toBeInstanceOf(TransferAbortedError);
    else expect(clientReceive).toEqual({ bytes: 0 });
    await listener.whenReleased();
    await Promise.all([client.whenClosed(), server.whenClosed()]);
    await pair.close();
  });

  it('active mode (PORT) with PROT P: server connects, then acts as TLS server', async () => {
    const { pair, secureContext } = await securePair(version);
    // Client role listens; the server connects to it.
    const clientListener = await openPassiveListener({ controlPeerAddress: pair.client.remoteAddress! });
    const server = await connectActive({
      host: '127.0.0.1',
      port: clientListener.port,
      controlPeerAddress: pair.server.remoteAddress!,
    });
    const serverTls = server.startTlsServer({ secureContext });
    const client: DataChannel = await clientListener.accept();
    await client.startTlsClient({ ca: cert.ca, host: '127.0.0.1', session: pair.client.tlsSession! });
    await serverTls;
    const out = collect();
    await Promise.all([server.send(Readable.from([payload])), client.receive(out.w)]);
    expect(out.data().equals(payload)).toBe(true);
    await clientListener.whenReleased();
    await pair.close();
  });
});

describe('data TLS faults', () => {
  it('a client that connects and never handshakes hits the handshake timeout', async () => {
    const { pair, secureContext } = await securePair('TLSv1.3');
    const listener = await openPassiveListener({
      controlPeerAddress: '127.0.0.1',
      tls: { secureContext, handshakeTimeout: 200 },
    });
    const client = await connectPassive({ host: '127.0.0.1', port: listener.port });
    const server = await listener.accept();
    expect(await rejectionOf(server.ready())).toMatchObject({ code: TransportErrorCodes.TIMEOUT });
    await client.whenClosed();
    await listener.whenReleased();
    await pair.close();
  });

  it('a client that disconnects mid-handshake gives a typed error', async () => {
    const { pair, secureContext } = await securePair('TLSv1.3');
    const listener = await openPassiveListener({ controlPeerAddress: '127.0.0.1', tls: { secureContext } });
    const client = await connectPassive({ host: '127.0.0.1', port: listener.port });
    const server = await listener.accept();
    client.socket.end(Buffer.from([0x16, 0x03, 0x01, 0x01, 0x00]));
    const error = await rejectionOf(server.ready());
    expect([TransportErrorCodes.CONNECTION_CLOSED, TransportErrorCodes.TLS_HANDSHAKE]).toContain(
      (error as { code: string }).code,
    );
    await Promise.all([client.whenClosed(), server.whenClosed(), listener.whenReleased()]);
    await pair.close();
  });
});
