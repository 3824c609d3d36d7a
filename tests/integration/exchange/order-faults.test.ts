/**
 * The order path under the faults a real venue produces, end to end: the real ccxt client against
 * the local Binance-compatible exchange, the order manager, and a real database (PostgreSQL when the
 * server answers, else PGlite). Retry backoffs are instant; the request gate waits for real where a
 * test measures a pause.
 */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import type { Database } from '../../../src/adapters/db/client.ts';
import { DrizzleTradingStore } from '../../../src/adapters/db/repositories/drizzle-trading-store.ts';
import type { AccessChange } from '../../../src/adapters/exchange/request-gate.ts';
import type { DomainEvent } from '../../../src/domain/events.ts';
import { Portfolio } from '../../../src/domain/portfolio.ts';
import { EventBus } from '../../../src/engine/bus.ts';
import { OrderManager, type OrderPlan } from '../../../src/engine/order-manager.ts';
import { systemClock } from '../../../src/ports/clock.ts';
import { ExecutionError } from '../../../src/ports/execution.ts';
import { databaseTargets } from '../../support/databases.ts';
import { FAULTS } from '../../support/local-exchange/index.ts';
import { startHarness, type Harness } from './harness.ts';

const ORDER = 'POST /api/v3/order';
const target = databaseTargets().find((t) => t.name === 'postgres') ?? databaseTargets()[0]!;
const buy: OrderPlan = { kind: 'entry', symbol: 'BTC/USDT', side: 'buy', quantity: 0.01, reduceOnly: false, reason: 'fault test' };

let h: Harness | undefined;
let database: Database | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});
afterAll(() => target.cleanup());

/** `requestWindowMs`: the order path's wait before "not at the venue" counts (short here unless a test is about it). */
async function setup(gateSleep?: (ms: number) => Promise<void>, o: { requestWindowMs?: number; timeoutMs?: number } = {}) {
  h = await startHarness({ adapter: { ...(gateSleep ? { requestGate: { sleep: gateSleep } } : {}), ...(o.timeoutMs ? { timeoutMs: o.timeoutMs } : {}) } });
  await h.adapter.loadMarkets();
  database = await target.open();
  const store = new DrizzleTradingStore(database.db);
  const bus = new EventBus();
  const events: DomainEvent[] = [];
  bus.onAny((e) => void events.push(e));
  const portfolio = new Portfolio(10_000);
  const orders = new OrderManager({ execution: h.adapter, store, clock: systemClock, mode: 'live', logger: pino({ level: 'silent' }), portfolio, bus, lookupDelayMs: 0, requestWindowMs: o.requestWindowMs ?? 200 });
  const changes: AccessChange[] = [];
  h.adapter.access.onChange((c) => void changes.push(c));
  return { h, store, events, portfolio, orders, changes };
}

