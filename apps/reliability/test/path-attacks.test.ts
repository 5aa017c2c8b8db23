/**
 * Path attacks on LocalFileSystem through a live server, for every operation that takes a path:
 * reads (RETR, SIZE, MDTM, HASH, MLST, STAT), writes (STOR, APPE, STOU target dir), listings
 * (LIST, NLST, MLSD), renames (RNFR/RNTO both ways), deletes (DELE, RMD), MKD, CWD.
 * Attacks: `..` in every position, absolute paths, encoded and doubled separators, backslashes,
 * NUL, over-long names and paths, and symlinks inside the root pointing out of it.
 * Properties: the directory outside the root is byte-for-byte unchanged, its secret content and
 * its entry names never reach the client, and symlinked-out targets are refused.
 */
import { mkdir, readdir, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { LocalFileSystem } from '@ftpkit/server';
import { type TempDir, tempDir } from '@ftpkit/test-utils';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Fixture, startServer, treeSnapshot } from '../src/harness.ts';
import { type RawClient, readAll, writeAll } from '../src/raw-client.ts';

const SECRET = 'TOP-SECRET-CONTENT-4711';
const HIDDEN = 'hidden-entry-7f3a';

let dir: TempDir;
let f: Fixture;
let root: string;

beforeEach(async () => {
  dir = await tempDir('ftpkit-paths-');
  root = path.join(dir.path, 'root');
  const outside = path.join(dir.path, 'outside');
  await mkdir(path.join(root, 'sub', 'deeper'), { recursive: true });
  await mkdir(path.join(outside, 'victim-dir'), { recursive: true });
  await writeFile(path.join(outside, 'secret.txt'), SECRET);
  await writeFile(path.join(outside, HIDDEN), SECRET);
  await writeFile(path.join(root, 'ok.txt'), 'fine');
  await writeFile(path.join(root, 'sub', 'ok.txt'), 'fine');
  await symlink(outside, path.join(root, 'link-out'));
  await symlink(path.join(outside, 'secret.txt'), path.join(root, 'link-file'));
  await symlink('..', path.join(root, 'link-parent'));
  await symlink('../../outside', path.join(root, 'sub', 'link-rel'));
  await symlink('/etc', path.join(root, 'link-etc'));
  f = await startServer({ fileSystem: new LocalFileSystem({ root }), limits: { dataConnectTimeout: 2000 } });
});

afterEach(async () => {
  await f.close();
  await dir.cleanup();
});

/** Every spelling of "get out of the root" for a target name. */
function attacks(name: string): string[] {
  return [
    `../${name}`,
    `../../../../../../../../${name}`,
    `/../outside/${name}`,
    `/../../outside/${name}`,
    `sub/../../outside/${name}`,
    `sub/deeper/../../../outside/${name}`,
    `./../outside/${name}`,
    `..//outside//${name}`,
    `//..//outside/${name}`,
    `...//outside/${name}`,
    `..\\outside\\${name}`,
    `sub\\..\\..\\outside\\${name}`,
    `%2e%2e/outside/${name}`,
    `%2e%2e%2foutside%2f${name}`,
    `..%2foutside%2f${name}`,
    `..%c0%afoutside/${name}`,
    `${dir.path}/outside/${name}`,
    `${path.join(dir.path, 'outside', name)}`,
    `link-out/${name}`,
    `link-parent/outside/${name}`,
    `link-parent/../outside/${name}`,
    `sub/link-rel/${name}`,
    `link-out/../outside/${name}`,
    `link-etc/passwd`,
  ];
}

const NUL_AND_LONG = ['a\0b', `ok.txt\0../../outside/secret.txt`, 'x'.repeat(256), `${'d/'.repeat(2100)}x`];

interface Outcome {
  command: string;
  code: number;
  text: string;
  data: string;
}

async function dataCommand(c: RawClient, line: string, upload?: string): Promise<Outcome> {
  const d = await c.pasv();
  const reply = await c.send(line);
  let data = '';
  if (reply.code === 150) {
    if (upload !== undefined) await writeAll(d, upload);
    else data = (await readAll(d)).toString('latin1');
    const final = await c.read();
    return { command: line, code: final.code, text: final.lines.join('\n'), data };
  }
  d.destroy();
  return { command: line, code: reply.code, text: reply.lines.join('\n'), data };
}

async function controlCommand(c: RawClient, line: string): Promise<Outcome> {
  const r = await c.send(line);
  return { command: line, code: r.code, text: r.lines.join('\n'), data: '' };
}

function expectNoLeak(outcomes: Outcome[]): void {
  for (const o of outcomes) {
    expect(o.data, o.command).not.toContain(SECRET);
    expect(o.text, o.command).not.toContain(SECRET);
    expect(o.data, o.command).not.toContain(HIDDEN);
    expect(o.text, o.command).not.toContain(HIDDEN);
    // Real paths never appear in replies.
    expect(o.text, o.command).not.toContain(dir.path.slice(1, 20) + '/outside');
  }
}

