import net from 'node:net';
import { Readable, Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import {
  connectPassive,
  openPassiveListener,
  PassivePortPool,
  type TransportError,
  TransportErrorCodes,
} from '../src/index.ts';
import { rejectionOf, useLeakCheck } from './helpers.ts';

useLeakCheck();

const sink = () => {
  const chunks: Buffer[] = [];
  const w = new Writable({
    write(chunk: Buffer, _e, cb) {
      chunks.push(chunk);
      cb();
    },
  });
  return { w, text: () => Buffer.concat(chunks).toString() };
};

/** A free block of ports for a range test (kernel-chosen base, then checked). */
async function freeRange(size: number): Promise<{ min: number; max: number }> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const min = 20_000 + Math.floor(Math.random() * 30_000);
    const servers: net.Server[] = [];
    let ok = true;
    for (let p = min; p < min + size && ok; p++) {
      const s = net.createServer();
      ok = await new Promise<boolean>((resolve) => {
        s.once('error', () => resolve(false));
        s.listen(p, '127.0.0.1', () => resolve(true));
      });
      if (ok) servers.push(s);
    }
    await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
    if (ok) return { min, max: min + size - 1 };
  }
  throw new Error('no free range');
}

describe('passive listener', () => {
  it('accepts exactly one connection from the control peer and moves a file', async () => {
    const listener = await openPassiveListener({ controlPeerAddress: '127.0.0.1' });
    const client = await connectPassive({ host: listener.advertisedAddress, port: listener.port });
    const server = await listener.accept();
    const out = sink();
    const [sent, received] = await Promise.all([
      server.send(Readable.from([Buffer.from('hello '), Buffer.from('world')])),
      client.receive(out.w),
    ]);
    expect(out.text()).toBe('hello world');
    expect(sent.bytes).toBe(11);
    expect(received.bytes).toBe(11);
    await listener.whenReleased();
    await Promise.all([server.whenClosed(), client.whenClosed()]);
  });

  it('accepts a connection that arrives before accept() is called', async () => {
    const listener = await openPassiveListener({ controlPeerAddress: '127.0.0.1' });
    const client = await connectPassive({ host: '127.0.0.1', port: listener.port });
    await new Promise((r) => setTimeout(r, 30));
    const server = await listener.accept();
    client.abort();
    await server.close();
    await listener.whenReleased();
  });

  it('refuses and closes a data connection from another address (127.0.0.2)', async () => {
    const refused: TransportError[] = [];
    const listener = await openPassiveListener({
      controlPeerAddress: '127.0.0.1',
      onRefused: (e) => refused.push(e),
    });
    const accepting = rejectionOf(listener.accept());
    const thief = await connectPassive({ host: '127.0.0.1', port: listener.port, localAddress: '127.0.0.2' });
    expect(await accepting).toMatchObject({ code: TransportErrorCodes.DATA_PEER_MISMATCH });
    expect(refused).toHaveLength(1);
    await thief.whenClosed();
    await listener.whenReleased();
  });

  it('compares normalised addresses (IPv4-mapped IPv6 control peer)', async () => {
    const listener = await openPassiveListener({ controlPeerAddress: '::ffff:127.0.0.1' });
    const client = await connectPassive({ host: '127.0.0.1', port: listener.port });
    const server = await listener.accept();
    client.abort();
    await server.close();
    await listener.whenReleased();
  });

  it('advertises the masquerade address (NAT)', async () => {
    const listener = await openPassiveListener({
      controlPeerAddress: '127.0.0.1',
      masqueradeAddress: '203.0.113.7',
    });
    expect(listener.advertisedAddress).toBe('203.0.113.7');
    expect(listener.host).toBe('127.0.0.1');
    await listener.close();
  });

  it('times out when nobody connects and releases the port', async () => {
    const pool = new PassivePortPool();
    const listener = await openPassiveListener({ pool, controlPeerAddress: '127.0.0.1', acceptTimeout: 200 });
    expect(pool.inUse).toBe(1);
    expect(await rejectionOf(listener.accept())).toMatchObject({ code: TransportErrorCodes.TIMEOUT });
    await listener.whenReleased();
    expect(pool.inUse).toBe(0);
  });

  it('an AbortSignal closes the listener and releases the port', async () => {
    const pool = new PassivePortPool();
    const ac = new AbortController();
    const listener = await openPassiveListener({ pool, controlPeerAddress: '127.0.0.1', signal: ac.signal });
    const p = listener.accept();
    ac.abort();
    expect(await rejectionOf(p)).toMatchObject({ code: TransportErrorCodes.ABORTED });
    await listener.whenReleased();
    expect(pool.inUse).toBe(0);
  });

  it('works on IPv6 (EPSV)', async () => {
    const listener = await openPassiveListener({ host: '::1', controlPeerAddress: '::1' });
    expect(listener.family).toBe('IPv6');
    const client = await connectPassive({ host: '::1', port: listener.port });
    const server = await listener.accept();
    const out = sink();
    await Promise.all([server.send(Readable.from([Buffer.from('v6')])), client.receive(out.w)]);
    expect(out.text()).toBe('v6');
    await listener.whenReleased();
  });
});

