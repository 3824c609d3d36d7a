/**
 * Limit orders that time out are cancelled and re-priced within MAX_PRICE_CHASE, up to MAX_REQUOTES
 * times, or given up — with the real ccxt client against the local exchange and a real database.
 */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { DrizzleTradingStore } from '../../../src/adapters/db/repositories/drizzle-trading-store.ts';
import { Portfolio } from '../../../src/domain/portfolio.ts';
import { EventBus } from '../../../src/engine/bus.ts';
import { chaseLimit, type ChasePolicy } from '../../../src/engine/limit-chaser.ts';
import { OrderManager } from '../../../src/engine/order-manager.ts';
import { systemClock } from '../../../src/ports/clock.ts';
import { databaseTargets } from '../../support/databases.ts';
import { startHarness, type Harness } from './harness.ts';

const target = databaseTargets().find((t) => t.name === 'postgres') ?? databaseTargets()[0]!;
const policy: ChasePolicy = { timeoutMs: 300, maxRequotes: 2, maxChasePct: 1, pollMs: 50 };
const buyAt = (price: number) => ({ kind: 'entry' as const, symbol: 'BTC/USDT', side: 'buy' as const, quantity: 0.01, reduceOnly: false, reason: 'chase test', type: 'limit' as const, price });

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});
afterAll(() => target.cleanup());

async function setup() {
  h = await startHarness();
  await h.adapter.loadMarkets();
  const store = new DrizzleTradingStore((await target.open()).db);
  const logger = pino({ level: 'silent' });
  const orders = new OrderManager({ execution: h.adapter, store, clock: systemClock, mode: 'live', logger, portfolio: new Portfolio(10_000), bus: new EventBus(), lookupDelayMs: 0 });
  const deps = { orders, store, logger, price: (symbol: string) => h!.adapter.fetchPrice(symbol) };
  return { h, store, deps };
}

describe(`limit order timeout and re-pricing (ccxt + local exchange + ${target.name})`, () => {
  it('a resting order times out, is cancelled and re-priced at the market within the chase limit, then fills', async () => {
    const { h, store, deps } = await setup();
    h.local.state.setPrice('BTC/USDT', 50_000);
    const pending = chaseLimit(deps, buyAt(49_800), 's', policy);
    await new Promise((r) => setTimeout(r, 100));
    h.local.state.setPrice('BTC/USDT', 50_200); // moves away: the first order rests until its timeout
    const result = await pending;
    expect(result.status).toBe('filled');
    expect(result.clientOrderIds).toHaveLength(2);
    expect(result.filled).toBeCloseTo(0.01, 12);
    const [first, second] = await Promise.all(result.clientOrderIds.map((id) => store.getOrder(id)));
    expect(first).toMatchObject({ status: 'canceled', price: 49_800 });
    expect(second).toMatchObject({ status: 'filled' });
    expect(second!.price).toBeCloseTo(50_200, 6);
    expect(h.local.state.spot.orders).toHaveLength(2);
  });

  it('gives up when the market moved beyond MAX_PRICE_CHASE, leaving nothing open', async () => {
    const { h, deps } = await setup();
    h.local.state.setPrice('BTC/USDT', 52_000); // 4 % above the first price
    const result = await chaseLimit(deps, buyAt(50_000), 's', policy);
    expect(result).toMatchObject({ status: 'given-up', filled: 0 });
    expect(result.reason).toMatch(/MAX_PRICE_CHASE/);
    expect(h.local.state.spot.open('BTCUSDT')).toEqual([]);
  });

  it('gives up after MAX_REQUOTES re-pricings that did not fill', async () => {
    const { h, deps } = await setup();
    h.local.state.setPrice('BTC/USDT', 50_000);
    // The quoted price is always a little below the market: every order rests and times out.
    const result = await chaseLimit({ ...deps, price: async () => 49_900 }, buyAt(49_900), 's', { ...policy, maxRequotes: 1 });
    expect(result).toMatchObject({ status: 'given-up', filled: 0 });
    expect(result.clientOrderIds).toHaveLength(2);
    expect(result.reason).toMatch(/MAX_REQUOTES 1/);
    expect(h.local.state.spot.open('BTCUSDT')).toEqual([]);
  });
});
