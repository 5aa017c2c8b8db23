import { describe, expect, it } from 'vitest';
import { ReadBufferPool } from '../src/index.ts';

describe('ReadBufferPool', () => {
  it('hands back whole buffers of its size, never views or other sizes, and keeps at most `keep`', () => {
    const pool = new ReadBufferPool(1024, 2);
    const a = pool.take();
    const b = pool.take();
    const c = pool.take();
    expect(a.length).toBe(1024);
    expect(new Set([a.buffer, b.buffer, c.buffer]).size).toBe(3);
    pool.give(a.subarray(0, 512)); // a short last read: not whole
    pool.give(Buffer.allocUnsafeSlow(2048).subarray(0, 1024)); // a view into a larger buffer
    pool.give(Buffer.allocUnsafeSlow(512)); // another size
    expect(pool.take().buffer).not.toBe(a.buffer);
    pool.give(a);
    pool.give(b);
    pool.give(c); // beyond `keep`: dropped
    const again = [pool.take(), pool.take(), pool.take()].map((x) => x.buffer);
    expect(again).toContain(a.buffer);
    expect(again).toContain(b.buffer);
    expect(again).not.toContain(c.buffer);
    pool.give(a);
    pool.clear();
    expect(pool.take().buffer).not.toBe(a.buffer);
  });
});
