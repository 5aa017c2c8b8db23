/**
 * The MLSx facts this server offers (RFC 3659 §7.5) and those enabled by default (§7.8, the `*`
 * marks of the FEAT MLST line). `OPTS MLST` (§7.9) selects a subset per session.
 */
export const SUPPORTED_MLST_FACTS: readonly string[] = Object.freeze([
  'type',
  'size',
  'modify',
  'create',
  'perm',
  'unique',
  'UNIX.mode',
  'UNIX.owner',
  'UNIX.group',
]);

export const DEFAULT_MLST_FACTS: readonly string[] = Object.freeze([
  'type',
  'size',
  'modify',
  'perm',
  'UNIX.mode',
]);
