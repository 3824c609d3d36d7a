import { describe, expect, it } from 'vitest';
import type { Alert } from '../../../src/alerts/alert.ts';
import { DEFAULT_DIGEST, digestCount, digestOf } from '../../../src/alerts/digest.ts';
import { alertPriority } from '../../../src/alerts/priority.ts';
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

describe('digests', () => {
  const now = 100_000;
  it('sends the oldest alone while the backlog is short and young; folds it when old or long', () => {
    const young = [1, 2, 3].map((n) => a(n, { queuedAt: now - 1_000 }));
    expect(digestCount([], 0, now)).toBe(0);
    expect(digestCount(young, 3, now)).toBe(1);
    expect(digestCount(young, 21, now)).toBe(3);
    expect(digestCount([a(0, { queuedAt: now - 30_000 }), ...young], 4, now)).toBe(4);
    expect(digestCount([a(0, { queuedAt: now - 29_999 }), ...young], 4, now)).toBe(1);
    const many = Array.from({ length: 800 }, (_, i) => a(i, { queuedAt: now }));
    expect(digestCount(many, 800, now)).toBe(DEFAULT_DIGEST.maxAlerts);
  });

  it('counts per type, lists the latest alerts in order, takes the strongest severity', () => {
    const alerts = [...Array.from({ length: 17 }, (_, i) => a(i)), a(17, { type: 'exit', severity: 'warning', silent: false, body: { title: 'Exit BTC' } })];
    const d = digestOf(alerts, { ...DEFAULT_DIGEST, maxLines: 3 });
    expect(d).toMatchObject({ type: 'digest', severity: 'warning', silent: false, createdAt: 0, priority: 'normal' });
    expect(d.body.title).toBe('Digest: 18 alerts 00:00:00–00:00:01 UTC');
    expect(d.body.text).toEqual(['17 fill, 1 exit', '… 15 earlier not listed', '00:00:01 Fill 15', '00:00:01 Fill 16', '00:00:01 Exit BTC']);
  });

  it('critical: by severity, by type (trading state, kill-all, protections, bans, reconciliation), or set', () => {
    expect(alertPriority(a(1))).toBe('normal');
    expect(alertPriority(a(1, { severity: 'critical' }))).toBe('critical');
    expect(alertPriority(a(1, { type: 'trading-state-changed' }))).toBe('critical');
    expect(alertPriority(a(1, { type: 'reconciliation-discrepancy' }))).toBe('critical');
    expect(alertPriority(a(1, { type: 'order-denied', priority: 'critical' }))).toBe('critical');
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
