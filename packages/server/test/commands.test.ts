/** Each verb's success and error paths over a real loopback socket, and the session staying usable. */
import { describe, expect, it } from 'vitest';
import { readAll, writeAll } from './support/raw-client.ts';
import { startServer } from './support/server.ts';

describe('access control: USER, PASS, ACCT, REIN, QUIT', () => {
  it('USER → 331, PASS → 230; bad password → 530 and the session can retry', async () => {
    const f = await startServer();
    const c = await f.connect();
    expect((await c.read()).code).toBe(220);
    expect(await c.cmd('USER alice')).toBe('331 Please specify the password.');
    expect(await c.cmd('PASS wrong')).toBe('530 Login incorrect.');
    expect((await c.send('PWD')).code).toBe(530);
    expect((await c.login('alice', 'secret')).code).toBe(230);
    expect((await c.send('PWD')).code).toBe(257);
  });

  it('unknown user gets the same replies as a wrong password (no enumeration)', async () => {
    const f = await startServer();
    const c = await f.connect();
    await c.read();
    expect(await c.cmd('USER nobody')).toBe('331 Please specify the password.');
    expect(await c.cmd('PASS x')).toBe('530 Login incorrect.');
  });

  it('PASS without USER → 503; PASS after login → 503; USER after login → 530', async () => {
    const f = await startServer();
    const c = await f.connect();
    await c.read();
    expect((await c.send('PASS x')).code).toBe(503);
    await c.login('alice', 'secret');
    expect((await c.send('PASS secret')).code).toBe(503);
    expect((await c.send('USER reader')).code).toBe(530);
  });

  it('commands before login → 530; USER without argument → 501', async () => {
    const f = await startServer();
    const c = await f.connect();
    await c.read();
    for (const line of ['CWD /', 'PWD', 'LIST', 'RETR x', 'STOR x', 'MKD x', 'PASV', 'TYPE I', 'SIZE x']) {
      expect(await c.cmd(line), line).toMatch(/^530/);
    }
    expect((await c.send('USER')).code).toBe(501);
    expect((await c.send('NOOP')).code).toBe(200);
  });

  it('ACCT → 202, REIN → 220 and logs out, QUIT → 221 and closes', async () => {
    const f = await startServer();
    const c = await f.login();
    expect((await c.send('ACCT x')).code).toBe(202);
    expect((await c.send('REIN')).code).toBe(220);
    expect((await c.send('PWD')).code).toBe(530);
    expect((await c.login('reader', 'secret')).code).toBe(230);
    expect(await c.cmd('QUIT')).toBe('221 Goodbye.');
    await expect(c.read(2000)).rejects.toThrow(/closed/);
  });
});

describe('navigation: CWD, CDUP, PWD, X-aliases, MKD, RMD', () => {
  it('CWD/CDUP/PWD and their RFC 775 aliases', async () => {
    const f = await startServer({ files: { '/a b/c "q"/f.txt': 'x', '/file': 'y' } });
    const c = await f.login();
    expect((await c.send('CWD /a b')).code).toBe(250);
    expect((await c.send('XCWD c "q"')).code).toBe(250);
    expect(await c.cmd('PWD')).toBe('257 "/a b/c ""q""" is the current directory');
    expect((await c.send('CDUP')).code).toBe(200);
    expect(await c.cmd('XPWD')).toBe('257 "/a b" is the current directory');
    expect((await c.send('XCUP')).code).toBe(200);
    expect((await c.send('CDUP')).code).toBe(200);
    expect(await c.cmd('PWD')).toBe('257 "/" is the current directory');
    expect((await c.send('CWD missing')).code).toBe(550);
    expect((await c.send('CWD /file')).code).toBe(550);
    expect((await c.send('CWD')).code).toBe(501);
  });

  it('`..` never leaves the root; NUL in a path → 501', async () => {
    const f = await startServer();
    const c = await f.login();
    expect((await c.send('CWD ../../../..')).code).toBe(250);
    expect(await c.cmd('PWD')).toBe('257 "/" is the current directory');
    expect((await c.send('CWD /pub/../../../pub')).code).toBe(250);
    expect(await c.cmd('PWD')).toBe('257 "/pub" is the current directory');
    c.write(Buffer.from('CWD a\0b\r\n'));
    expect((await c.read()).code).toBe(501);
    expect((await c.send('NOOP')).code).toBe(200);
  });

  it('MKD → 257 quoted; existing → 550; RMD → 250; non-empty/missing → 550; XMKD/XRMD', async () => {
    const f = await startServer();
    const c = await f.login();
    expect(await c.cmd('MKD new "dir"')).toBe('257 "/new ""dir""" created');
    expect((await c.send('MKD new "dir"')).code).toBe(550);
    expect((await c.send('XMKD /ünï')).code).toBe(257);
    expect((await c.send('RMD /pub')).code).toBe(550);
    expect((await c.send('RMD nothing')).code).toBe(550);
    expect((await c.send('RMD new "dir"')).code).toBe(250);
    expect((await c.send('XRMD /ünï')).code).toBe(250);
    expect((await c.send('MKD')).code).toBe(501);
  });
});

