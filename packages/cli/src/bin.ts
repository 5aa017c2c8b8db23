#!/usr/bin/env node
/**
 * The `ftpkit` executable. SIGINT/SIGTERM abort the running command (transfers send ABOR and
 * the command exits 130); `serve` installs its own handlers for a graceful close.
 */
import { processIo } from './io.js';
import { main } from './main.js';

const controller = new AbortController();
const interrupt = () => {
  if (controller.signal.aborted) process.exit(130);
  controller.abort(new Error('interrupted'));
};
process.on('SIGINT', interrupt);
process.on('SIGTERM', interrupt);

const code = await main(process.argv.slice(2), processIo(controller.signal));
// The command is done (for `serve`: the server is closed): do not wait for stray timers.
await new Promise<void>((resolve) => process.stdout.write('', () => resolve()));
process.exit(code);
