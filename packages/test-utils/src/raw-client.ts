/**
 * A deliberately small FTP client for server tests and attack tests: a real socket, the codec's
 * `ReplyParser`, and helpers for data connections. Unlike @ftpkit/client it sends whatever it is
 * told (hostile arguments, raw bytes, half lines) and exposes every reply as is.
 */

import { once } from 'node:events';
import net from 'node:net';
import tls from 'node:tls';
import { parseEpsvReply, parsePasvReply, type Reply, ReplyParser } from '@ftpkit/codec';

export type { Reply };

export interface ConnectOptions {
  readonly host?: string;
  readonly localAddress?: string;
  /** Implicit TLS: handshake first, trusting `ca`. */
  readonly implicitTls?: { readonly ca: string };
  readonly timeout?: number;
}

export class RawClient {
  socket: net.Socket;
  readonly host: string;
  readonly #parser = new ReplyParser();
  readonly #replies: Reply[] = [];
  #waiters: { resolve(r: Reply): void; reject(e: Error): void }[] = [];
  #closed = false;
  #session: Buffer | undefined;
  readonly #timeout: number;
  #ca: string | undefined;
  #localAddress: string | undefined;

  private constructor(socket: net.Socket, host: string, timeout: number) {
    this.socket = socket;
    this.host = host;
    this.#timeout = timeout;
    this.#attach(socket);
  }

  static async connect(port: number, options: ConnectOptions = {}): Promise<RawClient> {
    const host = options.host ?? '127.0.0.1';
    const timeout = options.timeout ?? 10_000;
    let socket: net.Socket;
    if (options.implicitTls !== undefined) {
      const secure = tls.connect({ host, port, ca: options.implicitTls.ca, servername: 'localhost' });
      await once(secure, 'secureConnect');
      socket = secure;
    } else {
      socket = net.connect({
        host,
        port,
        ...(options.localAddress ? { localAddress: options.localAddress } : {}),
      });
      await once(socket, 'connect');
    }
    const client = new RawClient(socket, host, timeout);
    client.#localAddress = options.localAddress;
    if (options.implicitTls !== undefined) {
      client.#ca = options.implicitTls.ca;
      socket.on('session', (s: Buffer) => {
        client.#session = s;
      });
    }
    return client;
  }

  #attach(socket: net.Socket): void {
    socket.on('data', (chunk: Buffer) => {
      for (const reply of this.#parser.push(chunk)) this.#deliver(reply);
    });
    socket.on('error', () => {});
    socket.on('close', () => {
      this.#closed = true;
      const waiters = this.#waiters;
      this.#waiters = [];
      for (const w of waiters) w.reject(new Error('control connection closed'));
    });
  }