describe('transfer parameters: TYPE, STRU, MODE, PORT, PASV, EPSV, EPRT', () => {
  it('TYPE A/I/L 8 → 200; E, A T, L 7 → 504; bad → 501', async () => {
    const f = await startServer();
    const c = await f.login();
    for (const t of ['A', 'A N', 'I', 'L 8', 'L8', 'a', 'i'])
      expect((await c.send(`TYPE ${t}`)).code, t).toBe(200);
    for (const t of ['E', 'A T', 'A C', 'L 7']) expect((await c.send(`TYPE ${t}`)).code, t).toBe(504);
    for (const t of ['', 'XX', 'I X']) expect((await c.send(`TYPE ${t}`.trim())).code, t).toBe(501);
  });

  it('STRU F / MODE S → 200; others → 504', async () => {
    const f = await startServer();
    const c = await f.login();
    expect((await c.send('STRU F')).code).toBe(200);
    expect((await c.send('STRU R')).code).toBe(504);
    expect((await c.send('STRU P')).code).toBe(504);
    expect((await c.send('MODE S')).code).toBe(200);
    expect((await c.send('MODE B')).code).toBe(504);
    expect((await c.send('MODE C')).code).toBe(504);
  });

  it('PASV → 227, EPSV → 229, EPSV 1 → 229, EPSV 2 → 522, EPSV ALL then PASV/PORT/EPRT → 501', async () => {
    const f = await startServer();
    const c = await f.login();
    expect(await c.cmd('PASV')).toMatch(/^227 Entering Passive Mode \(127,0,0,1,\d+,\d+\)\.$/);
    expect(await c.cmd('EPSV')).toMatch(/^229 Entering Extended Passive Mode \(\|\|\|\d+\|\)$/);
    expect((await c.send('EPSV 1')).code).toBe(229);
    expect(await c.cmd('EPSV 2')).toMatch(/^522 .*\(1\)/);
    expect((await c.send('EPSV 7')).code).toBe(522);
    expect((await c.send('EPSV ALL')).code).toBe(200);
    expect((await c.send('PASV')).code).toBe(501);
    expect((await c.send('PORT 127,0,0,1,200,10')).code).toBe(501);
    expect((await c.send('EPRT |1|127.0.0.1|51210|')).code).toBe(501);
    expect((await c.send('EPSV')).code).toBe(229);
  });

  it('PORT/EPRT: malformed → 501; IPv6 EPRT on an IPv4 session → 522; data via PORT works', async () => {
    const f = await startServer();
    const c = await f.login();
    expect((await c.send('PORT 1,2,3')).code).toBe(501);
    expect((await c.send('PORT 300,0,0,1,4,1')).code).toBe(501);
    expect((await c.send('EPRT |2|::1|5000|')).code).toBe(522);
    expect((await c.send('EPRT |1|127.0.0.1|51210|')).code).toBe(200);
    const active = await c.port();
    expect(active.reply.code).toBe(200);
    expect((await c.send('RETR /pub/readme.txt')).code).toBe(150);
    expect((await readAll(await active.accept())).toString()).toBe('hello\r\n');
    expect((await c.read()).code).toBe(226);
  });
});

