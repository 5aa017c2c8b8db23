/**
 * A connected pair of real TCP sockets over loopback (IPv4 or IPv6), for tests of code that
 * needs kernel sockets (timeouts, resets, TLS upgrades). The listener is closed once connected.
 */
import net from 'node:net';

export interface LoopbackPairOptions {
  /** Listen address. Default '127.0.0.1'; '::1' for IPv6. */
  readonly host?: string;
  /** Client source address, e.g. '127.0.0.2' to play a different host. */
  readonly localAddress?: string;
}

export interface LoopbackPair {
  /** The accepted (server-side) socket. */
  readonly server: net.Socket;
  /** The connecting (client-side) socket. */
  readonly client: net.Socket;
  /** Destroys both sockets and waits until both are closed. */
  destroy(): Promise<void>;
}

export async function loopbackPair(options: LoopbackPairOptions = {}): Promise<LoopbackPair> {
  const host = options.host ?? '127.0.0.1';
  const listener = net.createServer();
  await new Promise<void>((resolve, reject) => {
    listener.once('error', reject);
    listener.listen(0, host, () => resolve());
  });
  const { port } = listener.address() as net.AddressInfo;
  const accepted = new Promise<net.Socket>((resolve) => listener.once('connection', resolve));
  const client = net.connect({
    host,
    port,
    ...(options.localAddress === undefined ? {} : { localAddress: options.localAddress }),
  });
  await new Promise<void>((resolve, reject) => {
    client.once('connect', () => resolve());
    client.once('error', reject);
  });
  const server = await accepted;
  // Not close(cb): its callback waits for the accepted socket too.
  listener.close();
  const closed = (socket: net.Socket) =>
    socket.closed ? Promise.resolve() : new Promise<void>((resolve) => socket.once('close', () => resolve()));
  return {
    server,
    client,
    async destroy() {
      server.destroy();
      client.destroy();
      await Promise.all([closed(server), closed(client)]);
    },
  };
}