describe('path attacks on LocalFileSystem', () => {
  it('reads and metadata (RETR, SIZE, MDTM, HASH, MLST, STAT) never reach outside the root', async () => {
    const before = await treeSnapshot(dir.path, ['root']);
    const c = await f.login();
    await c.send('TYPE I');
    const outcomes: Outcome[] = [];
    for (const target of [...attacks('secret.txt'), 'link-file', ...NUL_AND_LONG]) {
      outcomes.push(await dataCommand(c, `RETR ${target}`));
      for (const verb of ['SIZE', 'MDTM', 'HASH', 'MLST', 'STAT'])
        outcomes.push(await controlCommand(c, `${verb} ${target}`));
    }
    expectNoLeak(outcomes);
    for (const o of outcomes.filter((x) => x.command.startsWith('RETR')))
      expect(o.code, o.command).toBeGreaterThanOrEqual(400);
    for (const o of outcomes.filter((x) => /^(SIZE|MDTM|HASH) /.test(x.command)))
      expect(o.code, o.command).toBeGreaterThanOrEqual(500);
    expect(await treeSnapshot(dir.path, ['root'])).toEqual(before);
    expect((await c.send('NOOP')).code).toBe(200);
  });

  it('listings (LIST, NLST, MLSD, CWD) never show what is outside the root', async () => {
    const before = await treeSnapshot(dir.path, ['root']);
    const c = await f.login();
    const outcomes: Outcome[] = [];
    const dirs = [
      ...attacks('victim-dir'),
      '..',
      '../..',
      '/..',
      'link-out',
      'link-parent',
      'sub/link-rel',
      'link-etc',
      `${dir.path}/outside`,
    ];
    for (const target of [...dirs, ...NUL_AND_LONG]) {
      for (const verb of ['LIST', 'NLST', 'MLSD']) outcomes.push(await dataCommand(c, `${verb} ${target}`));
      const cwd = await controlCommand(c, `CWD ${target}`);
      outcomes.push(cwd);
      const pwd = await controlCommand(c, 'PWD');
      outcomes.push(pwd);
      if (cwd.code === 250) outcomes.push(await dataCommand(c, 'LIST'));
      await c.send('CWD /');
    }
    expectNoLeak(outcomes);
    // Listings of "outside" either fail or show the root's own entries (.. at / stays at /).
    for (const o of outcomes.filter((x) => x.data !== ''))
      expect(o.data, o.command).not.toContain('secret.txt');
    expect(await treeSnapshot(dir.path, ['root'])).toEqual(before);
  });

  it('writes (STOR, APPE, MKD, STOU in a linked dir) never create or change anything outside the root', async () => {
    const before = await treeSnapshot(dir.path, ['root']);
    const c = await f.login();
    await c.send('TYPE I');
    const outcomes: Outcome[] = [];
    for (const target of [
      ...attacks('secret.txt'),
      ...attacks('new-file.txt'),
      'link-file',
      ...NUL_AND_LONG,
    ]) {
      outcomes.push(await dataCommand(c, `STOR ${target}`, 'PWNED'));
      outcomes.push(await dataCommand(c, `APPE ${target}`, 'PWNED'));
      outcomes.push(await controlCommand(c, `MKD ${target}.d`));
    }
    for (const cwd of ['link-out', 'link-parent/outside', 'sub/link-rel']) {
      if ((await c.send(`CWD ${cwd}`)).code === 250) outcomes.push(await dataCommand(c, 'STOU', 'PWNED'));
      await c.send('CWD /');
    }
    expectNoLeak(outcomes);
    // Writes through symlinks that point out of the root are refused.
    for (const o of outcomes.filter((x) =>
      /^(STOR|APPE) (link-out|link-file|link-parent\/outside|sub\/link-rel)/.test(x.command),
    )) {
      expect(o.code, o.command).toBeGreaterThanOrEqual(500);
    }
    expect(await treeSnapshot(dir.path, ['root'])).toEqual(before);
    // Only clamped copies inside the root were written (`..` at / stays at /).
    const written = await readdir(root);
    expect(written).not.toContain('outside');
  });

  it('renames and deletes (RNFR/RNTO both ways, DELE, RMD) never touch anything outside the root', async () => {
    const before = await treeSnapshot(dir.path, ['root']);
    const c = await f.login();
    const outcomes: Outcome[] = [];
    for (const target of [
      ...attacks('secret.txt'),
      ...attacks('victim-dir'),
      'link-out/secret.txt',
      ...NUL_AND_LONG,
    ]) {
      // Out of the root → in.
      const from = await controlCommand(c, `RNFR ${target}`);
      outcomes.push(from);
      if (from.code === 350) outcomes.push(await controlCommand(c, 'RNTO stolen.txt'));
      // In → out of the root.
      await writeFile(path.join(root, 'mine.txt'), 'mine');
      if ((await c.send('RNFR mine.txt')).code === 350)
        outcomes.push(await controlCommand(c, `RNTO ${target}`));
      outcomes.push(await controlCommand(c, `DELE ${target}`));
      outcomes.push(await controlCommand(c, `RMD ${target}`));
    }
    expectNoLeak(outcomes);
    for (const o of outcomes.filter((x) =>
      /^(DELE|RMD) (link-out\/|link-parent\/outside|sub\/link-rel)/.test(x.command),
    )) {
      expect(o.code, o.command).toBeGreaterThanOrEqual(500);
    }
    expect(await treeSnapshot(dir.path, ['root'])).toEqual(before);
    // The links themselves may be removed (they are inside the root), never what they point to.
    expect((await c.send('DELE link-file')).code).toBe(250);
    expect((await c.send('RNFR link-out')).code).toBe(350);
    expect((await c.send('RNTO renamed-link')).code).toBe(250);
    expect(await treeSnapshot(dir.path, ['root'])).toEqual(before);
  });

  it('NUL and over-long names are refused with 501/553 (or 500 for an over-long line)', async () => {
    const c = await f.login();
    expect((await c.send('MKD a\0b')).code).toBe(501);
    expect((await c.send(`MKD ${'x'.repeat(256)}`)).code).toBe(553);
    expect((await c.send(`CWD ${'d/'.repeat(2100)}x`)).code).toBe(500);
    expect((await c.send(`MKD ${'d/'.repeat(1000)}x`)).code).toBeGreaterThanOrEqual(550);
    expect((await c.send('PWD')).code).toBe(257);
  });
});
