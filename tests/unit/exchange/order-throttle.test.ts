import { describe, expect, it } from 'vitest';
import { createCcxtClient } from '../../../src/adapters/exchange/ccxt-client.ts';

describe('order creation is paced by the order budget, not ccxt\'s weight throttle', () => {
  it('POST order costs 0 and goes at once even while the bucket is in debt; other requests keep their cost', async () => {
    const { exchange } = await createCcxtClient({ exchangeId: 'binance', marketType: 'spot', sandbox: false, maxLeverage: 1 } as never);
    const ex = exchange as unknown as { calculateRateLimiterCost: (...a: unknown[]) => number; throttle: (c?: number) => Promise<unknown>; throttler: { config: { tokens: number } } };
    expect(ex.calculateRateLimiterCost('private', 'POST', 'order', {}, { cost: 0.2 })).toBe(0);
    expect(ex.calculateRateLimiterCost('private', 'GET', 'order', {}, { cost: 0.2 })).toBe(0.2);
    expect(ex.calculateRateLimiterCost('public', 'GET', 'klines', {}, { cost: 2 })).toBe(2);
    // Earlier reads left the leaky bucket 10 requests in debt (≈ 500 ms of refill at binance's rate).
    ex.throttler.config.tokens = -10;
    const t0 = performance.now();
    await Promise.all(Array.from({ length: 20 }, () => ex.throttle(0)));
    // Paced by the bucket it would take ≥ 500 ms; at once it takes microseconds (the bound leaves room
    // for a loaded machine running another test file beside this one).
    expect(performance.now() - t0).toBeLessThan(250);
  });
});
