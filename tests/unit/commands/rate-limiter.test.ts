import { describe, expect, it } from 'vitest';
import { SlidingWindowLimiter } from '../../../commands/rate-limiter.ts';

describe('SlidingWindowLimiter', () => {
  it('allows `limit` events in any window and says when the next one fits', () => {
    const l = new SlidingWindowLimiter(3, 60_000);
    expect(l.take('u', 0)).toEqual({ ok: true });
    expect(l.take('u', 10_000)).toEqual({ ok: true });
    expect(l.take('u', 20_000)).toEqual({ ok: true });
    expect(l.take('u', 30_000)).toEqual({ ok: false, retryInMs: 30_000 });
    expect(l.take('other', 30_000)).toEqual({ ok: true });
    // The first event leaves the window at 60 000: a sliding window, not a fixed minute.
    expect(l.take('u', 59_999)).toEqual({ ok: false, retryInMs: 1 });
    expect(l.take('u', 60_001)).toEqual({ ok: true });
    expect(l.take('u', 60_002)).toEqual({ ok: false, retryInMs: 9_998 });
  });

  it('does not count refused events', () => {
    const l = new SlidingWindowLimiter(1, 1_000);
    expect(l.take('u', 0).ok).toBe(true);
    for (let t = 1; t < 1_000; t += 100) expect(l.take('u', t).ok).toBe(false);
    expect(l.take('u', 1_001).ok).toBe(true);
  });

  it('refuses nonsense limits', () => {
    expect(() => new SlidingWindowLimiter(0, 1_000)).toThrow('rate limit');
  });
});
