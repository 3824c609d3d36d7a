import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import pino from 'pino';
import { eq } from 'drizzle-orm';
import { type Database } from '../../../src/adapters/db/client.ts';
import { migrate } from '../../../src/adapters/db/migrate.ts';
import { DrizzleRiskStore } from '../../../src/adapters/db/repositories/drizzle-risk-store.ts';
import { DrizzleTradingStore } from '../../../src/adapters/db/repositories/drizzle-trading-store.ts';
import { decisions, killRuns } from '../../../src/adapters/db/schema.ts';
import { createSimExchange, type SimExchange } from '../../../src/adapters/exchange/sim/index.ts';
import { createManualOrders } from '../../../src/app/manual-orders.ts';
import { simBalancesOf } from '../../../src/app/build-exchange.ts';
import type { DomainEvent } from '../../../src/domain/events.ts';
import { NO_RISK_SETTINGS, type RiskSettings } from '../../../src/engine/risk-layer.ts';
import { createKernel, type Kernel } from '../../../src/kernel.ts';
import type { Execution } from '../../../src/ports/execution.ts';
import { parseSizing } from '../../../src/risk/sizing.ts';
import { TradingStateHolder } from '../../../src/risk/trading-state.ts';
import type { StrategyDefinition } from '../../../src/strategies/strategy.ts';
import { openMigratedPglite } from '../../support/pglite-snapshot.ts';

const logger = pino({ level: 'silent' });

/** Enters long on every candle it sees while flat. */
const eager: StrategyDefinition = {
  name: 'eager',
  description: 'test: always wants in',
  params: z.object({}).strict() as never,
  warmup: () => 1,
  create: () => ({ prepare() {}, onCandle: ({ position }) => (position ? [] : [{ kind: 'enter', side: 'long', reason: 'test entry' }]) }),
};

