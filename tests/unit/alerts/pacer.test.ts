import { describe, expect, it } from 'vitest';
import { DEFAULT_PACING, Pacer, pacingOf, type PacingRule } from '../../../src/alerts/pacing.ts';

describe('Pacer', () => {
  it('lets the first message of a fresh destination go at once, with or without a window', () => {
    expect(new Pacer({ minIntervalMs: 1_000 }).nextAllowedAt(5)).toBe(5);
    expect(new Pacer({ minIntervalMs: 0, window: { count: 1, ms: 5_000 } }).nextAllowedAt(5)).toBe(5);
  });

  it('with a window of one, waits the window after each message', () => {
    const p = new Pacer({ minIntervalMs: 0, window: { count: 1, ms: 5_000 } });
    p.record(100);
    expect(p.nextAllowedAt(200)).toBe(5_100);
    p.record(5_100);
    expect(p.nextAllowedAt(5_100)).toBe(10_100);
  });

  it('keeps counting correctly over many messages: the count-th latest one sets the wait', () => {
    const p = new Pacer({ minIntervalMs: 0, window: { count: 2, ms: 1_000 } });
    for (const at of [0, 10, 20, 30, 1_500, 1_510]) p.record(at);
    expect(p.nextAllowedAt(1_520)).toBe(2_500);
    expect(p.nextAllowedAt(3_000)).toBe(3_000);
  });

  it('takes the larger of the minimum interval and the window', () => {
    const p = new Pacer({ minIntervalMs: 3_000, window: { count: 2, ms: 4_000 } });
    p.record(0);
    expect(p.nextAllowedAt(0)).toBe(3_000);
    p.record(3_000);
    expect(p.nextAllowedAt(3_000)).toBe(6_000);
    p.record(6_000);
    expect(p.nextAllowedAt(6_000)).toBe(9_000);
    const q = new Pacer({ minIntervalMs: 1_000, window: { count: 2, ms: 10_000 } });
    q.record(0);
    q.record(1_000);
    expect(q.nextAllowedAt(1_000)).toBe(10_000);
  });
});

describe('pacingOf', () => {
  const telegram = { name: 'telegram', pacing: (d: string): PacingRule => ({ minIntervalMs: d.startsWith('-') ? 3_000 : 1_000 }) };
  const discord = { name: 'discord', pacing: (): PacingRule => ({ minIntervalMs: 0, window: { count: 5, ms: 5_000 } }) };

  it("asks the channel's platform for the destination's rule", () => {
    const of = pacingOf([telegram, discord]);
    expect(of('telegram', '-100')).toEqual({ minIntervalMs: 3_000 });
    expect(of('telegram', '42')).toEqual({ minIntervalMs: 1_000 });
    expect(of('discord', '42')).toEqual({ minIntervalMs: 0, window: { count: 5, ms: 5_000 } });
  });

  it('falls back to one message a second for a channel no platform names', () => {
    expect(pacingOf([telegram])('line', 'U1')).toBe(DEFAULT_PACING);
    expect(DEFAULT_PACING).toEqual({ minIntervalMs: 1_000 });
    expect(pacingOf([])('telegram', '1')).toBe(DEFAULT_PACING);
  });
});
