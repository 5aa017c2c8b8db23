/** examples/custom-server.ts (the README's example) works end to end. */
import { describe, expect, it } from 'vitest';
import { startCustomServer } from '../examples/custom-server.ts';
import { RawClient, readAll } from './support/raw-client.ts';

describe('examples/custom-server.ts', () => {
  it('logs in through the custom authenticator, answers SITE WHOAMI, serves the memory filesystem', async () => {
    const { server, port } = await startCustomServer();
    const c = await RawClient.connect(port);
    try {
      expect(await c.read().then((r) => r.lines[0])).toBe('Custom ftpkit demo server.');
      expect((await c.login('nobody', 'demo-password')).code).toBe(530);
      expect((await c.login('demo', 'demo-password')).code).toBe(230);
      expect(await c.cmd('SITE WHOAMI')).toBe('200 You are demo from 127.0.0.1; cwd /.');
      const help = await c.send('SITE HELP');
      expect(help.lines.join('\n')).toMatch(/WHOAMI: show the logged-in user/);
      const d = await c.pasv();
      await c.send('RETR welcome.txt');
      expect((await readAll(d)).toString()).toBe('Hello from a custom ftpkit server!\r\n');
      expect((await c.read()).code).toBe(226);
    } finally {
      await c.close();
      await server.close();
    }
  });
});
