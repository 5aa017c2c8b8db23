/**
 * @ftpkit/conformance — the transcript corpus, its replayer against any FTP server, and reports.
 * This file is the only entry point; the CLI (`ftpkit-conformance`) is built on it.
 */
export { CORPUS_DIR, filterTranscripts, loadCorpus } from './corpus.js';
export { parseTranscript, TranscriptSyntaxError } from './format/parse.js';
export type * from './format/types.js';
export {
  describeTarget,
  type ReplayOptions,
  replayAgainstServer,
  replayTranscript,
  type ServerTarget,
  type TlsMode,
} from './replay/server.js';
export { formatHtml } from './report/html.js';
export { formatJUnit } from './report/junit.js';
export { formatSummary } from './report/terminal.js';
export * from './result.js';