  #deliver(reply: Reply): void {
    const waiter = this.#waiters.shift();
    if (waiter !== undefined) waiter.resolve(reply);
    else this.#replies.push(reply);
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** The next reply (already received or future). */
  read(timeout = this.#timeout): Promise<Reply> {
    const queued = this.#replies.shift();
    if (queued !== undefined) return Promise.resolve(queued);
    if (this.#closed) return Promise.reject(new Error('control connection closed'));
    return new Promise<Reply>((resolve, reject) => {
      const waiter = {
        resolve: (r: Reply) => {
          clearTimeout(timer);
          resolve(r);
        },
        reject: (e: Error) => {
          clearTimeout(timer);
          reject(e);
        },
      };
      const timer = setTimeout(() => {
        this.#waiters = this.#waiters.filter((w) => w !== waiter);
        reject(new Error(`no reply within ${timeout} ms`));
      }, timeout);
      this.#waiters.push(waiter);
    });
  }

  /** Writes raw bytes or text without CRLF. */
  write(data: string | Uint8Array): void {
    this.socket.write(data);
  }

  /** Sends one command line and returns its reply. */
  async send(line: string): Promise<Reply> {
    this.socket.write(`${line}\r\n`);
    return this.read();
  }

  /** Sends a command and returns its reply text (all lines joined by \n) prefixed with the code. */
  async cmd(line: string): Promise<string> {
    const reply = await this.send(line);
    return `${reply.code} ${reply.lines.join('\n')}`;
  }

  async login(user: string, password: string): Promise<Reply> {
    const r = await this.send(`USER ${user}`);
    if (r.code !== 331) return r;
    return this.send(`PASS ${password}`);
  }

  /** PASV, then connects to the advertised port. */
  async pasv(options: { localAddress?: string } = {}): Promise<net.Socket> {
    options = {
      ...(this.#localAddress === undefined ? {} : { localAddress: this.#localAddress }),
      ...options,
    };
    const reply = await this.send('PASV');
    if (reply.code !== 227) throw new Error(`PASV failed: ${reply.code} ${reply.lines.join(' ')}`);
    const address = parsePasvReply(reply.lines[reply.lines.length - 1]!);
    return connectData(this.host, address.port, options.localAddress);
  }

  async epsv(): Promise<net.Socket> {
    const reply = await this.send('EPSV');
    if (reply.code !== 229) throw new Error(`EPSV failed: ${reply.code} ${reply.lines.join(' ')}`);
    return connectData(this.host, parseEpsvReply(reply.lines[reply.lines.length - 1]!), this.#localAddress);
  }

  /** Listens for an active-mode connection and sends PORT for it. */
  async port(): Promise<{ reply: Reply; accept(): Promise<net.Socket>; close(): void }> {
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as net.AddressInfo;
    const accepted = once(server, 'connection').then(([s]) => s as net.Socket);
    accepted.catch(() => {});
    const reply = await this.send(`PORT 127,0,0,1,${port >> 8},${port & 255}`);
    return {
      reply,
      accept: async () => {
        const socket = await accepted;
        server.close();
        return socket;
      },
      close: () => server.close(),
    };
  }

  /** AUTH TLS and the handshake, trusting `ca`. Tracks session tickets for data connections. */
  async authTls(ca: string): Promise<Reply> {
    const reply = await this.send('AUTH TLS');
    if (reply.code !== 234) return reply;
    const plain = this.socket;
    plain.removeAllListeners('data');
    plain.removeAllListeners('close');
    const secure = tls.connect({ socket: plain, ca, servername: 'localhost' });
    secure.on('session', (s: Buffer) => {
      this.#session = s;
    });
    await once(secure, 'secureConnect');
    this.socket = secure;
    this.#ca = ca;
    this.#attach(secure);
    return reply;
  }

  /** Wraps a data socket in TLS; resumes the control session unless `resume` is false. */
  async secureData(socket: net.Socket, options: { resume?: boolean } = {}): Promise<tls.TLSSocket> {
    if (options.resume !== false && this.#session === undefined) {
      // TLS 1.3 tickets arrive after the handshake, with the first bytes the server sends.
      await this.send('NOOP');
    }
    const secure = tls.connect({
      socket,
      ca: this.#ca,
      servername: 'localhost',
      ...(options.resume !== false && this.#session !== undefined ? { session: this.#session } : {}),
    });
    secure.on('error', () => {});
    return secure;
  }

  async quit(): Promise<void> {
    if (this.#closed) return;
    try {
      await this.send('QUIT');
    } catch {
      // already closed
    }
    await this.close();
  }

  async close(): Promise<void> {
    if (!this.socket.destroyed) {
      const closed = once(this.socket, 'close');
      this.socket.destroy();
      await closed;
    }
  }
}

export async function connectData(host: string, port: number, localAddress?: string): Promise<net.Socket> {
  const socket = net.connect({ host, port, ...(localAddress ? { localAddress } : {}) });
  socket.on('error', () => {});
  await once(socket, 'connect');
  return socket;
}

/** Everything a data socket delivers until EOF (or an error: then what arrived so far). */
export function readAll(socket: net.Socket): Promise<Buffer> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', () => resolve(Buffer.concat(chunks)));
    socket.on('close', () => resolve(Buffer.concat(chunks)));
  });
}

/** Writes `data`, ends the socket and waits for it to close. */
export async function writeAll(socket: net.Socket, data: string | Buffer): Promise<void> {
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  socket.end(data);
  socket.resume();
  await closed;
}
