/**
 * PROT P handshake order against two scripted FTPS servers that disagree (RFC 4217 §9 leaves it
 * open): one like pyftpdlib (closes a data connection that speaks before the transfer command
 * arrives) and one like ftp-srv (answers the transfer command only after the data handshake).
 */
import net from 'node:net';
import tls from 'node:tls';
import { createCertificate } from '@ftpkit/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { type Client, connect } from '../src/index.js';
import { collector } from './support/files.js';

type Order = 'command-first' | 'handshake-first';

async function startFtps(
  order: Order,
): Promise<{ port: number; close(): Promise<void>; transfers: () => number }> {
  const cert = createCertificate();
  const context = tls.createSecureContext({ cert: cert.cert, key: cert.key });
  const sockets = new Set<net.Socket>();
  let transfers = 0;
  const server = net.createServer((raw) => {
    sockets.add(raw);
    raw.on('error', () => {});
    let control: net.Socket = raw;
    let dataSocket: Promise<tls.TLSSocket> | undefined;
    let commandSeen = false;
    const reply = (line: string) => control.write(`${line}\r\n`);
    const onLine = async (line: string) => {
      const [verb = '', ...rest] = line.split(' ');
      const arg = rest.join(' ');
      switch (verb.toUpperCase()) {
        case 'AUTH':
          reply('234 Proceed.');
          control.removeAllListeners('data');
          control = new tls.TLSSocket(raw, { isServer: true, secureContext: context });
          control.on('error', () => {});
          listen(control);
          return;
        case 'USER':
          return reply('331 Password.');
        case 'PASS':
          return reply('230 Logged in.');
        case 'FEAT':
          return reply('211 No features');
        case 'EPSV': {
          commandSeen = false;
          const listener = net.createServer({ pauseOnConnect: true });
          dataSocket = new Promise((resolve) => {
            listener.once('connection', (d) => {
              listener.close();
              sockets.add(d);
              d.on('error', () => {});
              if (order === 'handshake-first') {
                const secure = new tls.TLSSocket(d, { isServer: true, secureContext: context });
                secure.on('error', () => {});
                secure.once('secure', () => resolve(secure));
                return;
              }
              // pyftpdlib: bytes before the command close the connection.
              d.once('data', (chunk) => {
                if (!commandSeen) {
                  d.destroy();
                  return;
                }
                d.pause();
                d.unshift(chunk);
                const secure = new tls.TLSSocket(d, { isServer: true, secureContext: context });
                secure.on('error', () => {});
                secure.once('secure', () => resolve(secure));
              });
              d.resume();
            });
          });
          await new Promise<void>((r) => listener.listen(0, '127.0.0.1', () => r()));
          return reply(
            `229 Entering Extended Passive Mode (|||${(listener.address() as net.AddressInfo).port}|)`,
          );
        }
        case 'RETR': {
          commandSeen = true;
          if (order === 'command-first') reply('150 Opening.');
          const d = await dataSocket!;
          if (order === 'handshake-first') reply('150 Opening.');
          d.end(`content of ${arg}`);
          await new Promise((r) => d.once('close', r));
          transfers++;
          return reply('226 Done.');
        }
        case 'PWD':
          return reply('257 "/"');
        case 'QUIT':
          reply('221 Bye.');
          control.end();
          return;
        default:
          return reply('200 OK.');
      }
    };
    const listen = (socket: net.Socket) => {
      let buffer = '';
      let chain = Promise.resolve();
      socket.on('data', (chunk: Buffer) => {
        buffer += chunk.toString('latin1');
        for (let i = buffer.indexOf('\n'); i !== -1; i = buffer.indexOf('\n')) {
          const line = buffer.slice(0, i).replace(/\r$/, '');
          buffer = buffer.slice(i + 1);
          chain = chain
            .then(async () => {
              await onLine(line);
            })
            .catch(() => {});
        }
      });
    };
    listen(raw);
    raw.write('220 ftps fake\r\n');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    port: (server.address() as net.AddressInfo).port,
    transfers: () => transfers,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

describe('PROT P handshake order', () => {
  let close: (() => Promise<void>) | undefined;
  let client: Client | undefined;
  afterEach(async () => {
    await client?.close();
    await close?.();
  });

  for (const order of ['command-first', 'handshake-first'] as const) {
    it(`works with a ${order} server, several transfers in a row`, async () => {
      const server = await startFtps(order);
      close = server.close;
      client = await connect({
        port: server.port,
        user: 'u',
        password: 'p',
        secure: true,
        tls: { ca: createCertificate().ca },
        keepaliveInterval: 0,
        replyTimeout: 5000,
      });
      for (const name of ['a', 'b', 'c']) {
        const out = collector();
        await client.download(name, out.stream);
        expect(out.buffer().toString()).toBe(`content of ${name}`);
      }
      expect(server.transfers()).toBe(3);
      expect(await client.pwd()).toBe('/');
    });
  }
});
