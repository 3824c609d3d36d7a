import { afterEach, describe, expect, it, vi } from 'vitest';
import { createProgressReporter } from '../../../src/adapters/chat/progress-reporter.ts';
import { ButtonPayloads } from '../../../src/adapters/chat/render/button-payloads.ts';
import { RecentIds } from '../../../src/adapters/chat/recent-ids.ts';
import { safeEqual } from '../../../src/adapters/chat/secret-compare.ts';

describe('progress reporter', () => {
  afterEach(() => vi.useRealTimers());

  it('edits at most once per interval, keeps the latest text and skips repeats', async () => {
    vi.useFakeTimers();
    const edits: string[] = [];
    const r = createProgressReporter(async (t) => void edits.push(t), 1_000, () => Date.now());
    await r.report('10%');
    await r.report('20%');
    await r.report('30%');
    expect(edits).toEqual(['10%']);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(edits).toEqual(['10%', '30%']);
    await r.report('30%');
    await vi.advanceTimersByTimeAsync(5_000);
    expect(edits).toEqual(['10%', '30%']);
    await r.report('40%');
    await r.report('50%');
    await r.finish();
    await vi.advanceTimersByTimeAsync(5_000);
    expect(edits).toEqual(['10%', '30%', '40%']);
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe('button payloads', () => {
  it('passes short commands through and stores long ones behind a reference that expires', () => {
    let t = 0;
    const p = new ButtonPayloads({ ttlMs: 1_000, now: () => t });
    expect(p.encode('/confirm ABC', 64)).toBe('/confirm ABC');
    const long = '/backtest ' + 'x'.repeat(100);
    const ref = p.encode(long, 64);
    expect(ref.startsWith('#')).toBe(true);
    expect(Buffer.byteLength(ref)).toBeLessThanOrEqual(64);
    expect(p.decode(ref)).toBe(long);
    expect(p.decode('#unknown')).toBeUndefined();
    t = 1_000;
    expect(p.decode(ref)).toBeUndefined();
  });
});

describe('recent ids and secret comparison', () => {
  it('remembers ids within the bound', () => {
    const ids = new RecentIds(2);
    expect(ids.checkAndAdd('a')).toBe(false);
    expect(ids.checkAndAdd('a')).toBe(true);
    ids.checkAndAdd('b');
    ids.checkAndAdd('c');
    expect(ids.checkAndAdd('a')).toBe(false);
  });

  it('compares secrets exactly', () => {
    expect(safeEqual('s3cret', 's3cret')).toBe(true);
    expect(safeEqual('s3cret', 's3cre')).toBe(false);
    expect(safeEqual('', 's3cret')).toBe(false);
  });
});
