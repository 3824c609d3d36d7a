/** The order-rate budget: token bucket per second, counter per UTC day, bounded wait; and its use by placeOrder. */
import { afterEach, describe, expect, it } from 'vitest';
import { OrderRateBudget, defaultOrderRateBudget } from '../../../src/adapters/exchange/order-rate-budget.ts';
import { newClientOrderId } from '../../../src/domain/orders.ts';
import { ExecutionError } from '../../../src/ports/execution.ts';
import { startHarness, type Harness } from './harness.ts';

/** A fake clock that sleeping advances. */
function fakeClock(start = Date.UTC(2026, 0, 1, 12)) {
  let t = start;
  const sleeps: number[] = [];
  return {
    now: () => t,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      t += ms;
    },
    advance: (ms: number) => {
      t += ms;
    },
    sleeps,
  };
}

async function rejection(p: Promise<unknown>): Promise<ExecutionError> {
  const err = await p.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(ExecutionError);
  expect((err as ExecutionError).kind).toBe('rejected');
  return err as ExecutionError;
}

describe('OrderRateBudget', () => {
  it('binance default: 10 orders/s, 100k/day', () => {
    // Binance spot allows 100 orders per 10 s: a burst of 50, then 5 a second, never more than that in any 10 s.
    const b = defaultOrderRateBudget('binance');
    expect(b).toMatchObject({ perSecond: 5, burst: 50, perDay: 100_000 });
    expect(b.burst! + 10 * b.perSecond).toBeLessThanOrEqual(100);
    expect(defaultOrderRateBudget('some-other-venue').perSecond).toBeGreaterThan(0);
  });

  it('a burst up to perSecond passes at once; the next order waits for a token', async () => {
    const clock = fakeClock();
    const budget = new OrderRateBudget({ perSecond: 10, perDay: 1_000, maxWaitMs: 1_000, ...clock });
    for (let i = 0; i < 10; i++) await budget.take();
    expect(clock.sleeps).toEqual([]);
    await budget.take();
    expect(clock.sleeps).toEqual([100]);
  });

  it('a burst larger than the rate: that many at once, then the rate', async () => {
    const clock = fakeClock();
    const budget = new OrderRateBudget({ perSecond: 5, burst: 50, perDay: 1_000, maxWaitMs: 1_000, ...clock });
    for (let i = 0; i < 50; i++) await budget.take();
    expect(clock.sleeps).toEqual([]);
    await budget.take();
    expect(clock.sleeps).toEqual([200]);
  });

  it('refuses with retryAt when the wait would exceed maxWaitMs, and does not consume a token', async () => {
    const clock = fakeClock();
    const budget = new OrderRateBudget({ perSecond: 2, perDay: 1_000, maxWaitMs: 100, ...clock });
    await budget.take();
    await budget.take();
    const err = await rejection(budget.take());
    expect(err.message).toContain('order rate budget exhausted');
    expect(err.retryAt).toBe(clock.now() + 500);
    clock.advance(500);
    await budget.take();
    expect(clock.sleeps).toEqual([]);
  });

  it('the daily cap holds until the next UTC midnight', async () => {
    const clock = fakeClock(Date.UTC(2026, 0, 1, 23, 59));
    const budget = new OrderRateBudget({ perSecond: 100, perDay: 3, maxWaitMs: 0, ...clock });
    for (let i = 0; i < 3; i++) await budget.take();
    const err = await rejection(budget.take());
    expect(err.retryAt).toBe(Date.UTC(2026, 0, 2));
    expect(budget.usedToday()).toBe(3);
    clock.advance(60_000);
    await budget.take();
    expect(budget.usedToday()).toBe(1);
  });

  it('concurrent takers queue in order (each waits one slot longer than the one before)', async () => {
    const clock = fakeClock();
    // Sleeps are recorded but time stands still, as when the three calls arrive together.
    const sleeps: number[] = [];
    const budget = new OrderRateBudget({ perSecond: 1, perDay: 100, maxWaitMs: 10_000, now: clock.now, sleep: async (ms) => void sleeps.push(ms) });
    await Promise.all([budget.take(), budget.take(), budget.take()]);
    expect(sleeps).toEqual([1_000, 2_000]);
  });
});

describe('placeOrder honours the budget', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
  });

  it('an order over budget is refused before it reaches the venue', async () => {
    h = await startHarness({ adapter: { orderRateBudget: { perSecond: 1, perDay: 100, maxWaitMs: 0 } } });
    const buy = () => h!.adapter.placeOrder({ clientOrderId: newClientOrderId('rb'), symbol: 'BTC/USDT', side: 'buy', type: 'market', amount: 0.001 });
    await buy();
    const err = await rejection(buy());
    expect(err.retryAt).toBeGreaterThan(Date.now());
    expect(h.local.count('POST /api/v3/order')).toBe(1);
  });
});