describe(`order path under venue faults (ccxt + local exchange + ${target.name})`, () => {
  it('a create that fails with a connection reset three times, then succeeds → exactly one order on the exchange', async () => {
    const { h, store, orders, portfolio } = await setup();
    h.local.faults.add(ORDER, { reset: true }, 3);
    const outcome = await orders.submit(buy, 's');
    expect(outcome.kind).toBe('placed');
    expect(h.local.count(ORDER)).toBe(4);
    expect(h.local.state.spot.orders).toHaveLength(1);
    // Every resend carried the same clientOrderId, and each came after a lookup that found nothing.
    const sent = h.local.requests.filter((r) => `${r.method} ${r.path}` === ORDER).map((r) => r.params.newClientOrderId);
    expect(new Set(sent).size).toBe(1);
    expect(h.local.count('GET /api/v3/order')).toBeGreaterThanOrEqual(3);
    const stored = (await store.getOrder(outcome.clientOrderId))!;
    expect(stored.status).toBe('filled');
    const fills = await store.fillsOfOrder(outcome.clientOrderId);
    expect(fills.reduce((s, f) => s + f.amount, 0)).toBeCloseTo(0.01, 12);
    expect(portfolio.get('BTC/USDT')!.quantity).toBeCloseTo(0.00999, 12); // the venue took 0.1 % in BTC
  });

  it('a create that times out while the venue still holds it in its queue → looked up again once it can no longer arrive, adopted, sent once', async () => {
    // The venue executes the request 1.5 s after it arrived; the client gives up after 0.5 s.
    const { h, store, orders } = await setup(undefined, { timeoutMs: 500, requestWindowMs: 2_500 });
    h.local.faults.add(ORDER, { delayMs: 1_500 });
    const outcome = await orders.submit(buy, 's');
    expect(outcome.kind).toBe('placed');
    expect(h.local.count(ORDER)).toBe(1);
    expect(h.local.state.spot.orders).toHaveLength(1);
    expect((await store.getOrder(outcome.clientOrderId))!.status).toBe('filled');
    expect(h.local.count('GET /api/v3/order')).toBe(2); // at once (nothing yet), then after the window
  });

  it('the same queued create with no request window is executed twice: the venue accepts a filled order\'s clientOrderId again (why the window exists)', async () => {
    const { h, orders } = await setup(undefined, { timeoutMs: 500, requestWindowMs: 0 });
    h.local.faults.add(ORDER, { delayMs: 1_500 });
    await orders.submit(buy, 's');
    await new Promise((r) => setTimeout(r, 1_600));
    expect(h.local.count(ORDER)).toBe(2);
    expect(h.local.state.spot.orders).toHaveLength(2);
  });

  it('recorded by the venue, then the answer fails → no resend; the order is adopted with its fills', async () => {
    const { h, store, orders, events } = await setup();
    h.local.faults.add(ORDER, { recordThenFail: { status: 500 } });
    const outcome = await orders.submit(buy, 's');
    expect(outcome.kind).toBe('placed');
    expect(h.local.count(ORDER)).toBe(1);
    expect(h.local.state.spot.orders).toHaveLength(1);
    expect((await store.getOrder(outcome.clientOrderId))!.status).toBe('filled');
    expect(await store.fillsOfOrder(outcome.clientOrderId)).not.toHaveLength(0);
    expect(events.some((e) => e.type === 'entry')).toBe(true);
  });

  it('503 "execution status unknown" while the order filled → stored filled, no rejection alert', async () => {
    const { h, store, orders, events } = await setup();
    h.local.faults.add(ORDER, FAULTS.executionUnknown());
    const outcome = await orders.submit(buy, 's');
    expect(outcome.kind).toBe('placed');
    expect(h.local.count(ORDER)).toBe(1);
    expect((await store.getOrder(outcome.clientOrderId))!.status).toBe('filled');
    expect(events.filter((e) => e.type === 'order-rejected' || e.type === 'exchange-error')).toEqual([]);
    expect(events.some((e) => e.type === 'fill')).toBe(true);
  });

  it('a 429 with Retry-After on market data pauses every request to the exchange until it has passed', async () => {
    const { h, changes } = await setup((ms) => new Promise((r) => setTimeout(r, ms)));
    h.local.faults.add('GET /api/v3/ticker/24hr', FAULTS.rateLimited(1));
    const t0 = Date.now();
    // The read is retried (instant backoff here), but the gate holds the retry and every other path.
    const [price, balances] = await Promise.all([h.adapter.fetchPrice('BTC/USDT'), new Promise((r) => setTimeout(r, 50)).then(() => h!.adapter.fetchBalances())]);
    expect(price).toBe(50_000);
    expect(balances.USDT).toBeDefined();
    const limited = h.local.requests.find((r) => r.path === '/api/v3/ticker/24hr')!;
    const after = h.local.requests.filter((r) => r.ts > limited.ts);
    expect(after.length).toBeGreaterThanOrEqual(2);
    for (const r of after) expect(r.ts - limited.ts, `${r.method} ${r.path}`).toBeGreaterThanOrEqual(990);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(990);
    expect(changes.map((c) => c.type)).toEqual(['rate-limited', 'resumed']);
  });

  it('a 418 ban → no request at all until it ends, one ban notice, then a probe resumes traffic', async () => {
    const { h, orders, store, changes } = await setup();
    const until = Date.now() + 1_500;
    h.local.ban(until);
    await expect(h.adapter.fetchCandles('BTC/USDT', '1m', undefined, 5)).rejects.toMatchObject({ kind: 'banned', retryAt: until });
    const seen = h.local.requests.length;
    // Orders, balances and market data are all held back while banned: nothing reaches the venue.
    const outcome = await orders.submit(buy, 's');
    expect(outcome.kind).toBe('rejected');
    expect((await store.getOrder(outcome.clientOrderId))!.status).toBe('rejected');
    await expect(h.adapter.fetchBalances()).rejects.toBeInstanceOf(ExecutionError);
    await expect(h.adapter.fetchPrice('BTC/USDT')).rejects.toMatchObject({ kind: 'banned' });
    expect(h.local.requests.length).toBe(seen);
    expect(h.adapter.access.status()).toMatchObject({ state: 'banned', until });
    expect(changes).toEqual([expect.objectContaining({ type: 'banned', until })]);
    await new Promise((r) => setTimeout(r, until - Date.now() + 20));
    expect(h.local.requests.length).toBe(seen);
    expect(await h.adapter.fetchPrice('BTC/USDT')).toBe(50_000);
    expect(h.local.requests.length).toBe(seen + 1);
    expect(h.adapter.access.status().state).toBe('ok');
    expect(changes.map((c) => c.type)).toEqual(['banned', 'resumed']);
    expect((await orders.submit(buy, 's')).kind).toBe('placed');
  });

  it('records request latency for /health and /metrics', async () => {
    const { h } = await setup();
    await h.adapter.fetchPrice('BTC/USDT');
    const l = h.adapter.access.latency();
    expect(l.count).toBeGreaterThanOrEqual(2);
    expect(l.p50Ms).toBeGreaterThan(0);
    expect(l.p99Ms).toBeGreaterThanOrEqual(l.p50Ms!);
  });
});
