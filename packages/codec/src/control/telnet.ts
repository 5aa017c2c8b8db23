/**
 * Telnet bytes on the FTP control connection (RFC 959 §4.1.3 and §5.1, RFC 854).
 *
 * Owns: the Telnet command table and the doubling of IAC in outgoing bytes. Decoding lives in the
 * line framer, which must handle IAC sequences split across TCP chunks.
 *
 * Why it matters: RFC 959 says the control connection follows the Telnet protocol. Real clients
 * send `IAC IP IAC DM` ("synch") before ABOR (RFC 959 §4.1.3), and some send option negotiation.
 * Those bytes must not end up inside a command's argument.
 */

/** Interpret As Command (RFC 854). A literal 0xFF data byte is sent as IAC IAC. */
export const IAC = 0xff;

/** The Telnet commands (RFC 854), by byte value. */
export const TelnetCommand = {
  SE: 240,
  NOP: 241,
  /** Data Mark: the end of a "synch"; sent as TCP urgent data before ABOR (RFC 959 §4.1.3). */
  DM: 242,
  BRK: 243,
  /** Interrupt Process: first half of the synch that precedes ABOR. */
  IP: 244,
  AO: 245,
  AYT: 246,
  EC: 247,
  EL: 248,
  GA: 249,
  SB: 250,
  WILL: 251,
  WONT: 252,
  DO: 253,
  DONT: 254,
} as const;

export type TelnetCommandName = keyof typeof TelnetCommand;

const NAMES: ReadonlyMap<number, TelnetCommandName> = new Map(
  Object.entries(TelnetCommand).map(([name, value]) => [value, name as TelnetCommandName]),
);

/** The name of a Telnet command byte, or `undefined` for a byte that is not one. */
export function telnetCommandName(byte: number): TelnetCommandName | undefined {
  return NAMES.get(byte);
}

/** A Telnet command found (and removed) in the control stream. */
export interface TelnetEvent {
  readonly type: 'telnet';
  readonly command: TelnetCommandName | 'UNKNOWN';
  /** The raw command byte (240..254, or another byte after IAC for `UNKNOWN`). */
  readonly byte: number;
  /** The option byte of WILL/WONT/DO/DONT. */
  readonly option?: number;
}

/**
 * The answer RFC 959 §5.1 expects to option negotiation: a server (or client) that implements no
 * Telnet options refuses every WILL with DONT and every DO with WONT. Returns the bytes to send,
 * or `undefined` when nothing must be answered (WONT/DONT and other commands need no reply).
 */
export function refuseTelnetOption(event: TelnetEvent): Uint8Array | undefined {
  if (event.option === undefined) return undefined;
  if (event.command === 'WILL') return Uint8Array.of(IAC, TelnetCommand.DONT, event.option);
  if (event.command === 'DO') return Uint8Array.of(IAC, TelnetCommand.WONT, event.option);
  return undefined;
}

/** Doubles every 0xFF byte, as RFC 854 requires for data bytes on a Telnet connection. */
export function escapeIac(bytes: Uint8Array): Uint8Array {
  let count = 0;
  for (let i = 0; i < bytes.length; i++) if (bytes[i] === IAC) count++;
  if (count === 0) return bytes;
  const out = new Uint8Array(bytes.length + count);
  let j = 0;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    out[j++] = b;
    if (b === IAC) out[j++] = IAC;
  }
  return out;
}
