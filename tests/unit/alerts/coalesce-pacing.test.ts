import { describe, expect, it } from 'vitest';
import type { Alert } from '../../../src/alerts/alert.ts';
import { coalesceCount, DEFAULT_COALESCE, mergeAlerts } from '../../../src/alerts/coalesce.ts';
import { Pacer } from '../../../src/alerts/pacing.ts';
import { discordPlatform } from '../../../src/adapters/chat/discord/platform.ts';
import { telegramPlatform } from '../../../src/adapters/chat/telegram/platform.ts';
import { ManualScheduler } from '../../../src/alerts/scheduler.ts';

const a = (n: number, over: Partial<Alert> = {}): Alert => ({
  type: 'fill',
  severity: 'info',
  silent: true,
  createdAt: n * 100,
  coalesceKey: 'fill',
  body: { title: `Fill ${n}` },
  ...over,
});

describe('coalescing', () => {
  it('merges a run of more than five at the head, nothing else', () => {
    expect(coalesceCount([])).toBe(0);
    expect(coalesceCount([1, 2, 3, 4, 5].map((n) => a(n)))).toBe(1);
    expect(coalesceCount([1, 2, 3, 4, 5, 6].map((n) => a(n)))).toBe(6);
    const mixed = [...[1, 2, 3, 4, 5, 6, 7].map((n) => a(n)), a(8, { coalesceKey: 'other' }), a(9)];
    expect(coalesceCount(mixed)).toBe(7);
  });

  it('never merges critical alerts or alerts without a key, and respects the window', () => {
    expect(coalesceCount([a(0, { severity: 'critical' }), ...[1, 2, 3, 4, 5, 6].map((n) => a(n))])).toBe(1);
    expect(coalesceCount([a(0, { coalesceKey: undefined }), ...[1, 2, 3, 4, 5, 6].map((n) => a(n))])).toBe(1);
    expect(coalesceCount([...[1, 2, 3, 4, 5].map((n) => a(n)), a(6, { severity: 'critical' }), a(7)])).toBe(1);
    const spread = [0, 1, 2, 3, 4, 5, 6].map((n) => a(n, { createdAt: n * 15_000 }));
    expect(coalesceCount(spread, { ...DEFAULT_COALESCE, windowMs: 60_000 })).toBe(1);
    expect(coalesceCount(spread, { ...DEFAULT_COALESCE, windowMs: 90_000 })).toBe(7);
  });

  it('lists the merged alerts, capped, with the strongest severity', () => {
    const m = mergeAlerts([...Array.from({ length: 17 }, (_, i) => a(i)), a(17, { severity: 'warning', silent: false })], { ...DEFAULT_COALESCE, maxLines: 3 });
    expect(m).toMatchObject({ type: 'fill', severity: 'warning', silent: false, createdAt: 0, coalesceKey: 'fill' });
    expect(m.body).toEqual({ title: '18 fill alerts', text: ['Fill 0', 'Fill 1', 'Fill 2', '… and 15 more'], tone: 'warning' });
  });
});

describe('pacing', () => {
  it('Telegram private chats: one a second; groups: also 20 a minute', () => {
    expect(telegramPlatform.pacing('123')).toEqual({ minIntervalMs: 1_000 });
    expect(telegramPlatform.pacing('-100123')).toEqual({ minIntervalMs: 1_000, window: { count: 20, ms: 60_000 } });
    expect(discordPlatform.pacing('555')).toEqual({ minIntervalMs: 0, window: { count: 5, ms: 5_000 } });
  });

  it('computes the next allowed time from what was sent', () => {
    const p = new Pacer({ minIntervalMs: 1_000, window: { count: 3, ms: 10_000 } });
    expect(p.nextAllowedAt(0)).toBe(0);
    p.record(0);
    expect(p.nextAllowedAt(10)).toBe(1_000);
    p.record(1_000);
    p.record(2_000);
    expect(p.nextAllowedAt(2_500)).toBe(10_000);
    expect(p.nextAllowedAt(10_000)).toBe(10_000);
    p.record(10_000);
    expect(p.nextAllowedAt(10_000)).toBe(11_000);
  });
});

describe('ManualScheduler', () => {
  it('fires timers in time order, only when time is moved', () => {
    const s = new ManualScheduler(100);
    const fired: string[] = [];
    s.setTimer(() => fired.push(`b@${s.now()}`), 50);
    s.setTimer(() => fired.push(`a@${s.now()}`), 10);
    const c = s.setTimer(() => fired.push('c'), 20);
    s.setTimer(() => fired.push(`d@${s.now()}`), 50);
    c.cancel();
    expect(s.nextAt()).toBe(110);
    s.advance(5);
    expect(fired).toEqual([]);
    s.advanceTo(200);
    expect(fired).toEqual(['a@110', 'b@150', 'd@150']);
    expect(s.now()).toBe(200);
    expect(s.pending).toBe(0);
  });

  it('runs timers set by timers when they fall due', () => {
    const s = new ManualScheduler(0);
    const fired: number[] = [];
    s.setTimer(() => {
      fired.push(s.now());
      s.setTimer(() => fired.push(s.now()), 5);
    }, 5);
    s.advance(20);
    expect(fired).toEqual([5, 10]);
  });
});