describe('file commands', () => {
  it('RETR missing → 550 without opening data; directory → 550; data commands before PASV/PORT → 425', async () => {
    const f = await startServer();
    const c = await f.login();
    expect((await c.send('RETR nothing')).code).toBe(550);
    expect((await c.send('RETR /pub')).code).toBe(550);
    expect(await c.cmd('RETR /pub/readme.txt')).toBe('425 Use PORT, EPRT, PASV or EPSV first.');
    expect((await c.send('LIST')).code).toBe(425);
    expect((await c.send('STOR x')).code).toBe(425);
    expect((await c.send('NOOP')).code).toBe(200);
  });

  it('TYPE A converts LF → CRLF on RETR and CRLF → LF on STOR; TYPE I keeps bytes', async () => {
    const f = await startServer({ files: { '/t.txt': 'a\nb\r\nc\n' } });
    const c = await f.login();
    await c.send('TYPE A');
    let d = await c.pasv();
    await c.send('RETR t.txt');
    expect((await readAll(d)).toString()).toBe('a\r\nb\r\nc\r\n');
    expect((await c.read()).code).toBe(226);
    d = await c.pasv();
    expect((await c.send('STOR u.txt')).code).toBe(150);
    await writeAll(d, 'x\r\ny\r\n');
    expect((await c.read()).code).toBe(226);
    await c.send('TYPE I');
    d = await c.pasv();
    await c.send('RETR u.txt');
    expect((await readAll(d)).toString()).toBe('x\ny\n');
    expect((await c.read()).code).toBe(226);
  });

  it('REST + RETR resumes; REST + STOR writes at the offset; bad REST → 501; offset past EOF → 554', async () => {
    const f = await startServer({ files: { '/f.bin': '0123456789' } });
    const c = await f.login();
    await c.send('TYPE I');
    expect(await c.cmd('REST 4')).toMatch(/^350 /);
    let d = await c.pasv();
    await c.send('RETR f.bin');
    expect((await readAll(d)).toString()).toBe('456789');
    expect((await c.read()).code).toBe(226);
    // The offset applies once.
    d = await c.pasv();
    await c.send('RETR f.bin');
    expect((await readAll(d)).toString()).toBe('0123456789');
    await c.read();
    await c.send('REST 5');
    d = await c.pasv();
    expect((await c.send('STOR f.bin')).code).toBe(150);
    await writeAll(d, 'ABCDEFG');
    expect((await c.read()).code).toBe(226);
    d = await c.pasv();
    await c.send('RETR f.bin');
    expect((await readAll(d)).toString()).toBe('01234ABCDEFG');
    await c.read();
    expect((await c.send('REST -1')).code).toBe(501);
    expect((await c.send('REST abc')).code).toBe(501);
    await c.send('REST 999');
    await c.pasv();
    expect((await c.send('RETR f.bin')).code).toBe(554);
  });

  it('APPE appends (and creates); STOU replies 150 FILE: <name> and stores under a new name', async () => {
    const f = await startServer({ files: { '/log.txt': 'one\n' } });
    const c = await f.login();
    await c.send('TYPE I');
    let d = await c.pasv();
    expect((await c.send('APPE log.txt')).code).toBe(150);
    await writeAll(d, 'two\n');
    expect((await c.read()).code).toBe(226);
    d = await c.pasv();
    await c.send('APPE new.txt');
    await writeAll(d, 'fresh');
    expect((await c.read()).code).toBe(226);
    d = await c.pasv();
    const stou = await c.send('STOU');
    expect(stou.code).toBe(150);
    const name = /^FILE: (\S+)$/.exec(stou.lines[0]!)?.[1];
    expect(name).toMatch(/^ftpkit\.[0-9a-f]{8}$/);
    await writeAll(d, 'unique');
    expect((await c.read()).code).toBe(226);
    expect(await c.cmd('STOU')).toBe('425 Use PORT, EPRT, PASV or EPSV first.');
    d = await c.pasv();
    await c.send(`RETR ${name}`);
    expect((await readAll(d)).toString()).toBe('unique');
    await c.read();
    d = await c.pasv();
    await c.send('RETR log.txt');
    expect((await readAll(d)).toString()).toBe('one\ntwo\n');
    await c.read();
    d = await c.pasv();
    await c.send('RETR new.txt');
    expect((await readAll(d)).toString()).toBe('fresh');
  });

  it('RNFR/RNTO; RNTO without RNFR → 503; another command between them cancels; missing → 550', async () => {
    const f = await startServer({ files: { '/a.txt': 'a' } });
    const c = await f.login();
    expect((await c.send('RNTO b.txt')).code).toBe(503);
    expect((await c.send('RNFR missing')).code).toBe(550);
    expect((await c.send('RNFR a.txt')).code).toBe(350);
    expect((await c.send('NOOP')).code).toBe(200);
    expect((await c.send('RNTO b.txt')).code).toBe(503);
    expect((await c.send('RNFR a.txt')).code).toBe(350);
    expect((await c.send('RNTO with space "quoted" ü.txt')).code).toBe(250);
    expect((await c.send('SIZE with space "quoted" ü.txt')).code).toBe(213);
    expect((await c.send('RNFR /')).code).toBe(550);
  });

  it('DELE → 250; missing or a directory → 550', async () => {
    const f = await startServer({ files: { '/a.txt': 'a' } });
    const c = await f.login();
    expect((await c.send('DELE a.txt')).code).toBe(250);
    expect((await c.send('DELE a.txt')).code).toBe(550);
    expect((await c.send('DELE /pub')).code).toBe(550);
    expect((await c.send('DELE')).code).toBe(501);
  });

  it('SIZE, MDTM, MFMT; errors on directories and missing files', async () => {
    const f = await startServer({ files: { '/a.txt': 'hello' } });
    const c = await f.login();
    expect(await c.cmd('SIZE a.txt')).toBe('213 5');
    expect((await c.send('SIZE /pub')).code).toBe(550);
    expect((await c.send('SIZE nope')).code).toBe(550);
    expect(await c.cmd('MFMT 20200102030405 a.txt')).toBe('213 Modify=20200102030405; a.txt');
    expect(await c.cmd('MDTM a.txt')).toBe('213 20200102030405');
    expect((await c.send('MDTM /pub')).code).toBe(550);
    expect((await c.send('MFMT 2020 a.txt')).code).toBe(501);
    expect((await c.send('MFMT 20200102030405 missing')).code).toBe(550);
    expect((await c.send('MFCT 20200102030405 a.txt')).code).toBe(502);
  });

  it('HASH with every algorithm (OPTS HASH), 550 for directories, 501 for unknown algorithms', async () => {
    const f = await startServer({ files: { '/a.txt': 'hello' } });
    const c = await f.login();
    expect(await c.cmd('OPTS HASH')).toBe('200 SHA-256');
    expect(await c.cmd('HASH a.txt')).toBe(
      '213 SHA-256 0-5 2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824 a.txt',
    );
    await c.send('OPTS HASH SHA-1');
    expect(await c.cmd('HASH a.txt')).toBe('213 SHA-1 0-5 aaf4c61ddcc5e8a2dabede0f3b482cd9aea9434d a.txt');
    await c.send('OPTS HASH MD5');
    expect(await c.cmd('HASH a.txt')).toBe('213 MD5 0-5 5d41402abc4b2a76b9719d911017c592 a.txt');
    await c.send('OPTS HASH crc32');
    expect(await c.cmd('HASH a.txt')).toBe('213 CRC32 0-5 3610a686 a.txt');
    expect((await c.send('OPTS HASH SHA-3')).code).toBe(501);
    expect((await c.send('HASH /pub')).code).toBe(550);
    expect((await c.send('HASH missing')).code).toBe(550);
  });
});

