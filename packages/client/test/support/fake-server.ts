/**
 * A scripted fake FTP server for client unit tests: a net server on 127.0.0.1 (port 0) that
 * answers with default handlers (login, FEAT, EPSV/PASV, RETR/STOR/LIST from an in-memory file
 * map) which a test overrides per verb to replay odd, malformed, truncated or silent replies. It
 * records every command line it received.
 */
import net from 'node:net';

export interface FakeSession {
  readonly socket: net.Socket;
  /** Writes raw bytes/text to the control connection. */
  write(raw: string | Buffer): void;
  reply(code: number, text?: string): void;
  /** The data socket of the current transfer (after EPSV/PASV, or PORT/EPRT). */
  data(): Promise<net.Socket>;
  /** The last EPRT/PORT target. */
  activeTarget: { host: string; port: number } | undefined;
  /** Per-session scratch space for handlers. */
  readonly state: Record<string, unknown>;
}

export type Handler = (session: FakeSession, argument: string, server: FakeServer) => void | Promise<void>;

export interface FakeServerOptions {
  /** Raw greeting; default `220 fake ready\r\n`. `null` sends nothing (a mute server). */
  readonly greeting?: string | null;
  /** FEAT lines (without the leading space). Default: EPSV, PASV, SIZE, MDTM, MLST..., UTF8, REST STREAM. */
  readonly features?: readonly string[] | null;
  /** Override or add verbs. */
  readonly on?: Record<string, Handler>;
  /** Host advertised in 227 replies. Default 127.0.0.1. */
  readonly pasvHost?: string;
  /** Answer EPSV with 500 (forces PASV). */
  readonly noEpsv?: boolean;
  /** Initial files (path → content). */
  readonly files?: Record<string, string | Buffer>;
}

export interface FakeServer {
  readonly host: string;
  readonly port: number;
  readonly url: string;
  /** Every command line received, in order, across sessions. */
  readonly commands: string[];
  readonly files: Map<string, Buffer>;
  /** Number of control connections accepted. */
  readonly connections: () => number;
  /** Drops every open control connection (simulates a network failure). */
  dropAll(): void;
  close(): Promise<void>;
}

export const DEFAULT_FEATURES = [
  'EPSV',
  'PASV',
  'SIZE',
  'MDTM',
  'REST STREAM',
  'UTF8',
  'MLST type*;size*;modify*;',
];

