/**
 * Reading a V8 .cpuprofile (node --cpu-prof): self time per function, so the report can say what
 * bounds a figure without opening DevTools.
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
  readonly hitCount?: number;
}

/** The `limit` functions with the most self samples, as "12.3% name (file:line)". */
export function summarizeProfile(file: string, limit: number): string[] {
  try {
    const profile = JSON.parse(readFileSync(file, 'utf8')) as { nodes: ProfileNode[]; samples?: number[] };
    const hits = new Map<number, number>();
    for (const id of profile.samples ?? []) hits.set(id, (hits.get(id) ?? 0) + 1);
    const byFunction = new Map<string, number>();
    let total = 0;
    let idle = 0;
    for (const node of profile.nodes) {
      const n = hits.get(node.id) ?? node.hitCount ?? 0;
      if (n === 0) continue;
      const { functionName, url, lineNumber } = node.callFrame;
      // Idle time says the event loop was waiting (on the kernel, the thread pool or the peer).
      if (functionName === '(idle)') {
        idle += n;
        continue;
      }
      total += n;
      const where = url
        ? `${url.replace(/^file:\/\//, '').replace(/^.*\/(packages|apps|node_modules)\//, '$1/')}:${lineNumber + 1}`
        : '';
      const key = `${functionName || '(anonymous)'}${where ? ` (${where})` : ''}`;
      byFunction.set(key, (byFunction.get(key) ?? 0) + n);
    }
    const busy = `main thread busy ${((total / Math.max(1, total + idle)) * 100).toFixed(1)}% of samples; shares below are of busy samples`;
    return [
      busy,
      ...[...byFunction.entries()]
        .sort((a, b) => b[1] - a[1])
        .slice(0, limit)
        .map(([key, n]) => `${((n / Math.max(1, total)) * 100).toFixed(1)}% ${key}`),
    ];
  } catch (error) {
    return [`unreadable profile: ${(error as Error).message}`];
  }
}
