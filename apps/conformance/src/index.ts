/**
 * @ftpkit/conformance — the transcript corpus, its replayers against any FTP server and any FTP
 * client, and reports.
 * This file is the only entry point; the CLI (`ftpkit-conformance`) is built on it.
 */
export { CORPUS_DIR, filterTranscripts, loadCorpus } from './corpus.js';
export { parseTranscript, TranscriptSyntaxError } from './format/parse.js';
export type * from './format/types.js';
export {
  type ClientReplayOptions,
  DEFAULT_ANSWERS,
  replayAgainstClient,
  replayClientTranscript,
} from './replay/client.js';
export {
  describeTarget,
  type ReplayOptions,
  replayAgainstServer,
  replayTranscript,
  type ServerTarget,
  type TlsMode,
} from './replay/server.js';
export {
  type ClientOutcome,
  type ClientTarget,
  type CommandTemplates,
  CURL_TEMPLATES,
  commandTarget,
  curlTarget,
  expandCommand,
  ftpkitTarget,
  type Invocation,
  parseCommandOptions,
} from './replay/targets.js';
export { formatHtml, type HtmlSection } from './report/html.js';
export { formatJUnit } from './report/junit.js';
export { formatSummary } from './report/terminal.js';
export * from './result.js';
