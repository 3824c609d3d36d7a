import { describe, expect, it } from 'vitest';
import { RequestGate, type AccessChange } from '../../../src/adapters/exchange/request-gate.ts';
import { ExecutionError } from '../../../src/ports/execution.ts';

function gate(maxWaitMs = 10_000) {
  let now = 1_000_000;
  const sleeps: number[] = [];
  const g = new RequestGate({ exchangeId: 'ex', now: () => now, maxWaitMs, sleep: async (ms) => void sleeps.push(ms) });
  const changes: AccessChange[] = [];
  g.onChange((c) => void changes.push(c));
  return { g, sleeps, changes, advance: (ms: number) => (now += ms), now: () => now };
}

describe('RequestGate', () => {
  it('a 429 pauses every request until Retry-After: short pauses are waited out', async () => {
    const { g, sleeps, changes, now } = gate();
    g.after(5, { kind: 'rate-limit', retryAt: now() + 3_000, reason: 'too many' });
    expect(g.status()).toMatchObject({ state: 'paused', until: now() + 3_000 });
    await g.before();
    expect(sleeps).toEqual([3_000]);
    expect(g.status().state).toBe('ok');
    expect(changes.map((c) => c.type)).toEqual(['rate-limited', 'resumed']);
  });

  it('a pause longer than the allowed wait refuses at once with retryAt (nothing sent)', async () => {
    const { g, now } = gate(1_000);
    g.after(5, { kind: 'rate-limit', retryAt: now() + 60_000, reason: 'too many' });
    await expect(g.before()).rejects.toMatchObject({ kind: 'retryable', retryAt: now() + 60_000 });
    expect(g.refused).toBe(1);
  });

  it('a ban refuses everything until its end, announces once, then lets exactly one probe through', async () => {
    const { g, changes, advance, now } = gate();
    const until = now() + 120_000;
    g.after(5, { kind: 'banned', retryAt: until, reason: 'IP banned' });
    g.after(5, { kind: 'banned', retryAt: until, reason: 'IP banned' }); // a second answer of the same ban
    await expect(g.before()).rejects.toBeInstanceOf(ExecutionError);
    await expect(g.before()).rejects.toMatchObject({ kind: 'banned', retryAt: until });
    advance(120_001);
    await g.before(); // the probe
    expect(g.status().state).toBe('probing');
    let second = false;
    const waiting = g.before().then(() => (second = true));
    await Promise.resolve();
    expect(second).toBe(false); // held until the probe answers
    g.after(7);
    await waiting;
    expect(g.status().state).toBe('ok');
    expect(changes.map((c) => c.type)).toEqual(['banned', 'resumed']);
  });

  it('a probe that is banned again starts the ban over without a second announcement', async () => {
    const { g, changes, advance, now } = gate();
    g.after(5, { kind: 'banned', retryAt: now() + 1_000, reason: 'IP banned' });
    advance(1_001);
    await g.before();
    g.after(5, { kind: 'banned', retryAt: now() + 5_000, reason: 'IP banned again' });
    expect(g.status()).toMatchObject({ state: 'banned', until: now() + 5_000 });
    expect(changes.map((c) => c.type)).toEqual(['banned']);
  });

  it('keeps p50/p99 of request latency', () => {
    const { g } = gate();
    for (let i = 1; i <= 100; i++) g.after(i);
    expect(g.latency()).toEqual({ count: 100, p50Ms: 50, p99Ms: 99 });
  });
});
