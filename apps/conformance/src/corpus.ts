/**
 * Loading transcripts from disk: the bundled corpus (`corpus/` beside `src/` and `dist/`) or any
 * directory of `.ftp` files, and the `--filter` rule.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseTranscript } from './format/parse.js';
import type { Transcript } from './format/types.js';

/** The corpus shipped with this app. Works from `src/` (tests, tsx) and from `dist/` (the bin). */
export const CORPUS_DIR = fileURLToPath(new URL('../corpus', import.meta.url));

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...walk(path));
    else if (name.endsWith('.ftp')) out.push(path);
  }
  return out;
}

/** Every `.ftp` file under `dir`, parsed; ids are paths relative to `dir` without `.ftp`. Throws TranscriptSyntaxError. */
export function loadCorpus(dir: string = CORPUS_DIR): Transcript[] {
  return walk(dir).map((file) => {
    const id = relative(dir, file)
      .split(sep)
      .join('/')
      .replace(/\.ftp$/, '');
    return parseTranscript(readFileSync(file, 'utf8'), relative(process.cwd(), file) || file, id);
  });
}

/**
 * `--filter`: comma-separated terms; a transcript is kept when any term matches its id (substring),
 * one of its tags, its level (MUST, SHOULD, SECURITY) or its RFC (`rfc4217`). A term starting with
 * `!` removes what it matches.
 */
export function filterTranscripts(
  transcripts: readonly Transcript[],
  filter: string | undefined,
): Transcript[] {
  const terms = (filter ?? '')
    .split(',')
    .map((t) => t.trim())
    .filter((t) => t !== '');
  const include = terms.filter((t) => !t.startsWith('!'));
  const exclude = terms.filter((t) => t.startsWith('!')).map((t) => t.slice(1));
  const matches = (t: Transcript, term: string) =>
    t.id.includes(term) ||
    t.tags.includes(term) ||
    t.level === term.toUpperCase() ||
    term.toLowerCase() === `rfc${t.rfcNumber}`;
  return transcripts.filter(
    (t) =>
      (include.length === 0 || include.some((term) => matches(t, term))) &&
      !exclude.some((term) => matches(t, term)),
  );
}
