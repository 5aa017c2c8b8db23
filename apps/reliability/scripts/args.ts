/** `--name value` flags for the long-run scripts, with numeric defaults. */
export function numberFlag(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  if (i === -1) return fallback;
  const value = Number(process.argv[i + 1]);
  if (!Number.isFinite(value) || value < 0) throw new Error(`--${name} needs a non-negative number`);
  return value;
}

export function stamp(): string {
  return new Date().toISOString().replace('T', ' ').slice(0, 19);
}