export async function startFakeServer(options: FakeServerOptions = {}): Promise<FakeServer> {
  const commands: string[] = [];
  const files = new Map<string, Buffer>();
  for (const [k, v] of Object.entries(options.files ?? {})) files.set(k, Buffer.from(v));
  const sockets = new Set<net.Socket>();
  const listeners = new Set<net.Server>();
  let accepted = 0;
  let server!: FakeServer;

  const defaults: Record<string, Handler> = {
    USER: (s) => s.reply(331, 'Password please.'),
    PASS: (s) => s.reply(230, 'Logged in.'),
    FEAT: (s) => {
      const features = options.features === undefined ? DEFAULT_FEATURES : options.features;
      if (features === null) s.reply(502, 'No FEAT.');
      else s.write(`211-Features:\r\n${features.map((f) => ` ${f}\r\n`).join('')}211 End\r\n`);
    },
    OPTS: (s) => s.reply(200, 'OK'),
    TYPE: (s) => s.reply(200, 'Type set.'),
    NOOP: (s) => s.reply(200, 'NOOP ok.'),
    PWD: (s) => s.reply(257, `"${(s.state.cwd as string | undefined) ?? '/'}" is the current directory`),
    CWD: (s, arg) => {
      s.state.cwd = arg.startsWith('/') ? arg : `/${arg}`;
      s.reply(250, 'OK');
    },
    MKD: (s, arg) => s.reply(257, `"${arg}" created`),
    RMD: (s) => s.reply(250, 'Removed.'),
    DELE: (s, arg) => {
      if (files.delete(arg)) s.reply(250, 'Deleted.');
      else s.reply(550, 'No such file.');
    },
    SIZE: (s, arg) => {
      const f = files.get(arg);
      if (f === undefined) s.reply(550, 'No such file.');
      else s.reply(213, String(f.length));
    },
    REST: (s, arg) => {
      s.state.rest = Number(arg);
      s.reply(350, `Restarting at ${arg}.`);
    },
    QUIT: (s) => {
      s.reply(221, 'Bye.');
      s.socket.end();
    },
    ABOR: (s) => s.reply(225, 'No transfer to abort.'),
    EPSV: async (s) => {
      if (options.noEpsv === true) {
        s.reply(500, 'EPSV not understood');
        return;
      }
      const port = await listenData(s);
      s.reply(229, `Entering Extended Passive Mode (|||${port}|)`);
    },
    PASV: async (s) => {
      const port = await listenData(s);
      const host = (options.pasvHost ?? '127.0.0.1').replaceAll('.', ',');
      s.reply(227, `Entering Passive Mode (${host},${port >> 8},${port & 255}).`);
    },
    EPRT: (s, arg) => {
      const [, , host, port] = arg.split(arg[0]!);
      s.activeTarget = { host: host!, port: Number(port) };
      s.state.dataSocket = undefined;
      s.reply(200, 'EPRT ok.');
    },
    PORT: (s, arg) => {
      const n = arg.split(',').map(Number);
      s.activeTarget = { host: n.slice(0, 4).join('.'), port: n[4]! * 256 + n[5]! };
      s.state.dataSocket = undefined;
      s.reply(200, 'PORT ok.');
    },
    RETR: async (s, arg) => {
      const f = files.get(arg);
      if (f === undefined) {
        s.reply(550, 'No such file.');
        return;
      }
      const rest = (s.state.rest as number | undefined) ?? 0;
      s.state.rest = 0;
      s.reply(150, 'Opening data connection.');
      const d = await s.data();
      d.end(f.subarray(rest));
      await closed(d);
      s.reply(226, 'Transfer complete.');
    },
    STOR: async (s, arg) => {
      const rest = (s.state.rest as number | undefined) ?? 0;
      s.state.rest = 0;
      s.reply(150, 'Ok to send data.');
      const d = await s.data();
      const body = await readAll(d);
      const before = rest > 0 ? (files.get(arg) ?? Buffer.alloc(0)).subarray(0, rest) : Buffer.alloc(0);
      files.set(arg, Buffer.concat([before, body]));
      s.reply(226, 'Transfer complete.');
    },
    APPE: async (s, arg) => {
      s.reply(150, 'Ok to send data.');
      const d = await s.data();
      const body = await readAll(d);
      files.set(arg, Buffer.concat([files.get(arg) ?? Buffer.alloc(0), body]));
      s.reply(226, 'Transfer complete.');
    },
    LIST: async (s) => {
      s.reply(150, 'Here comes the listing.');
      const d = await s.data();
      d.end((s.state.listing as string | undefined) ?? '');
      await closed(d);
      s.reply(226, 'Directory send OK.');
    },
  };
  defaults.MLSD = defaults.LIST!;
  const handlers = { ...defaults, ...options.on };

  async function listenData(s: FakeSession): Promise<number> {
    const listener = net.createServer();
    listeners.add(listener);
    const socketPromise = new Promise<net.Socket>((resolve) => {
      listener.once('connection', (socket) => {
        sockets.add(socket);
        socket.once('close', () => sockets.delete(socket));
        socket.on('error', () => {});
        listener.close();
        listeners.delete(listener);
        resolve(socket);
      });
    });
    s.state.dataSocket = socketPromise;
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', () => resolve()));
    return (listener.address() as net.AddressInfo).port;
  }

  const tcp = net.createServer((socket) => {
    accepted++;
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    const session: FakeSession = {
      socket,
      write: (raw) => {
        if (!socket.destroyed) socket.write(raw);
      },
      reply: (code, text = 'OK') => {
        if (!socket.destroyed) socket.write(`${code} ${text}\r\n`);
      },
      data: () => {
        const existing = session.state.dataSocket as Promise<net.Socket> | undefined;
        if (existing !== undefined) return existing;
        const target = session.activeTarget;
        if (target === undefined) return Promise.reject(new Error('no data connection set up'));
        const p = new Promise<net.Socket>((resolve, reject) => {
          const d = net.connect(target.port, target.host, () => resolve(d));
          sockets.add(d);
          d.once('close', () => sockets.delete(d));
          d.once('error', reject);
        });
        session.state.dataSocket = p;
        return p;
      },
      activeTarget: undefined,
      state: {},
    };
    let buffer = '';
    let chain = Promise.resolve();
    socket.on('data', (chunk) => {
      buffer += chunk.toString('latin1');
      for (let i = buffer.indexOf('\n'); i !== -1; i = buffer.indexOf('\n')) {
        const line = buffer.slice(0, i).replace(/\r$/, '');
        buffer = buffer.slice(i + 1);
        commands.push(line);
        const space = line.indexOf(' ');
        const verb = (space === -1 ? line : line.slice(0, space)).toUpperCase();
        const argument = space === -1 ? '' : line.slice(space + 1);
        const handler = handlers[verb];
        chain = chain.then(async () => {
          try {
            if (handler === undefined) session.reply(502, 'Command not implemented.');
            else await handler(session, argument, server);
            // A transfer handler consumed the data socket; the next one needs a new EPSV/PASV.
            if (['RETR', 'STOR', 'APPE', 'LIST', 'MLSD', 'NLST'].includes(verb))
              session.state.dataSocket = undefined;
          } catch {
            // A handler's failure (the client went away) ends nothing but that command.
          }
        });
      }
    });
    if (options.greeting !== null) socket.write(options.greeting ?? '220 fake ready\r\n');
  });
  await new Promise<void>((resolve) => tcp.listen(0, '127.0.0.1', () => resolve()));
  const port = (tcp.address() as net.AddressInfo).port;
  server = {
    host: '127.0.0.1',
    port,
    url: `ftp://test:secret@127.0.0.1:${port}/`,
    commands,
    files,
    connections: () => accepted,
    dropAll() {
      for (const s of sockets) s.destroy();
    },
    async close() {
      for (const s of sockets) s.destroy();
      for (const l of listeners) l.close();
      await new Promise<void>((resolve) => tcp.close(() => resolve()));
    },
  };
  return server;
}

export function closed(socket: net.Socket): Promise<void> {
  return socket.closed ? Promise.resolve() : new Promise((resolve) => socket.once('close', () => resolve()));
}

export function readAll(socket: net.Socket): Promise<Buffer> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.once('close', () => resolve(Buffer.concat(chunks)));
  });
}