describe('risk layer on the simulated exchange and PGlite', () => {
  let db: Database | undefined;
  let sim: SimExchange | undefined;
  afterEach(async () => {
    await sim?.close();
    await db?.close();
    sim = undefined;
    db = undefined;
  });

  async function setup(risk: Partial<RiskSettings['limits']> = {}, protections: Partial<RiskSettings['protections']> = {}) {
    let wall = Date.UTC(2026, 0, 1);
    db ??= await openMigratedPglite();
    await migrate(db);
    const store = new DrizzleTradingStore(db.db, () => sim!.clock.now());
    const riskStore = new DrizzleRiskStore(db.db);
    const balances = simBalancesOf(undefined, 'spot', 10_000);
    sim = await createSimExchange({ symbols: ['BTC/USDT', 'ETH/USDT'], timeframe: '1m', seed: 7, speed: 1, historyCandles: 500, ...balances, feeBps: 10, slippageBps: 0, marketType: 'spot', now: () => wall });
    const sent: string[] = [];
    const base: Execution = sim;
    const execution: Execution = new Proxy(base, {
      get(t, k, r) {
        const v = Reflect.get(t, k, r);
        if (k === 'placeOrder' || k === 'cancelOrder') return (...a: unknown[]) => (sent.push(String(k)), (v as (...x: unknown[]) => unknown).apply(t, a));
        return typeof v === 'function' ? v.bind(t) : v;
      },
    });
    const settings: RiskSettings = { ...NO_RISK_SETTINGS, limits: { ...NO_RISK_SETTINGS.limits, ...risk }, protections: { ...NO_RISK_SETTINGS.protections, ...protections } };
    const kernel: Kernel = await createKernel(
      { marketData: sim, execution, clock: sim.clock, store, logger, riskStore },
      { mode: 'paper', strategy: eager, params: {}, symbols: ['BTC/USDT', 'ETH/USDT'], timeframe: '1m', sizing: parseSizing('percent:10'), allowShort: false, initialCash: 10_000, orderPolicy: { lookupDelayMs: 0 }, risk: settings },
    );
    const events: DomainEvent[] = [];
    kernel.bus.onAny((e) => void events.push(e));
    return { kernel, store, riskStore, events, sent, advance: (s: number) => (wall += s * 1000) };
  }

  it('a strategy entry over MAX_ORDER_NOTIONAL is denied: stored with its input hash, counted, alerted once, 0 exchange calls', async () => {
    const { kernel, events, sent, advance } = await setup({ maxOrderNotional: 50 });
    await kernel.engine.tick();
    for (let i = 0; i < 3; i++) {
      advance(1);
      await kernel.engine.tick();
    }
    expect(sent).toEqual([]);
    const rows = await db!.db.select().from(decisions).where(eq(decisions.verdict, 'denied'));
    expect(rows.length).toBeGreaterThanOrEqual(2);
    expect(rows[0]!.inputHash).toMatch(/^[0-9a-f]{64}$/);
    expect(rows[0]!.source).toBe('strategy');
    expect((rows[0]!.reasons as Array<{ code: string }>).map((r) => r.code)).toContain('MAX_ORDER_NOTIONAL');
    expect(kernel.risk.gate.denialCounts().get('MAX_ORDER_NOTIONAL')).toBe(rows.length);
    // Alerts are rate-limited: one per symbol and reason set within the interval, however many denials.
    const alerts = events.filter((e) => e.type === 'order-denied');
    expect(alerts.length).toBeLessThan(rows.length);
    expect(new Set(alerts.map((e) => (e as { symbol: string }).symbol)).size).toBe(alerts.length);
  });

  it('manual orders: preview with the checks, placed through the gate tagged manual, a sell reduces the long; a denial sends nothing', async () => {
    const { kernel, store, sent } = await setup({ maxOrderNotional: 600 });
    await kernel.engine.tick();
    const manual = createManualOrders(kernel, '1m');
    const p = await manual.preview({ symbol: 'BTC/USDT', side: 'buy', amount: 500, percent: false });
    expect(p).toMatchObject({ kind: 'entry', side: 'buy', type: 'market', denials: [] });
    expect(p.quote).toBeLessThanOrEqual(500);
    expect(p.fee).toBeCloseTo(p.quote * 0.001, 6);
    expect(p.passed).toContain('max-position');
    expect(sent).toEqual([]);
    const big = await manual.place({ symbol: 'BTC/USDT', side: 'buy', amount: 50, percent: true }, 'telegram:1');
    expect(big.result.ok).toBe(false);
    expect(big.result.detail).toMatch(/MAX_ORDER_NOTIONAL/);
    expect(sent).toEqual([]);
    const done = await manual.place({ symbol: 'BTC/USDT', side: 'buy', amount: 500, percent: false }, 'telegram:1');
    expect(done.result.ok).toBe(true);
    const held = kernel.portfolio.get('BTC/USDT')!.quantity;
    expect(held).toBeCloseTo(p.base, 9);
    expect((await store.ordersByStatus(['filled']))[0]).toMatchObject({ strategy: 'manual', reason: 'manual' });
    const sell = await manual.preview({ symbol: 'BTC/USDT', side: 'sell', amount: 100, percent: true });
    expect(sell).toMatchObject({ kind: 'exit', base: held }); // never more than held
    await manual.place({ symbol: 'BTC/USDT', side: 'sell', amount: 100, percent: true }, 'telegram:1');
    expect(kernel.portfolio.get('BTC/USDT')).toBeUndefined();
  });

  it('kill-all: HALTED persisted first, every position closed, a second start joins, the run is stored done', async () => {
    const { kernel, store, riskStore, events } = await setup();
    await kernel.engine.tick();
    const manual = createManualOrders(kernel, '1m');
    await manual.place({ symbol: 'BTC/USDT', side: 'buy', amount: 400, percent: false }, 'a');
    await manual.place({ symbol: 'ETH/USDT', side: 'buy', amount: 300, percent: false }, 'a');
    expect(kernel.portfolio.all()).toHaveLength(2);
    const plan = await kernel.risk.killAll!.plan(false);
    expect(plan.map((l) => l.symbol)).toEqual(['BTC/USDT', 'ETH/USDT']);
    const first = await kernel.risk.killAll!.start('telegram:1', false);
    expect((await store.loadTradingState())?.state).toBe('HALTED');
    const second = await kernel.risk.killAll!.start('telegram:2', false);
    expect(second).toMatchObject({ started: false, runId: first.runId });
    const run = await first.done;
    expect(run.items.map((i) => i.outcome)).toEqual(['closed', 'closed']);
    expect(kernel.portfolio.all()).toEqual([]);
    expect(await riskStore.runningKillRun()).toBeUndefined();
    const fin = events.find((e) => e.type === 'kill-all' && e.phase === 'finished');
    expect(fin).toMatchObject({ runId: first.runId, lines: [{ symbol: 'BTC/USDT', outcome: 'closed' }, { symbol: 'ETH/USDT', outcome: 'closed' }] });
    // Strategy entries stay blocked: HALTED until an admin resumes.
    await kernel.engine.tick();
    expect(kernel.portfolio.all()).toEqual([]);
  });

  it('kill-all resumes a run a killed process left running', async () => {
    const { kernel, riskStore } = await setup();
    await kernel.engine.tick();
    await createManualOrders(kernel, '1m').place({ symbol: 'BTC/USDT', side: 'buy', amount: 400, percent: false }, 'a');
    const q = kernel.portfolio.get('BTC/USDT')!.quantity;
    const id = await riskStore.createKillRun({ status: 'running', requestedBy: 'telegram:1', includeExternal: false, reason: 'kill-all', startedAt: 1, items: [{ symbol: 'BTC/USDT', outcome: 'pending', detail: '', quantity: q, cancel: [], attempts: 0 }] });
    const run = await kernel.risk.killAll!.resumePending();
    expect(run).toMatchObject({ id, status: 'done', items: [{ outcome: 'closed' }] });
    expect(kernel.tradingState.get().state).toBe('HALTED');
    expect(kernel.portfolio.get('BTC/USDT')).toBeUndefined();
    expect((await db!.db.select().from(killRuns))[0]!.status).toBe('done');
  });

  it('a resumed close never opens the other side: a position that reads the other way from the plan fails, nothing sent', async () => {
    const { kernel, riskStore, sent } = await setup();
    await kernel.engine.tick();
    await createManualOrders(kernel, '1m').place({ symbol: 'BTC/USDT', side: 'buy', amount: 400, percent: false }, 'a');
    const q = kernel.portfolio.get('BTC/USDT')!.quantity;
    sent.length = 0;
    // Planned as a short of q (what the run recorded), while the books now read a long: counted wrong somewhere.
    await riskStore.createKillRun({ status: 'running', requestedBy: 'telegram:1', includeExternal: false, reason: 'kill-all', startedAt: 1, items: [{ symbol: 'BTC/USDT', outcome: 'pending', detail: '', quantity: -q, cancel: [], attempts: 0 }] });
    const run = await kernel.risk.killAll!.resumePending();
    expect(run!.items[0]).toMatchObject({ outcome: 'failed', detail: expect.stringMatching(/the other way from the -[0-9.]+ planned: nothing sent/) });
    expect(sent).toEqual([]);
    expect(kernel.portfolio.get('BTC/USDT')!.quantity).toBe(q);
  });

  it('max drawdown halts trading (persisted, announced); the cooldown locks a symbol after an exit', async () => {
    const { kernel, store, events } = await setup({}, { maxDrawdownPct: 10, cooldownMs: 3_600_000 });
    await kernel.engine.tick();
    kernel.portfolio.cash = 8_900; // an 11 % loss from the 10,000 peak
    await kernel.risk.afterTick(sim!.clock.now());
    expect(kernel.tradingState.get()).toMatchObject({ state: 'HALTED', changedBy: 'protection:max-drawdown' });
    expect((await store.loadTradingState())?.state).toBe('HALTED');
    expect(events.some((e) => e.type === 'protection-triggered' && e.protection === 'max-drawdown')).toBe(true);
    const restarted = await TradingStateHolder.load(store, () => {}, sim!.clock);
    expect(restarted.get().state).toBe('HALTED');
    kernel.bus.publish({ type: 'exit', ts: sim!.clock.now(), symbol: 'ETH/USDT', side: 'long', price: 1, quantity: 1, pnl: 0, pnlPct: 0, reason: 'test', clientOrderId: 'x' });
    await kernel.bus.drain();
    expect(kernel.risk.state.activeLocks(sim!.clock.now()).map((l) => l.symbol)).toEqual(['ETH/USDT']);
  });
});