describe('listings: LIST, NLST, MLSD, MLST, STAT', () => {
  it('LIST is ls -l; a file lists itself; -la is accepted; missing → 450', async () => {
    const f = await startServer({ files: { '/d/b.txt': '12', '/d/a.txt': '1', '/d/sub/': '' } });
    const c = await f.login();
    let d = await c.pasv();
    await c.send('LIST -la /d');
    const lines = (await readAll(d)).toString().split('\r\n');
    expect((await c.read()).code).toBe(226);
    expect(lines.pop()).toBe('');
    expect(lines.map((l) => l.split(' ').pop())).toEqual(['a.txt', 'b.txt', 'sub']);
    expect(lines[2]).toMatch(/^d/);
    d = await c.pasv();
    await c.send('LIST /d/b.txt');
    expect((await readAll(d)).toString()).toMatch(/^-rw-r--r-- 1 ftp ftp 2 .* b\.txt\r\n$/);
    await c.read();
    await c.pasv();
    expect((await c.send('LIST /nope')).code).toBe(450);
  });

  it('NLST names; MLSD facts; OPTS MLST selects facts; MLST on one entry', async () => {
    const f = await startServer({ files: { '/d/a.txt': '1', '/d/sub/': '' } });
    const c = await f.login();
    let d = await c.pasv();
    await c.send('NLST /d');
    expect((await readAll(d)).toString()).toBe('a.txt\r\nsub\r\n');
    await c.read();
    d = await c.pasv();
    await c.send('MLSD /d');
    const mlsd = (await readAll(d)).toString();
    expect(mlsd).toMatch(/^type=file;size=1;modify=\d{14};perm=adfrw;UNIX\.mode=0644; a\.txt\r\n/m);
    expect(mlsd).toMatch(/type=dir;modify=\d{14};perm=cdelfmp;UNIX\.mode=0755; sub\r\n/);
    await c.read();
    expect(await c.cmd('OPTS MLST type;size;')).toBe('200 MLST OPTS type;size;');
    const mlst = await c.send('MLST /d/a.txt');
    expect(mlst.code).toBe(250);
    expect(mlst.lines[1]).toBe(' type=file;size=1; /d/a.txt');
    await c.pasv();
    expect((await c.send('MLSD /d/a.txt')).code).toBe(501);
    expect((await c.send('MLST /missing')).code).toBe(550);
  });

  it('STAT: 211 status, 212 directory listing, 213 file, 450 missing', async () => {
    const f = await startServer({ files: { '/d/a.txt': '1' } });
    const c = await f.login();
    const status = await c.send('STAT');
    expect(status.code).toBe(211);
    expect(status.lines).toContain('Logged in as alice');
    const dir = await c.send('STAT /d');
    expect(dir.code).toBe(212);
    expect(dir.lines[1]).toMatch(/^-rw-r--r-- 1 ftp ftp 1 .* a\.txt$/);
    expect((await c.send('STAT /d/a.txt')).code).toBe(213);
    expect((await c.send('STAT /none')).code).toBe(450);
  });
});

