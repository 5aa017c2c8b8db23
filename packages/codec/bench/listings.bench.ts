/**
 * Listing benchmarks: the client's `ls -l` parser (target 1,000,000 lines/s on the 2-core CI
 * machine), a whole 10,000-entry listing as vsftpd sends it (what `client.list()` parses; the
 * apps/bench `client-list` scenario times it against basic-ftp), and the server's `ls -l`
 * formatter (reported, no target). `node --import tsx bench/listings.bench.ts` runs these alone.
 */
import { pathToFileURL } from 'node:url';
import type { FileRecord } from '../src/index.ts';
import { formatListLines, parseListing, parseUnixListLine } from '../src/index.ts';
import { type BenchCase, measure, printResults } from './harness.ts';

const now = new Date(Date.UTC(2024, 5, 15, 12, 0));

// The shapes real servers send: GNU/vsftpd/ProFTPD padding, symlinks, devices, old and recent
// dates, numeric ids, ACL markers, names with spaces.
const unixLines = [
  'drwxr-xr-x    2 ftp      ftp          4096 Jan 02 15:04 pub',
  '-rw-r--r--    1 1000     1000      1048576 Mar 14  2019 archive-2019.tar.gz',
  'lrwxrwxrwx    1 root     root            7 Jun  1 09:30 latest -> v1.2.3/',
  '-rw-r--r--+   1 alice    staff   123456789 May 30 23:59 Quarterly Report (final).pdf',
  'crw-rw----    1 root     tty        4,   0 Feb 29  2020 tty0',
  '-rwxr-xr-x    1 build    build    52428800 2024-04-01 08:15 installer.bin',
  'drwxrwsr-x    5 www-data www-data     4096 Dec 24  2023 htdocs',
  '-rw-------    1 bob      users  8589934592 Jun 15 11:59 disk.img',
] as const;

const records: FileRecord[] = unixLines.map((line, i) => {
  const entry = parseUnixListLine(line, { now })!;
  return {
    name: entry.name,
    type: entry.type,
    size: entry.size ?? 0,
    modified: new Date(entry.modified!.getTime() - i * 86_400_000 * 40),
    mode: entry.mode ?? 0o644,
    owner: entry.owner ?? 'ftp',
    group: entry.group ?? 'ftp',
    ...(entry.target === undefined ? {} : { target: entry.target }),
  };
});

// vsftpd's LIST of a directory of 10,000 small files: padded columns, numeric ids, one minute.
const vsftpdListing = new TextEncoder().encode(
  Array.from(
    { length: 10_000 },
    (_, i) =>
      `-rw-r--r--    1 994      993      ${String(i % 97).padStart(8)} Jun 15 11:59 entry-${String(i).padStart(6, '0')}.txt\r\n`,
  ).join(''),
);

export const benches: BenchCase[] = [
  {
    name: 'parse Unix LIST lines',
    opsPerRun: unixLines.length,
    target: 1_000_000,
    run: () => {
      let n = 0;
      for (const line of unixLines) if (parseUnixListLine(line, { now }) !== undefined) n++;
      return n;
    },
  },
  {
    name: 'parse a 10,000-line vsftpd listing',
    opsPerRun: 10_000,
    run: () => parseListing(vsftpdListing, { now }).entries.length,
  },
  {
    name: 'format ls -l lines',
    opsPerRun: records.length,
    run: () => formatListLines(records, { now }),
  },
];

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  printResults(benches.map((bench) => measure(bench)));
}
