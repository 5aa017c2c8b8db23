/**
 * A download received into process.stdout completes. pipe() never ends stdout, so a receive that
 * relied on it waited for 'finish' forever when the data arrived after the transfer started (seen
 * as an intermittent hang of `ftpkit get URL -`). Run in a child process, whose stdout we read.
 */
import { spawn } from 'node:child_process';
import net from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const here = dirname(fileURLToPath(import.meta.url));
const entry = join(here, '..', 'src', 'index.ts');

describe('DataChannel.receive into process.stdout', () => {
  it('ends and resolves when the data arrives after receive() started', async () => {
    const payload = 'late bytes\n'.repeat(2000);
    const server = net.createServer((socket) => {
      // Later than the child needs to start receiving, so the pipe() path is the one taken.
      setTimeout(() => socket.end(payload), 300);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as net.AddressInfo;
    const script = [
      `import { connectPassive } from ${JSON.stringify(entry)};`,
      `const data = await connectPassive({ host: '127.0.0.1', port: ${port} });`,
      'const { bytes } = await data.receive(process.stdout);',
      "process.stderr.write('done ' + bytes);",
      // The caller's stdout stays usable after the transfer (it is not ended).
      "process.stdout.write('after');",
    ].join('\n');
    const child = spawn(
      process.execPath,
      ['--conditions=@ftpkit/source', '--import', 'tsx', '--input-type=module', '-e', script],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString();
    });
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    clearTimeout(timer);
    await new Promise<void>((resolve) => server.close(() => resolve()));
    expect({ code, stderr: stderr.slice(-40) }).toEqual({ code: 0, stderr: `done ${payload.length}` });
    expect(stdout).toBe(`${payload}after`);
  }, 30_000);
});