describe('PassivePortPool', () => {
  it('never leases one port twice, reports exhaustion, and releases on every path', async () => {
    const range = await freeRange(3);
    const pool = new PassivePortPool(range);
    const a = await openPassiveListener({ pool, controlPeerAddress: '127.0.0.1' });
    const b = await openPassiveListener({ pool, controlPeerAddress: '127.0.0.1' });
    const c = await openPassiveListener({ pool, controlPeerAddress: '127.0.0.1' });
    expect(new Set([a.port, b.port, c.port]).size).toBe(3);
    for (const l of [a, b, c]) expect(l.port >= range.min && l.port <= range.max).toBe(true);
    const error = await rejectionOf(openPassiveListener({ pool, controlPeerAddress: '127.0.0.1' }));
    expect(error).toMatchObject({ code: TransportErrorCodes.PORT_RANGE_EXHAUSTED });
    // success path: a transfer on `a`
    const client = await connectPassive({ host: '127.0.0.1', port: a.port });
    const server = await a.accept();
    expect(pool.inUse).toBe(3);
    await Promise.all([server.send(Readable.from([Buffer.from('x')])), client.receive(sink().w)]);
    await a.whenReleased();
    // close path
    await b.close();
    // mismatch path
    const thief = await connectPassive({ host: '127.0.0.1', port: c.port, localAddress: '127.0.0.2' });
    await rejectionOf(c.accept());
    await c.whenReleased();
    await thief.whenClosed();
    expect(pool.inUse).toBe(0);
    // all three are leasable again
    const again = await Promise.all(
      [0, 1, 2].map(() => openPassiveListener({ pool, controlPeerAddress: '127.0.0.1' })),
    );
    expect(new Set(again.map((l) => l.port)).size).toBe(3);
    await Promise.all(again.map((l) => l.close()));
    expect(pool.inUse).toBe(0);
  });

  it('skips a port another process holds', async () => {
    const range = await freeRange(2);
    const squatter = net.createServer();
    await new Promise<void>((r) => squatter.listen(range.min, '127.0.0.1', () => r()));
    const pool = new PassivePortPool(range);
    const l = await openPassiveListener({ pool, controlPeerAddress: '127.0.0.1' });
    expect(l.port).toBe(range.max);
    await l.close();
    await new Promise((r) => squatter.close(r));
  });

  it('rejects an invalid range', () => {
    expect(() => new PassivePortPool({ min: 2000, max: 1000 })).toThrow(
      expect.objectContaining({ code: TransportErrorCodes.INVALID_ARGUMENT }),
    );
  });
});
