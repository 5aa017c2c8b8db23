import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { type Client, connect } from '../src/index.js';
import { type FakeServer, startFakeServer } from './support/fake-server.js';

let server: FakeServer | undefined;
let client: Client | undefined;
afterEach(async () => {
  await client?.close();
  await server?.close();
  client = undefined;
  server = undefined;
});

function sink(): { stream: Writable; text: () => string } {
  const chunks: Buffer[] = [];
  return {
    stream: new Writable({
      write(chunk, _e, cb) {
        chunks.push(chunk);
        cb();
      },
    }),
    text: () => Buffer.concat(chunks).toString(),
  };
}

describe('basics against the fake server', () => {
  it('logs in, reads FEAT, downloads', async () => {
    server = await startFakeServer({ files: { 'a.txt': 'hello world' } });
    client = await connect(server.url);
    expect(client.features.has('MLST')).toBe(true);
    const out = sink();
    const r = await client.download('a.txt', out.stream);
    expect(out.text()).toBe('hello world');
    expect(r.bytes).toBe(11);
    expect(server.commands.slice(0, 6)).toEqual([
      'USER test',
      'PASS secret',
      'FEAT',
      'OPTS UTF8 ON',
      'TYPE I',
      'EPSV',
    ]);
  });
});
