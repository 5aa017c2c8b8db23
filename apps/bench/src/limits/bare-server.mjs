/**
 * The bare Node FTP server: the least a Node process can do to serve the small-files and listing
 * scenarios, so that the bench can print how far ftpkit's server is from Node's own floor (as the
 * bare pipe does for big files). One user, no checks of any kind (no path resolution, no
 * permissions, no peer check, no timeouts, no TYPE A, no errors beyond 550): the commands
 * ftplib sends (USER, PASS, TYPE, PASV, RETR, LIST, MLSD, QUIT), over plain `net` sockets.
 *
 * It is built the way a Node server has to be — one `net.Server` per session's passive port
 * (kept between transfers, as ftpkit keeps its), a `net.Socket` per connection — with every
 * shortcut a benchmark-only server may take: small files read synchronously, 150 and 226 sent in
 * one write after the data, listings stat'ed with `lstatSync` in one loop and written as one
 * buffer. Not a server anyone should run.
 *
 *   node bare-server.mjs '{"root": "/dir"}'
 *
 * Prints `{"port": N}` once listening; exits on SIGTERM.
 */
import { closeSync, fstatSync, lstatSync, openSync, readdirSync, readSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';

const { root } = JSON.parse(process.argv[2] ?? '{}');
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function readWhole(path) {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    const buffer = Buffer.allocUnsafe(size);
    let filled = 0;
    while (filled < size) {
      const got = readSync(fd, buffer, filled, size - filled, filled);
      if (got === 0) break;
      filled += got;
    }
    return buffer.subarray(0, filled);
  } finally {
    closeSync(fd);
  }
}

const pad2 = (n) => (n < 10 ? `0${n}` : String(n));

/** `ls -l` lines (LIST) or MLSx facts (MLSD) for every entry of `dir`, as one buffer. */
function listing(dir, verb) {
  const lines = [];
  for (const name of readdirSync(dir)) {
    const st = lstatSync(join(dir, name));
    const m = new Date(st.mtimeMs);
    if (verb === 'MLSD') {
      const modify = `${m.getUTCFullYear()}${pad2(m.getUTCMonth() + 1)}${pad2(m.getUTCDate())}${pad2(m.getUTCHours())}${pad2(m.getUTCMinutes())}${pad2(m.getUTCSeconds())}`;
      lines.push(`type=${st.isDirectory() ? 'dir' : 'file'};size=${st.size};modify=${modify}; ${name}`);
    } else {
      const date = `${MONTHS[m.getUTCMonth()]} ${String(m.getUTCDate()).padStart(2)} ${pad2(m.getUTCHours())}:${pad2(m.getUTCMinutes())}`;
      lines.push(
        `${st.isDirectory() ? 'd' : '-'}rw-r--r--    1 ftp      ftp      ${String(st.size).padStart(12)} ${date} ${name}`,
      );
    }
  }
  return Buffer.from(lines.length === 0 ? '' : `${lines.join('\r\n')}\r\n`, 'utf8');
}

function session(control) {
  control.setNoDelay(true);
  let cwd = root;
  let passive; // this session's net.Server, kept between transfers
  let waiting; // resolves with the next accepted data socket
  const accepted = [];
  const nextData = () =>
    accepted.length > 0 ? Promise.resolve(accepted.shift()) : new Promise((resolve) => (waiting = resolve));
  const send = (text) => control.write(text);
  // Data first, then 150 and 226 together: the client reads 150, the data, then 226.
  const transfer = async (payload) => {
    const data = await nextData();
    data.on('error', () => {});
    // 'finish': the bytes and the FIN are with the kernel (the client reads 150 before the data).
    data.end(payload, () => send('150 Opening data connection\r\n226 Transfer complete\r\n'));
  };
  const handle = (line) => {
    const space = line.indexOf(' ');
    const verb = (space < 0 ? line : line.slice(0, space)).toUpperCase();
    const arg = space < 0 ? '' : line.slice(space + 1);
    switch (verb) {
      case 'USER':
        return send('331 Password required\r\n');
      case 'PASS':
        return send('230 Logged in\r\n');
      case 'TYPE':
        return send('200 Type set\r\n');
      case 'CWD':
        cwd = arg.startsWith('/') ? join(root, arg) : join(cwd, arg);
        return send('250 OK\r\n');
      case 'PASV': {
        const reply = () => {
          const port = passive.address().port;
          send(`227 Entering Passive Mode (127,0,0,1,${port >> 8},${port & 255})\r\n`);
        };
        if (passive !== undefined) return reply();
        passive = net.createServer({ noDelay: true }, (socket) => {
          if (waiting !== undefined) {
            const resolve = waiting;
            waiting = undefined;
            resolve(socket);
          } else accepted.push(socket);
        });
        passive.on('error', () => control.destroy());
        return passive.listen(0, '127.0.0.1', reply);
      }
      case 'RETR': {
        let payload;
        try {
          payload = readWhole(arg.startsWith('/') ? join(root, arg) : join(cwd, arg));
        } catch {
          return send('550 No such file\r\n');
        }
        return void transfer(payload);
      }
      case 'LIST':
      case 'MLSD': {
        const target =
          arg === '' || arg.startsWith('-') ? cwd : arg.startsWith('/') ? join(root, arg) : join(cwd, arg);
        return void transfer(listing(target, verb));
      }
      case 'QUIT':
        send('221 Bye\r\n');
        return control.end();
      default:
        return send('502 Not implemented\r\n');
    }
  };
  let pending = '';
  control.setEncoding('utf8');
  control.on('data', (chunk) => {
    pending += chunk;
    let end = pending.indexOf('\r\n');
    while (end >= 0) {
      handle(pending.slice(0, end));
      pending = pending.slice(end + 2);
      end = pending.indexOf('\r\n');
    }
  });
  control.on('error', () => {});
  control.on('close', () => passive?.close());
  send('220 bare Node FTP\r\n');
}

const server = net.createServer({ noDelay: true }, session);
server.listen(0, '127.0.0.1', () =>
  process.stdout.write(`${JSON.stringify({ port: server.address().port })}\n`),
);
process.once('SIGTERM', () => process.exit(0));
