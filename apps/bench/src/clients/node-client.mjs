/**
 * ftpkit's client and basic-ftp, driven from a child process of the bench so that each runs alone
 * in its own Node process (as a user's program would) and its CPU is its own.
 *
 *   node node-client.mjs '<json task>'
 *
 * Plain JavaScript on the built @ftpkit/client (dist), as users run it: not through tsx, whose
 * loader and esbuild-compiled closures would be measured too.
 *
 * Times connect + login + the transfers + QUIT (as curl's wall time covers), prints
 * `{"seconds": s, "cpu": s, "bytes": n}`. Downloads go to a discarding sink (curl's -o /dev/null),
 * uploads read local files from tmpfs.
 */
import { Writable } from 'node:stream';
import { connect, createPool } from '@ftpkit/client';
import { Client as BasicFtp } from 'basic-ftp';

/**
 * files: remote names (download) or local paths (upload; the remote name is the base name + suffix);
 * with op 'list', the directory listed `repeat` times.
 * @type {{ client: 'ftpkit' | 'basic-ftp', op: 'download' | 'upload' | 'list', files: string[], repeat?: number,
 *   uploadSuffix?: string, parallel: number, host: string, port: number, user: string,
 *   password: string, tls: boolean }}
 */
const task = JSON.parse(process.argv[2] ?? '{}');
let bytes = 0;
const sink = () =>
  new Writable({
    highWaterMark: 1 << 20,
    write(chunk, _encoding, callback) {
      bytes += chunk.length;
      callback();
    },
  });
/** @param {string} local */
const remoteName = (local) => `${local.slice(local.lastIndexOf('/') + 1)}${task.uploadSuffix ?? ''}`;

async function runFtpkit() {
  const options = {
    host: task.host,
    port: task.port,
    user: task.user,
    password: task.password,
    ...(task.tls ? { secure: /** @type {const} */ (true), tls: { rejectUnauthorized: false } } : {}),
    keepaliveInterval: 0,
  };
  if (task.parallel <= 1) {
    const client = await connect(options);
    try {
      for (const file of task.files) {
        if (task.op === 'download') await client.download(file, sink());
        else bytes += (await client.upload(file, remoteName(file))).bytes;
      }
    } finally {
      await client.close();
    }
    return;
  }
  const pool = createPool({ ...options, size: task.parallel });
  try {
    let next = 0;
    const worker = async () => {
      while (next < task.files.length) {
        const file = task.files[next++];
        if (task.op === 'download') await pool.download(file, sink());
        else bytes += (await pool.upload(file, remoteName(file))).bytes;
      }
    };
    await Promise.all(Array.from({ length: task.parallel }, worker));
  } finally {
    await pool.close();
  }
}

async function runBasicFtp() {
  const connectOne = async () => {
    const client = new BasicFtp(60_000);
    await client.access({
      host: task.host,
      port: task.port,
      user: task.user,
      password: task.password,
      secure: task.tls,
      secureOptions: { rejectUnauthorized: false },
    });
    return client;
  };
  const clients = await Promise.all(Array.from({ length: Math.max(1, task.parallel) }, connectOne));
  try {
    let next = 0;
    await Promise.all(
      clients.map(async (client) => {
        while (next < task.files.length) {
          const file = task.files[next++];
          if (task.op === 'download') await client.downloadTo(sink(), file);
          else await client.uploadFrom(file, remoteName(file));
        }
      }),
    );
  } finally {
    for (const client of clients) client.close();
  }
}

/**
 * `op: 'list'`: one connection, `repeat` parsed listings of `files[0]`; prints the median
 * listing's seconds (login excluded) and the entries of one listing.
 */
async function runListings() {
  const times = [];
  let entries = 0;
  const timed = async (list) => {
    for (let i = 0; i < (task.repeat ?? 3); i++) {
      const t = performance.now();
      entries = (await list(task.files[0])).length;
      times.push((performance.now() - t) / 1000);
    }
  };
  const cpu0 = process.cpuUsage();
  if (task.client === 'ftpkit') {
    const client = await connect({
      host: task.host,
      port: task.port,
      user: task.user,
      password: task.password,
      keepaliveInterval: 0,
    });
    try {
      await timed((path) => client.list(path));
    } finally {
      await client.close();
    }
  } else {
    const client = new BasicFtp(60_000);
    await client.access({ host: task.host, port: task.port, user: task.user, password: task.password });
    try {
      await timed((path) => client.list(path));
    } finally {
      client.close();
    }
  }
  const cpu = process.cpuUsage(cpu0);
  times.sort((a, b) => a - b);
  const seconds = times[Math.floor(times.length / 2)];
  process.stdout.write(
    `${JSON.stringify({ seconds, cpu: (cpu.user + cpu.system) / 1e6, bytes: entries })}\n`,
  );
  process.exit(0);
}

if (task.op === 'list') await runListings();
const cpu0 = process.cpuUsage();
const start = performance.now();
if (task.client === 'ftpkit') await runFtpkit();
else await runBasicFtp();
const seconds = (performance.now() - start) / 1000;
const cpu = process.cpuUsage(cpu0);
process.stdout.write(`${JSON.stringify({ seconds, cpu: (cpu.user + cpu.system) / 1e6, bytes })}\n`);
process.exit(0);
