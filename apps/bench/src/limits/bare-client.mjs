/**
 * The bare Node FTP client: the least a Node process can do to move many small files over FTP,
 * so that the bench can print how far ftpkit's client is from Node's own floor (as the bare pipe
 * does for one big file). Plain `net` sockets, no library, no checks beyond the reply codes: login,
 * TYPE I once, then per file PASV, connect, RETR or STOR, the bytes, 226. `parallel` connections
 * share the list, as ftpkit's pool and basic-ftp's ×4 do. Not a client anyone should use.
 *
 *   node bare-client.mjs '<json task>'   (node-client.mjs's task: op, files, parallel, host, ...)
 *
 * Times connect + login + the transfers + QUIT and prints `{"seconds": s, "cpu": s, "bytes": n}`.
 */
import { readFileSync } from 'node:fs';
import net from 'node:net';

/** @type {{ op: 'download' | 'upload', files: string[], parallel?: number, uploadSuffix?: string, host: string, port: number, user: string, password: string }} */
const task = JSON.parse(process.argv[2] ?? '{}');
let bytes = 0;

/** A control connection: `reply()` resolves with the next final reply line. */
async function open() {
  const control = net.connect(task.port, task.host);
  control.setNoDelay(true);
  control.setEncoding('latin1');
  const replies = [];
  const waiting = [];
  let pending = '';
  control.on('data', (chunk) => {
    pending += chunk;
    let end = pending.indexOf('\r\n');
    while (end >= 0) {
      const line = pending.slice(0, end);
      pending = pending.slice(end + 2);
      // Only "ddd " ends a reply; "ddd-" and continuation lines belong to a multi-line one.
      if (/^\d{3} /.test(line)) {
        const next = waiting.shift();
        if (next) next(line);
        else replies.push(line);
      }
      end = pending.indexOf('\r\n');
    }
  });
  const reply = () =>
    replies.length > 0 ? Promise.resolve(replies.shift()) : new Promise((r) => waiting.push(r));
  const expect = async (prefix) => {
    const line = await reply();
    if (!line.startsWith(prefix)) throw new Error(`expected ${prefix}, got ${line}`);
    return line;
  };
  const command = (line, prefix) => {
    control.write(`${line}\r\n`);
    return expect(prefix);
  };
  await expect('220');
  await command(`USER ${task.user}`, '331');
  await command(`PASS ${task.password}`, '230');
  await command('TYPE I', '200');
  return { control, command, expect };
}

/** PASV and a connected data socket. */
async function dataConnection(session) {
  const pasv = await session.command('PASV', '227');
  const n = /(\d+),(\d+),(\d+),(\d+),(\d+),(\d+)/.exec(pasv).slice(1).map(Number);
  const data = net.connect(n[4] * 256 + n[5], `${n[0]}.${n[1]}.${n[2]}.${n[3]}`);
  await new Promise((resolve, reject) => {
    data.once('connect', resolve);
    data.once('error', reject);
  });
  return data;
}

async function download(session, name) {
  const data = await dataConnection(session);
  const received = new Promise((resolve, reject) => {
    data.on('data', (chunk) => {
      bytes += chunk.length;
    });
    data.once('end', resolve);
    data.once('error', reject);
  });
  await session.command(`RETR ${name}`, '150');
  await received;
  data.destroy();
  await session.expect('226');
}

async function upload(session, path) {
  const data = await dataConnection(session);
  const body = readFileSync(path);
  await session.command(`STOR ${path.slice(path.lastIndexOf('/') + 1)}${task.uploadSuffix ?? ''}`, '150');
  await new Promise((resolve, reject) => {
    data.once('close', resolve);
    data.once('error', reject);
    data.end(body);
  });
  bytes += body.length;
  await session.expect('226');
}

const cpu0 = process.cpuUsage();
const started = performance.now();
let next = 0;
await Promise.all(
  Array.from({ length: Math.max(1, task.parallel ?? 1) }, async () => {
    const session = await open();
    while (next < task.files.length) {
      const file = task.files[next++];
      if (task.op === 'download') await download(session, file);
      else await upload(session, file);
    }
    await session.command('QUIT', '221');
    session.control.destroy();
  }),
);
const seconds = (performance.now() - started) / 1000;
const cpu = process.cpuUsage(cpu0);
process.stdout.write(`${JSON.stringify({ seconds, cpu: (cpu.user + cpu.system) / 1e6, bytes })}\n`);
