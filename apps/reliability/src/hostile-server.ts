/**
 * A scripted hostile FTP server for the client's tests: a net server on 127.0.0.1 (port 0) with
 * friendly defaults (login, FEAT, TYPE, EPSV/PASV with a real data listener, QUIT) that a test
 * overrides per verb to misbehave. Every endless stream it writes is bounded (`maxBytes`, and it
 * stops when the peer goes away) and respects backpressure, so a broken client cannot make this
 * server eat the machine either. Records every command line and how many bytes each stream sent.
 */
import net from 'node:net';

export interface HostileSession {
  readonly socket: net.Socket;
  write(raw: string | Buffer): void;
  reply(code: number, text: string): void;
  /** The data socket of the current transfer (after EPSV/PASV). */
  data(): Promise<net.Socket>;
  /** Opens a data listener; returns its port. */
  listenData(): Promise<number>;
}

export type HostileHandler = (session: HostileSession, argument: string) => void | Promise<void>;

export interface HostileServer {
  readonly port: number;
  readonly commands: string[];
  /** Control and data sockets still open on the server side. */
  openSockets(): number;
  close(): Promise<void>;
}

/** Writes `line()` again and again (backpressure respected) until `maxBytes` or the peer leaves. */
export async function flood(
  socket: net.Socket,
  line: (i: number) => string,
  maxBytes: number,
): Promise<number> {
  let sent = 0;
  for (let i = 0; sent < maxBytes && !socket.destroyed && socket.writable; i++) {
    const chunk = line(i);
    sent += Buffer.byteLength(chunk);
    if (!socket.write(chunk)) {
      const ok = await new Promise<boolean>((resolve) => {
        const done = (v: boolean) => () => {
          socket.off('drain', onDrain);
          socket.off('close', onClose);
          resolve(v);
        };
        const onDrain = done(true);
        const onClose = done(false);
        socket.once('drain', onDrain);
        socket.once('close', onClose);
      });
      if (!ok) break;
    }
  }
  return sent;
}

export async function startHostileServer(
  options: {
    greeting?: string | null;
    on?: Record<string, HostileHandler>;
    onConnect?: (s: HostileSession) => void;
  } = {},
): Promise<HostileServer> {
  const commands: string[] = [];
  const sockets = new Set<net.Socket>();
  const listeners = new Set<net.Server>();
  const track = (s: net.Socket) => {
    sockets.add(s);
    s.on('error', () => {});
    s.on('close', () => sockets.delete(s));
  };

  const defaults: Record<string, HostileHandler> = {
    USER: (s) => s.reply(331, 'Password please.'),
    PASS: (s) => s.reply(230, 'Logged in.'),
    FEAT: (s) =>
      s.write(
        '211-Features:\r\n EPSV\r\n PASV\r\n SIZE\r\n UTF8\r\n MLST type*;size*;modify*;\r\n211 End\r\n',
      ),
    OPTS: (s) => s.reply(200, 'OK'),
    TYPE: (s) => s.reply(200, 'Type set.'),
    PWD: (s) => s.reply(257, '"/" is the current directory'),
    CWD: (s) => s.reply(250, 'OK'),
    NOOP: (s) => s.reply(200, 'OK'),
    QUIT: (s) => {
      s.reply(221, 'Bye.');
      s.socket.end();
    },
    EPSV: async (s) => s.reply(229, `Entering Extended Passive Mode (|||${await s.listenData()}|)`),
    PASV: async (s) => {
      const port = await s.listenData();
      s.reply(227, `Entering Passive Mode (127,0,0,1,${port >> 8},${port & 255}).`);
    },
  };
  const handlers = { ...defaults, ...options.on };

  const server = net.createServer((socket) => {
    track(socket);
    let dataSocket: Promise<net.Socket> | undefined;
    const session: HostileSession = {
      socket,
      write: (raw) => {
        if (!socket.destroyed) socket.write(raw);
      },
      reply: (code, text) => session.write(`${code} ${text}\r\n`),
      data: () => dataSocket ?? Promise.reject(new Error('no data listener')),
      listenData: () =>
        new Promise<number>((resolve) => {
          const l = net.createServer();
          listeners.add(l);
          dataSocket = new Promise<net.Socket>((accept) => {
            l.once('connection', (d) => {
              track(d);
              l.close();
              listeners.delete(l);
              accept(d);
            });
          });
          dataSocket.catch(() => {});
          l.listen(0, '127.0.0.1', () => resolve((l.address() as net.AddressInfo).port));
        }),
    };
    if (options.greeting !== null) session.write(options.greeting ?? '220 hostile ready\r\n');
    options.onConnect?.(session);
    let buffer = '';
    socket.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('latin1');
      for (let i = buffer.indexOf('\r\n'); i !== -1; i = buffer.indexOf('\r\n')) {
        const line = buffer.slice(0, i);
        buffer = buffer.slice(i + 2);
        commands.push(line);
        const space = line.indexOf(' ');
        const verb = (space === -1 ? line : line.slice(0, space)).toUpperCase();
        const handler = handlers[verb];
        if (handler === undefined) session.reply(502, 'Not implemented.');
        else
          void Promise.resolve(handler(session, space === -1 ? '' : line.slice(space + 1))).catch(() => {});
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    commands,
    openSockets: () => sockets.size,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        for (const l of listeners) l.close();
        server.close(() => resolve());
      }),
  };
}