describe('informational and extension commands', () => {
  it('SYST, NOOP, HELP, HELP verb, HELP unknown, SITE HELP, unknown SITE, unknown verb, SMNT, ALLO', async () => {
    const f = await startServer();
    const c = await f.login();
    expect(await c.cmd('SYST')).toBe('215 UNIX Type: L8');
    expect(await c.cmd('NOOP')).toBe('200 NOOP ok.');
    const help = await c.send('HELP');
    expect(help.code).toBe(214);
    expect(help.lines.join(' ')).toMatch(/RETR/);
    expect(await c.cmd('HELP cwd')).toMatch(/^214 Syntax: CWD <SP> <pathname>/);
    expect(await c.cmd('HELP xcwd')).toMatch(/^214 Syntax: XCWD/);
    expect((await c.send('HELP BOGUS')).code).toBe(501);
    expect((await c.send('SITE HELP')).code).toBe(214);
    expect((await c.send('SITE CHMOD 755 x')).code).toBe(504);
    expect((await c.send('BOGUS')).code).toBe(500);
    expect((await c.send('MAIL x')).code).toBe(502);
    expect((await c.send('SMNT /x')).code).toBe(502);
    expect((await c.send('ALLO 100')).code).toBe(202);
    expect((await c.send('AVBL')).code).toBe(502);
    expect((await c.send('CLNT curl')).code).toBe(200);
  });

  it('FEAT lists exactly the implemented extensions; OPTS UTF8 ON; LANG', async () => {
    const f = await startServer();
    const c = await f.connect();
    await c.read();
    const feat = await c.send('FEAT');
    expect(feat.code).toBe(211);
    const features = feat.lines.slice(1, -1).map((l) => l.trim());
    expect(features).toEqual([
      'REST STREAM',
      'UTF8',
      'TVFS',
      'EPRT',
      'EPSV',
      'LANG EN*',
      'SIZE',
      'MDTM',
      'MLST type*;size*;modify*;create;perm*;unique;UNIX.mode*;UNIX.owner;UNIX.group;',
      'HOST',
      'MFMT',
      'HASH SHA-256*;SHA-1;MD5;CRC32',
      'CLNT',
    ]);
    expect(await c.cmd('OPTS UTF8 ON')).toBe('200 Always in UTF8 mode.');
    expect((await c.send('OPTS UTF8 OFF')).code).toBe(504);
    expect((await c.send('OPTS FOO')).code).toBe(501);
    expect((await c.send('LANG')).code).toBe(200);
    expect((await c.send('LANG en-US')).code).toBe(200);
    expect((await c.send('LANG fr')).code).toBe(504);
  });

  it('RFC 2228 verbs without TLS: AUTH → 502, PBSZ/PROT → 503, CCC 533 (not protected), ADAT 503, MIC/CONF/ENC 537', async () => {
    const f = await startServer();
    const c = await f.login();
    expect((await c.send('AUTH TLS')).code).toBe(502);
    expect((await c.send('PBSZ 0')).code).toBe(503);
    expect((await c.send('PROT P')).code).toBe(503);
    expect((await c.send('CCC')).code).toBe(533);
    expect((await c.send('ADAT Zm9v')).code).toBe(503);
    expect((await c.send('MIC Zm9v')).code).toBe(537);
    expect((await c.send('CONF Zm9v')).code).toBe(537);
    expect((await c.send('ENC Zm9v')).code).toBe(537);
    expect((await c.send('ENC')).code).toBe(501);
  });

  it('argument rules from the codec: extra argument → 501, unknown code → 504', async () => {
    const f = await startServer();
    const c = await f.login();
    expect((await c.send('PWD extra')).code).toBe(501);
    expect((await c.send('NOOP x')).code).toBe(501);
    expect((await c.send('PROT Q')).code).toBe(504);
    expect((await c.send('PASV now')).code).toBe(501);
  });
});
