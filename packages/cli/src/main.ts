/**
 * The `ftpkit` command: dispatch to a subcommand, `--help`, `--version`, and turning every
 * failure into one clear line on stderr and an exit code (see exit-codes.ts).
 */
import type { Command } from './commands/command.js';
import { describeFailure, EXIT_CODES } from './exit-codes.js';
import type { CliIo } from './io.js';
import { VERSION } from './version.js';

export interface CommandEntry {
  readonly name: string;
  readonly summary: string;
  /** Loaded on use: `ftpkit ls` never loads the server, `ftpkit serve` never loads the client. */
  load(): Promise<Command>;
}

export const COMMANDS: readonly CommandEntry[] = [
  {
    name: 'serve',
    summary: 'run an FTP/FTPS server',
    load: async () => (await import('./serve/serve.js')).serve,
  },
  { name: 'ls', summary: 'list a remote directory', load: async () => (await import('./commands/ls.js')).ls },
  { name: 'get', summary: 'download a file', load: async () => (await import('./commands/get.js')).get },
  { name: 'put', summary: 'upload a file', load: async () => (await import('./commands/put.js')).put },
  {
    name: 'mirror',
    summary: 'copy a directory tree (download, or upload with --reverse)',
    load: async () => (await import('./commands/mirror.js')).mirror,
  },
  {
    name: 'rm',
    summary: 'delete a remote file (or a directory tree with -r)',
    load: async () => (await import('./commands/rm.js')).rm,
  },
  {
    name: 'mkdir',
    summary: 'create a remote directory',
    load: async () => (await import('./commands/mkdir.js')).mkdir,
  },
  {
    name: 'mv',
    summary: 'rename or move a remote file or directory',
    load: async () => (await import('./commands/mv.js')).mv,
  },
];

export function mainHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return `ftpkit ${VERSION}: an FTP/FTPS server and client

Usage: ftpkit <command> [options] [arguments]

Commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join('\n')}

Options:
  -h, --help      this help (ftpkit <command> --help for a command's own)
  -v, --version   print the version

URLs: ftp://[user[:password]@]host[:port]/path (plain), ftps:// (implicit TLS, port 990),
ftpes:// (explicit TLS); the path is relative to the login directory, %2F makes it absolute.

Exit codes: 0 ok, 1 failure, 2 usage, 3 connection, 4 login refused, 5 not found,
6 TLS, 7 timeout, 8 mirror partly failed, 130 interrupted.

Examples:
  ftpkit serve                                  # a server on 127.0.0.1:2121 serving ./ftp-root
  ftpkit ls ftp://127.0.0.1:2121/
  ftpkit get ftp://ftp.example.com/pub/file.iso
  ftpkit put --tls --user alice report.pdf ftp://ftp.example.com/incoming/
  ftpkit mirror --parallel 4 ftp://ftp.example.com/pub/project/ ./project`;
}

/** Runs `ftpkit ARGS`; resolves with the exit code (it never throws). */
export async function main(args: readonly string[], io: CliIo): Promise<number> {
  const [first, ...rest] = args;
  try {
    if (first === undefined || first === '-h' || first === '--help' || first === 'help') {
      if (first === 'help' && rest[0] !== undefined) return await main([rest[0], '--help'], io);
      (first === undefined ? io.stderr : io.stdout).write(`${mainHelp()}\n`);
      return first === undefined ? EXIT_CODES.USAGE : EXIT_CODES.OK;
    }
    if (first === '-v' || first === '--version' || first === 'version') {
      io.stdout.write(`${VERSION}\n`);
      return EXIT_CODES.OK;
    }
    const entry = COMMANDS.find((c) => c.name === first);
    if (entry === undefined) {
      io.stderr.write(
        `ftpkit: unknown command "${first}" (commands: ${COMMANDS.map((c) => c.name).join(', ')}; see ftpkit --help)\n`,
      );
      return EXIT_CODES.USAGE;
    }
    return await (await entry.load()).run(rest, io);
  } catch (error) {
    const failure = describeFailure(error);
    const code = io.signal.aborted ? EXIT_CODES.INTERRUPTED : failure.exitCode;
    io.stderr.write(`ftpkit: ${code === EXIT_CODES.INTERRUPTED ? 'interrupted' : failure.message}\n`);
    return code;
  }
}
