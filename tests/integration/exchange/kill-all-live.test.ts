/**
 * Kill-all in live mode, end to end: the real ccxt client against the local Binance-compatible
 * exchange, the order manager, the kill-all runner and a real database. Twenty spot positions bought
 * by tradeops and twenty resting orders it placed, plus a holding and an order that are not
 * tradeops'; 30 % of order requests (create and cancel) are answered 429 with Retry-After, drawn
 * from a seeded PRNG so every run sees the same pattern; one symbol's orders are rejected outright.
 * The request gate and the runner wait for real, so "no request during a pause" is measured on the
 * exchange's own request log.
 */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { DrizzleRiskStore } from '../../../src/adapters/db/repositories/drizzle-risk-store.ts';
import { DrizzleTradingStore } from '../../../src/adapters/db/repositories/drizzle-trading-store.ts';
import { Portfolio } from '../../../src/domain/portfolio.ts';
import { EventBus } from '../../../src/engine/bus.ts';
import { KillAll } from '../../../src/engine/kill-all.ts';
import { OrderManager } from '../../../src/engine/order-manager.ts';
import { systemClock } from '../../../src/ports/clock.ts';
import { TradingStateHolder } from '../../../src/risk/trading-state.ts';
import { databaseTargets } from '../../support/databases.ts';
import { FAULTS, binanceError, type LocalMarketSpec } from '../../support/local-exchange/index.ts';
import { startHarness, type Harness } from './harness.ts';

const N = 20;
const BOUGHT = 1.23;
/** What tradeops holds after the buy: the venue takes its 0.1 % fee in the base coin received. */
const HELD = 1.22877;
const EXTERNAL_BASE = 7;
const RETRY_AFTER_MS = 1000;
const ORDER_ENDPOINTS = ['POST /api/v3/order', 'DELETE /api/v3/order'];
const letters = 'ABCDEFGHIJKLMNOPQRST';
const specs: LocalMarketSpec[] = [...letters].map((c, i) => ({ id: `Q${c}${c}USDT`, kind: 'spot', base: `Q${c}${c}`, quote: 'USDT', tickSize: 0.01, stepSize: 0.00001, minQty: 0.00001, maxQty: 1_000_000, minNotional: 5, initialPrice: 20 + i }));
const symbols = specs.map((m) => `${m.base}/USDT`);
const FAILING = symbols[N - 1]!;
const FAILING_ID = specs[N - 1]!.id;
const target = databaseTargets()[0]!;

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});
afterAll(() => target.cleanup());

const realSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

