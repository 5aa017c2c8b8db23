/**
 * Two connected in-memory duplex streams: what one writes, the other reads. For protocol tests
 * that need no kernel socket (STYLE: "tests with in-memory socket pairs", as in websockets/ws).
 * Ending one side's writable ends the other side's readable.
 */
import { Duplex } from 'node:stream';

export function duplexPair(): [Duplex, Duplex] {
  let a!: Duplex;
  let b!: Duplex;
  const make = (peer: () => Duplex) =>
    new Duplex({
      read() {},
      write(chunk: Buffer, _encoding, callback) {
        peer().push(chunk);
        callback();
      },
      final(callback) {
        peer().push(null);
        callback();
      },
    });
  a = make(() => b);
  b = make(() => a);
  return [a, b];
}
