/** The logger contract, shared with every ftpkit package: defined once in `@ftpkit/transport`. */
export { childLogger, type LogFn, type Logger, silentLogger } from '@ftpkit/transport';