describe(`kill-all live (ccxt + local exchange + ${target.name})`, () => {
  it('flattens 20 positions and cancels 20 orders under 30 % 429s, leaves external ones alone, reports the failing symbol, and a second run sends nothing new', async () => {
    h = await startHarness({ local: { markets: specs, spotBalances: { USDT: 100_000, [specs[0]!.base]: EXTERNAL_BASE } }, adapter: { requestGate: { sleep: realSleep } } });
    await h.adapter.loadMarkets();
    const database = await target.open();
    const store = new DrizzleTradingStore(database.db);
    const riskStore = new DrizzleRiskStore(database.db);
    const bus = new EventBus();
    const logger = pino({ level: 'silent' });
    const portfolio = new Portfolio(100_000);
    const orders = new OrderManager({ execution: h.adapter, store, clock: systemClock, mode: 'live', logger, portfolio, bus, lookupDelayMs: 0 });
    const tradingState = await TradingStateHolder.load(store, () => {}, systemClock);

    // tradeops' own book: a market buy (its fills) and a resting limit buy per symbol.
    for (const [i, symbol] of symbols.entries()) {
      const entry = await orders.submit({ kind: 'entry', symbol, side: 'buy', quantity: BOUGHT, reduceOnly: false, reason: 'setup' }, 's');
      expect(entry.kind).toBe('placed');
      const rest = await orders.submit({ kind: 'entry', symbol, side: 'buy', quantity: 1, reduceOnly: false, reason: 'setup', type: 'limit', price: (20 + i) / 2 }, 's');
      expect(rest.kind).toBe('placed');
    }
    // Not tradeops': a resting order placed by hand on the venue, and base coins held before.
    await h.adapter.placeOrder({ clientOrderId: 'by-hand-1', symbol: symbols[1]!, side: 'buy', type: 'limit', amount: 2, price: 5 });
    expect(portfolio.get(symbols[0]!)!.quantity).toBeCloseTo(HELD, 12);
    expect(h.local.state.spot.balance(specs[0]!.base).free).toBeCloseTo(EXTERNAL_BASE + HELD, 12);
    expect(h.local.state.spot.open(specs[0]!.id)).toHaveLength(1);

    h.local.faults.addRandom(ORDER_ENDPOINTS, 0.3, FAULTS.rateLimited(RETRY_AFTER_MS / 1000), 9);
    h.local.faults.addRandom('POST /api/v3/order', 1, { status: 400, body: binanceError(-2010, 'This symbol is not permitted for this account.') }, 1, (p) => p.symbol === FAILING_ID);

    const killAll = new KillAll({ execution: h.adapter, store, riskStore, orders, portfolio, tradingState, bus, clock: systemClock, logger, marks: () => new Map(symbols.map((s, i) => [s, 20 + i])), symbols, maxWaitMs: 5_000 });
    const pauses: Array<{ seenAt: number; until: number }> = [];
    h.adapter.access.onChange((c) => {
      if (c.type === 'rate-limited') pauses.push({ seenAt: Date.now(), until: c.until });
    });
    const from = h.local.requests.length;
    const started = Date.now();
    const first = await killAll.start('test', false);
    const run = await first.done;
    const elapsed = Date.now() - started;
    const during = h.local.requests.slice(from);

    // Every tradeops position flat, sold exactly the coins its buy brought in; the failing symbol untouched and reported.
    for (const [i, symbol] of symbols.entries()) {
      const base = specs[i]!.base;
      const line = run.items.find((it) => it.symbol === symbol)!;
      if (symbol === FAILING) {
        expect(line.outcome).toBe('failed');
        expect(line.detail).toMatch(/not permitted/);
        expect(h.local.state.spot.balance(base).free + h.local.state.spot.balance(base).locked).toBeCloseTo(HELD, 12);
        continue;
      }
      expect(line.outcome, `${symbol}: ${line.detail}`).toBe('closed');
      expect(portfolio.get(symbol)?.quantity ?? 0).toBe(0);
      const sold = h.local.state.spot.orders.filter((o) => o.symbol === specs[i]!.id && o.side === 'SELL').reduce((s, o) => s + Number(o.executedQty), 0);
      expect(sold).toBeCloseTo(HELD, 12);
      const left = h.local.state.spot.balance(base).free + h.local.state.spot.balance(base).locked;
      expect(left).toBeCloseTo(i === 0 ? EXTERNAL_BASE : 0, 12);
    }
    // Every tradeops order cancelled (the failing symbol's too: cancels were not rejected); by-hand order left.
    expect(await store.ordersByStatus(['open', 'partially_filled', 'submitted'])).toHaveLength(0);
    const stillOpen = symbols.flatMap((_, i) => h!.local.state.spot.open(specs[i]!.id));
    expect(stillOpen.map((o) => o.clientOrderId)).toEqual(['by-hand-1']);
    // No new exposure: nothing bought during the run.
    const creates = during.filter((r) => r.method === 'POST' && r.path === '/api/v3/order');
    expect(creates.length).toBeGreaterThan(0);
    expect(creates.every((r) => r.params.side === 'SELL')).toBe(true);
    // Retry-After honoured: every 429 the client saw paused it until the Retry-After was over. A call
    // signed after the client saw the 429 (ccxt signs with `timestamp` before sending) must not reach
    // the exchange before the pause ends; calls already on the wire may still arrive in it.
    const hits = h.local.faults.randomHits.filter((x) => 'status' in x.fault && x.fault.status === 429);
    expect(hits.length).toBeGreaterThan(5);
    expect(pauses.length).toBe(hits.length);
    for (const p of pauses) {
      const early = during.filter((r) => r.ts > p.seenAt && r.ts < p.until - 5 && Number(r.params.timestamp ?? r.ts) > p.seenAt);
      expect(early.map((r) => `${r.method} ${r.path} @+${r.ts - p.seenAt}ms`), `requests inside the pause seen at ${p.seenAt}`).toEqual([]);
      expect(p.until - p.seenAt).toBeGreaterThanOrEqual(RETRY_AFTER_MS - 50);
    }
    expect(elapsed).toBeLessThan(45_000);

    // Second run: nothing new for any symbol already flat; only the still-open failing symbol is tried again.
    const mark = h.local.requests.length;
    const second = await killAll.start('test', false);
    expect(second.started).toBe(true);
    const rerun = await second.done;
    const sent = h.local.requests.slice(mark).filter((r) => ORDER_ENDPOINTS.includes(`${r.method} ${r.path}`));
    expect(sent.every((r) => r.params.symbol === FAILING_ID && r.method === 'POST')).toBe(true);
    expect(rerun.items.map((it) => it.symbol)).toEqual([FAILING]);
    expect(rerun.items[0]!.outcome).toBe('failed');
    await database.close();
  }, 60_000);
});
