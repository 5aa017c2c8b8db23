/**
 * Child process for the "process exits cleanly" check: starts a server, puts it under load
 * (sessions mid-download, mid-upload, idle), calls `close({ deadline })`, closes its own
 * clients, prints a summary line and then simply returns. If any handle (socket, listener,
 * timer) were left, the event loop would keep the process alive and the parent's bound fails.
 */
import { randomBytes } from 'node:crypto';
import { MemoryFileSystem } from '@ftpkit/server';
import { startServer } from './harness.ts';

const f = await startServer({
  fileSystem: new MemoryFileSystem({ files: { '/big.bin': randomBytes(8 * 1024 * 1024) } }),
});
const clients = await Promise.all(Array.from({ length: 12 }, () => f.login()));
let transfers = 0;
for (const [i, c] of clients.entries()) {
  await c.send('TYPE I');
  if (i % 3 === 0) {
    const d = await c.pasv();
    d.pause(); // a slow reader: the download cannot finish before the deadline
    if ((await c.send('RETR big.bin')).code === 150) transfers++;
  } else if (i % 3 === 1) {
    const d = await c.pasv();
    if ((await c.send(`STOR up-${i}.bin`)).code === 150) transfers++;
    d.write(Buffer.alloc(1024));
  }
}
const started = Date.now();
await f.server.close({ deadline: 500 });
await f.close();
console.log(JSON.stringify({ transfers, sessions: f.server.sessionCount, closeMs: Date.now() - started }));
