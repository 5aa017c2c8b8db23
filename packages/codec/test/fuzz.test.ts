/**
 * Every codec parser on arbitrary input: it returns a value or throws `CodecError`, nothing else.
 * CI runs a short pass; `pnpm --filter @ftpkit/codec fuzz` runs 1,000,000 cases per parser
 * (FUZZ_RUNS), bounded by FUZZ_SECONDS per parser (default 600) so the long run always stops.
 */
import fc from 'fast-check';
import { describe, it } from 'vitest';
import {
  LineFramer,
  parseCommand,
  parseDosListLine,
  parseEprtArgument,
  parseEpsvReply,
  parseFactNames,
  parseFeatReply,
  parseHostPort,
  parseListing,
  parseMlsxLine,
  parsePasvReply,
  parsePathnameReply,
  parseReply,
  parseTimeVal,
  parseUnixListLine,
  ReplyParser,
  splitCommandLine,
} from '../src/index.ts';
import { expectOnlyCodecErrors, fuzzRuns } from './helpers.ts';

const runs = fuzzRuns(1_000);
const env = (globalThis as { process?: { env: Record<string, string | undefined> } }).process?.env;
const seconds = Number(env?.FUZZ_SECONDS ?? 600);
const interruptAfterTimeLimit = seconds * 1000;
const timeout = interruptAfterTimeLimit + 60_000;

/** Text that looks like FTP often enough to get past the first checks: verbs, codes, digits. */
const ftpish = fc
  .array(
    fc.oneof(
      fc.constantFrom(
        'USER ',
        'PORT ',
        'EPRT |',
        '227 ',
        '229 (|||',
        '257 "',
        'type=',
        ';',
        ',',
        '|',
        '-',
        ' ',
        '\r\n',
      ),
      fc.constantFrom(
        'drwxr-xr-x',
        '01-02-24  03:04PM',
        '<DIR>',
        'Jan  2 15:04',
        '2024',
        '255',
        '65535',
        '"',
      ),
      fc.string({ maxLength: 8 }),
      fc.integer({ min: -1, max: 70000 }).map(String),
    ),
    { maxLength: 24 },
  )
  .map((parts) => parts.join(''));

const anyText = fc.oneof(
  ftpish,
  fc.string({ maxLength: 200, unit: 'grapheme' }),
  fc.string({ maxLength: 200 }),
);
const anyBytes = fc.uint8Array({ maxLength: 300 });

const stringParsers: Record<string, (text: string) => unknown> = {
  parseCommand: (t) => parseCommand(t),
  'parseCommand allowUnknown': (t) => parseCommand(t, { allowUnknown: true }),
  splitCommandLine,
  parseHostPort,
  parsePasvReply,
  parseEprtArgument,
  parseEpsvReply,
  parseTimeVal,
  parseMlsxLine,
  parseFactNames,
  parseUnixListLine: (t) => parseUnixListLine(t),
  parseDosListLine,
  parseListing: (t) => parseListing(t),
  parseReply: (t) => parseReply(t),
  parseFeatReply: (t) => parseFeatReply(t),
  parsePathnameReply: (t) => parsePathnameReply(t),
};

describe('fuzz: parsers throw only CodecError on arbitrary input', () => {
  for (const [name, parse] of Object.entries(stringParsers)) {
    it(
      `${name} on arbitrary text`,
      () => {
        fc.assert(
          fc.property(anyText, (text) => expectOnlyCodecErrors(() => parse(text))),
          { numRuns: runs, interruptAfterTimeLimit },
        );
      },
      timeout,
    );
  }

  it(
    'LineFramer and ReplyParser on arbitrary byte chunks',
    () => {
      fc.assert(
        fc.property(fc.array(anyBytes, { maxLength: 6 }), (chunks) => {
          const framer = new LineFramer({ maxLineLength: 128 });
          const replies = new ReplyParser({ maxLineLength: 128, maxLines: 16 });
          for (const chunk of chunks) {
            expectOnlyCodecErrors(() => framer.push(chunk));
            expectOnlyCodecErrors(() => replies.push(chunk));
          }
          expectOnlyCodecErrors(() => replies.end());
        }),
        { numRuns: runs, interruptAfterTimeLimit },
      );
    },
    timeout,
  );

  it(
    'parseListing on arbitrary bytes',
    () => {
      fc.assert(
        fc.property(anyBytes, (bytes) => expectOnlyCodecErrors(() => parseListing(bytes))),
        { numRuns: runs, interruptAfterTimeLimit },
      );
    },
    timeout,
  );
});
