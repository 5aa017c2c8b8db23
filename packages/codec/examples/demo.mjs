// The codec's own demo: `npm start` runs it until the server lands, and `node examples/demo.mjs`
// runs it from a built package. Each block is one area of the codec, as in the README.
import {
  CodecError,
  formatFeatReply,
  formatListLine,
  formatMlsxFacts,
  formatPasvReplyText,
  formatReply,
  LineFramer,
  parseCommand,
  parseEprtArgument,
  parseListing,
  parsePasvReply,
  parsePathnameReply,
  quotePathname,
  ReplyParser,
} from '@ftpkit/codec';

const show = (label, value) =>
  console.log(
    `${label.padEnd(28)} ${typeof value === 'string' ? JSON.stringify(value) : JSON.stringify(value)}`,
  );

// Control bytes: frame a byte stream into lines; Telnet "synch" before ABOR is reported.
const framer = new LineFramer();
const items = framer.push(
  new Uint8Array([0xff, 0xf4, 0xff, 0xf2, ...new TextEncoder().encode('ABOR\r\nTYPE i\r\n')]),
);
show('framed', items);

// Commands: typed, validated, case-insensitive.
show('parseCommand(TYPE A N)', parseCommand('type a n'));
show('parseCommand(PORT ...)', parseCommand('PORT 127,0,0,1,4,1'));
try {
  parseCommand('MODE Z');
} catch (error) {
  if (error instanceof CodecError) show('MODE Z →', { code: error.code, reply: error.replyCode });
}

// Replies: multi-line formatting per RFC 959 §4.2, incremental parsing whatever the chunking.
const wire = formatReply(211, ['Status follows:', '211 is not the end', 'End']);
show('formatReply', wire);
const parser = new ReplyParser();
const replies = [...wire].flatMap((ch) => parser.push(ch));
show('parsed', replies);

// Addresses: 227 and EPRT.
show('227 text', formatPasvReplyText({ host: '192.168.1.2', port: 50001 }));
show('parsePasvReply', parsePasvReply('227 Entering Passive Mode (192,168,1,2,195,81).'));
show('parseEprtArgument', parseEprtArgument('|2|::1|6446|'));

// Paths: RFC 959 Appendix II quoting.
show('quotePathname', quotePathname('/my "docs"'));
show('parsePathnameReply', parsePathnameReply('"/my ""docs""" is the current directory'));

// Listings: server-side formatters and the client-side auto-detecting parser.
const record = {
  name: 'report 2024.pdf',
  type: 'file',
  size: 48213,
  modified: new Date('2024-03-01T10:20:00Z'),
};
show('ls -l', formatListLine(record, { now: new Date('2024-04-01T00:00:00Z') }));
show('MLSD', formatMlsxFacts(record));
show(
  'parseListing',
  parseListing('-rw-r--r--   1 ftp ftp  48213 Mar  1 10:20 report 2024.pdf\r\n', {
    now: new Date('2024-04-01T00:00:00Z'),
  }).entries,
);

// FEAT.
show('FEAT', formatFeatReply(['UTF8', 'MLST type*;size*;modify*;', 'EPSV']));
