/**
 * Reply micro-benchmarks: the client's hot path (one single-line reply per TCP chunk, as a
 * server answers one command at a time) and the server's (formatting one-line replies).
 */
import { formatReply, ReplyParser } from '../src/index.ts';
import type { BenchCase } from './harness.ts';

const encoder = new TextEncoder();
const WIRE = [
  '200 Command okay.\r\n',
  '331 User name okay, need password.\r\n',
  '230 User logged in, proceed.\r\n',
  '227 Entering Passive Mode (192,168,1,2,195,80).\r\n',
  '150 File status okay; about to open data connection.\r\n',
  '226 Closing data connection.\r\n',
  '250 Requested file action okay, completed.\r\n',
  '550 Requested action not taken. File unavailable.\r\n',
].map((line) => encoder.encode(line));

const REPLIES: ReadonlyArray<readonly [number, string]> = [
  [200, 'Command okay.'],
  [331, 'User name okay, need password.'],
  [230, 'User logged in, proceed.'],
  [227, 'Entering Passive Mode (192,168,1,2,195,80).'],
  [150, 'File status okay; about to open data connection.'],
  [226, 'Closing data connection.'],
  [250, 'Requested file action okay, completed.'],
  [550, 'Requested action not taken. File unavailable.'],
];

const BATCH = 1000;
const parser = new ReplyParser();

export const benches: BenchCase[] = [
  {
    name: 'parse single-line replies',
    opsPerRun: BATCH,
    target: 1_000_000,
    run: () => {
      let n = 0;
      for (let i = 0; i < BATCH; i++) n += parser.push(WIRE[i & 7]!).length;
      return n;
    },
  },
  {
    name: 'format replies',
    opsPerRun: BATCH,
    target: 2_000_000,
    run: () => {
      let n = 0;
      for (let i = 0; i < BATCH; i++) {
        const [code, text] = REPLIES[i & 7]!;
        n += formatReply(code, text).length;
      }
      return n;
    },
  },
];
