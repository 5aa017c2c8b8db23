/**
 * Command micro-benchmarks: the server's hot path (one framed line in, one typed command out)
 * and the client's (one typed command in, one line out), over the mix of a real session.
 */
import { type Command, formatCommand, parseCommand } from '../src/index.ts';
import type { BenchCase } from './harness.ts';

/** What a typical client sends over one session: login, negotiation, navigation, transfers. */
const LINES = [
  'AUTH TLS',
  'PBSZ 0',
  'PROT P',
  'USER anonymous',
  'PASS guest@example.com',
  'SYST',
  'FEAT',
  'OPTS UTF8 ON',
  'PWD',
  'TYPE I',
  'CWD /pub/releases/2024',
  'EPSV',
  'LIST -la',
  'PASV',
  'MLSD',
  'SIZE ftpkit-1.2.3.tar.gz',
  'MDTM ftpkit-1.2.3.tar.gz',
  'REST 1048576',
  'RETR ftpkit-1.2.3.tar.gz',
  'PORT 192,168,1,20,195,80',
  'STOR upload/My Documents/report final.pdf',
  'EPRT |2|2001:db8::1|50000|',
  'type a',
  'cdup',
  'MKD new folder',
  'RNFR old name.txt',
  'RNTO new name.txt',
  'DELE tmp.bin',
  'NOOP',
  'MFMT 20240102030405 report final.pdf',
  'SITE CHMOD 644 report final.pdf',
  'QUIT',
];

const COMMANDS: readonly Command[] = LINES.map((line) => parseCommand(line));
const BATCH = 1024;
const MASK = 31;

if (LINES.length !== MASK + 1) throw new Error('the mix must hold 32 lines');

export const benches: BenchCase[] = [
  {
    name: 'parse command lines',
    opsPerRun: BATCH,
    target: 2_000_000,
    run: () => {
      let n = 0;
      for (let i = 0; i < BATCH; i++) n += parseCommand(LINES[i & MASK]!).verb.length;
      return n;
    },
  },
  {
    name: 'format commands',
    opsPerRun: BATCH,
    target: 2_000_000,
    run: () => {
      let n = 0;
      for (let i = 0; i < BATCH; i++) n += formatCommand(COMMANDS[i & MASK]!).length;
      return n;
    },
  },
];
