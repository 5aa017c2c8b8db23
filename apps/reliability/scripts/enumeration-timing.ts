/**
 * Username enumeration by timing (RFC 2577 §5): the time from PASS to 530 for unknown users and
 * for a known user with a wrong password, with real scrypt hashes (default N=16384) and the
 * failed-login delay switched off (so only the authenticator's work is measured). Interleaves the
 * two kinds, prints both distributions and a Kolmogorov–Smirnov distance. Loose by design: it
 * reports, it does not assert (timings on a shared machine are noisy); a KS distance near 1 or
 * medians far apart would mean the reply time tells users apart.
 *
 *   pnpm --filter @ftpkit/reliability enumeration -- --attempts 200
 */
import { hashPassword, MemoryFileSystem, StaticUserAuthenticator } from '@ftpkit/server';
import { percentile, startServer } from '../src/harness.ts';
import { numberFlag, stamp } from './args.ts';

const attempts = numberFlag('attempts', 200);
const fs = new MemoryFileSystem();
const authenticator = new StaticUserAuthenticator({
  users: [{ username: 'alice', password: await hashPassword('correct horse'), root: fs }],
});
const f = await startServer({ authenticator, limits: { loginDelay: false, ban: false } });
const c = await f.connect();
await c.read();
const unknown: number[] = [];
const wrong: number[] = [];
const texts = new Set<string>();
for (let i = 0; i < attempts * 2; i++) {
  const isUnknown = i % 2 === 0;
  await c.send(`USER ${isUnknown ? `nobody${i}` : 'alice'}`);
  const t = performance.now();
  const r = await c.send('PASS wrong-password');
  (isUnknown ? unknown : wrong).push(performance.now() - t);
  texts.add(`${r.code} ${r.lines.join(' ')}`);
}
await f.close();

function ks(a: number[], b: number[]): number {
  const all = [...a, ...b].sort((x, y) => x - y);
  const cdf = (xs: number[], v: number) => xs.filter((x) => x <= v).length / xs.length;
  return Math.max(...all.map((v) => Math.abs(cdf(a, v) - cdf(b, v))));
}
const describe = (xs: number[]) => ({
  p10: Number(percentile(xs, 10).toFixed(2)),
  p50: Number(percentile(xs, 50).toFixed(2)),
  p90: Number(percentile(xs, 90).toFixed(2)),
});
const report = {
  attempts,
  replies: [...texts],
  unknownUserMs: describe(unknown),
  wrongPasswordMs: describe(wrong),
  ksDistance: Number(ks(unknown, wrong).toFixed(3)),
  medianRatio: Number((percentile(unknown, 50) / percentile(wrong, 50)).toFixed(3)),
};
console.log(`${stamp()} enumeration ${JSON.stringify(report)}`);
