import { describe, expect, it } from 'vitest';
import type { DomainEvent } from '../../../src/domain/events.ts';
import type { MarketInfo } from '../../../src/domain/market.ts';
import type { Logger } from '../../../src/logger.ts';
import { ManualClock } from '../../../src/ports/clock.ts';
import type { DecisionRecord } from '../../../src/ports/store.ts';
import { preflightInputHash } from '../../../src/risk/input-hash.ts';
import type { PreflightContext } from '../../../src/risk/preflight/index.ts';
import { applyProtection } from '../../../src/risk/protection-actions.ts';
import { NO_PROTECTIONS } from '../../../src/risk/protections/protection.ts';
import { RiskGate } from '../../../src/risk/risk-gate.ts';
import { RiskState } from '../../../src/risk/risk-state.ts';
import { NO_LIMITS } from '../../../src/risk/risk-view.ts';
import { TradingStateHolder } from '../../../src/risk/trading-state.ts';
import { memoryOrderStore } from '../engine/support/order-venue.ts';

const market: MarketInfo = { symbol: 'BTC/USDT', base: 'BTC', quote: 'USDT', type: 'spot', amountStep: 0.001, priceStep: 0.01, minAmount: 0.001, minNotional: 5, contractSize: 1, makerFee: 0, takerFee: 0.001 };
const ctx = (over: Partial<PreflightContext> = {}): PreflightContext => ({
  kind: 'entry', side: 'long', symbol: 'BTC/USDT', quantity: 1, price: 100, position: undefined, market,
  tradingState: { state: 'ACTIVE', reason: '', changedBy: 'system', changedAt: 0 }, allowShort: false, available: 1000, equity: 1000, ...over,
});
const T = 1_700_000_000_000;

function gate(alertIntervalMs?: number) {
  const events: DomainEvent[] = [];
  const records: DecisionRecord[] = [];
  const state = new RiskState(NO_LIMITS, NO_PROTECTIONS);
  const g = new RiskGate({ state, publish: (e) => void events.push(e), record: async (d) => void records.push(d), alertIntervalMs });
  return { g, state, events, records };
}

describe('risk gate', () => {
  it('approves what passes every rule and denies with every reason', () => {
    const { g } = gate();
    expect(g.check(ctx())).toEqual({ approved: true, denials: [] });
    const v = g.check(ctx({ quantity: 0, side: 'short' }));
    expect(v.approved).toBe(false);
    expect(v.denials.map((d) => d.code)).toEqual(['SHORT_NOT_ALLOWED', 'ZERO_SIZE']);
  });

  it('stores each denial with its input hash and counts it per reason', async () => {
    const { g, records, events } = gate();
    const c = ctx({ quantity: 0 });
    const denials = g.check(c).denials;
    const hash = await g.denied(c, denials, { ts: T, strategy: 's1', intent: { kind: 'enter' }, describe: 'enter long BTC/USDT' });
    expect(hash).toBe(preflightInputHash(c));
    expect(records).toEqual([{ ts: T, strategy: 's1', symbol: 'BTC/USDT', intent: { kind: 'enter' }, verdict: 'denied', reasons: denials, source: 'strategy', inputHash: hash }]);
    expect(events).toEqual([{ type: 'order-denied', ts: T, symbol: 'BTC/USDT', reasons: [`ZERO_SIZE: ${denials[0]!.message}`], intent: 'enter long BTC/USDT' }]);
    await g.denied(ctx({ quantity: 0, source: 'manual' }), denials, { ts: T + 1, strategy: 's1', intent: {}, describe: 'x' });
    expect(records[1]!.source).toBe('manual');
    expect([...g.denialCounts()]).toEqual([['ZERO_SIZE', 2]]);
    expect(g.deniedTotal).toBe(2);
  });

  it('alerts the same symbol and reasons at most once per interval (default 5 minutes), others at once', async () => {
    const { g, events, records } = gate();
    const d = [{ code: 'A', message: 'a' }, { code: 'B', message: 'b' }];
    const meta = (ts: number) => ({ ts, strategy: 's', intent: {}, describe: 'i' });
    await g.denied(ctx(), d, meta(T));
    await g.denied(ctx(), [...d].reverse(), meta(T + 299_999)); // same reasons in another order: same key
    await g.denied(ctx({ symbol: 'ETH/USDT' }), d, meta(T + 1)); // another symbol
    await g.denied(ctx(), [d[0]!], meta(T + 2)); // other reasons
    await g.denied(ctx(), d, meta(T + 300_000));
    expect(events.map((e) => [e.ts, (e as { symbol: string }).symbol])).toEqual([[T, 'BTC/USDT'], [T + 1, 'ETH/USDT'], [T + 2, 'BTC/USDT'], [T + 300_000, 'BTC/USDT']]);
    expect(records).toHaveLength(5); // every denial is stored, alerted or not
    const quick = gate(1_000);
    await quick.g.denied(ctx(), d, meta(T));
    await quick.g.denied(ctx(), d, meta(T + 999));
    await quick.g.denied(ctx(), d, meta(T + 1_000));
    expect(quick.events.map((e) => e.ts)).toEqual([T, T + 1_000]);
  });

  it('an approved order counts for the order rate; an approved entry is remembered per candle as a duplicate', () => {
    const { g, state } = gate();
    const risk = state.view('BTC/USDT', { now: T, openPositions: 0, candleTs: T - 60_000 });
    g.approved(ctx({ risk }), T);
    g.approved(ctx({ kind: 'exit', risk }), T + 1);
    const after = state.view('BTC/USDT', { now: T + 2, openPositions: 0, candleTs: T - 60_000 });
    expect(after.snapshot.ordersLastMinute).toBe(2);
    expect(after.snapshot.seenIntents.size).toBe(1);
    expect(g.state).toBe(state);
  });
});

describe('preflight input hash', () => {
  it('is stable for the same inputs and changes with any of them', () => {
    const base = preflightInputHash(ctx());
    expect(base).toMatch(/^[0-9a-f]{64}$/);
    expect(preflightInputHash(ctx())).toBe(base);
    for (const over of [{ quantity: 2 }, { price: 101 }, { side: 'short' as const }, { kind: 'exit' as const }, { available: 999 }, { equity: 1 }, { source: 'manual' as const }, { orderType: 'limit' as const, limitPrice: 99 }, { allowShort: true }]) {
      expect(preflightInputHash(ctx(over)), JSON.stringify(over)).not.toBe(base);
    }
    expect(preflightInputHash(ctx({ source: 'strategy' }))).toBe(base);
  });
});

describe('protection actions', () => {
  async function holder() {
    const events: DomainEvent[] = [];
    const clock = new ManualClock(T);
    const store = memoryOrderStore();
    const h = await TradingStateHolder.load(store, (e) => void events.push(e), clock);
    return { h, events, store, clock };
  }

  it('a symbol lock is only announced; trading stays active', async () => {
    const { h, events } = await holder();
    await applyProtection({ kind: 'cooldown', symbol: 'BTC/USDT', until: T + 60_000, reason: 'cooldown after exit', ts: T }, { tradingState: h, publish: (e) => void events.push(e) });
    expect(h.get().state).toBe('ACTIVE');
    expect(events).toEqual([{ type: 'protection-triggered', ts: T, protection: 'cooldown', symbol: 'BTC/USDT', until: T + 60_000, reason: 'cooldown after exit' }]);
  });

  it('a drawdown breach halts (persisted) and flattens when configured', async () => {
    const { h, events, store } = await holder();
    const flattened: string[] = [];
    const t = { kind: 'daily-loss' as const, state: 'HALTED' as const, reason: 'daily loss 5 %', ts: T, flatten: true };
    await applyProtection(t, { tradingState: h, publish: (e) => void events.push(e), flatten: async (r) => void flattened.push(r) });
    expect(h.get()).toMatchObject({ state: 'HALTED', reason: 'daily loss 5 %', changedBy: 'protection:daily-loss' });
    expect(store.saved.tradingState).toMatchObject({ state: 'HALTED' });
    expect(events.at(-1)).toEqual({ type: 'protection-triggered', ts: T, protection: 'daily-loss', reason: 'daily loss 5 %; closing every position' });
    expect(flattened).toEqual(['daily loss 5 %']);
    // Already halted: not halted again (no second state change), and without flatten nothing is closed.
    const before = events.length;
    await applyProtection({ ...t, kind: 'max-drawdown', flatten: false, reason: 'drawdown 10 %' }, { tradingState: h, publish: (e) => void events.push(e), flatten: async (r) => void flattened.push(r) });
    expect(events.slice(before)).toEqual([{ type: 'protection-triggered', ts: T, protection: 'max-drawdown', reason: 'drawdown 10 %' }]);
    expect(h.get().changedBy).toBe('protection:daily-loss');
    expect(flattened).toEqual(['daily loss 5 %']);
  });
});

describe('trading state holder', () => {
  it('starts ACTIVE and persists it; a restart keeps a HALT; changes are announced once', async () => {
    const events: DomainEvent[] = [];
    const clock = new ManualClock(T);
    const store = memoryOrderStore();
    const h = await TradingStateHolder.load(store, (e) => void events.push(e), clock);
    expect(h.get()).toEqual({ state: 'ACTIVE', reason: 'started', changedBy: 'system', changedAt: T });
    expect(store.saved.tradingState).toEqual(h.get());
    clock.advance(1_000);
    await h.set('HALTED', '/stop', 'telegram:1');
    await h.set('HALTED', 'again', 'telegram:1');
    expect(events).toEqual([{ type: 'trading-state-changed', ts: T + 1_000, from: 'ACTIVE', to: 'HALTED', reason: '/stop', by: 'telegram:1' }]);
    const restarted = await TradingStateHolder.load(store, () => {}, clock);
    expect(restarted.get()).toMatchObject({ state: 'HALTED', reason: 'again' });
  });

  it('an automatic halt lifts itself when its time has passed, not before; a manual halt never', async () => {
    const events: DomainEvent[] = [];
    const clock = new ManualClock(T);
    const h = await TradingStateHolder.load(memoryOrderStore(), (e) => void events.push(e), clock);
    await h.set('HALTED', 'IP ban', 'exchange', T + 10_000);
    clock.set(T + 9_999);
    await h.expire();
    expect(h.get().state).toBe('HALTED');
    clock.set(T + 10_000);
    await h.expire();
    expect(h.get()).toMatchObject({ state: 'ACTIVE', reason: 'automatic halt ended (IP ban)', changedBy: 'system' });
    await h.set('HALTED', '/stop', 'admin');
    clock.set(T + 10_000_000);
    await h.expire();
    expect(h.get().state).toBe('HALTED');
  });
});

describe('risk gate: remembering approvals, its own chain, the denial log', () => {
  it('only an approved entry is remembered as a duplicate key (source strategy by default); without limits nothing is', () => {
    const { g, state } = gate();
    const risk = state.view('BTC/USDT', { now: T, openPositions: 0, candleTs: T - 60_000 });
    g.approved(ctx({ kind: 'exit', side: 'short', risk }), T);
    expect(state.view('BTC/USDT', { now: T, openPositions: 0 }).snapshot.seenIntents.size).toBe(0);
    g.approved(ctx({ risk }), T);
    expect([...state.view('BTC/USDT', { now: T, openPositions: 0 }).snapshot.seenIntents]).toEqual([`strategy|BTC/USDT|long|${T - 60_000}`]);
    g.approved(ctx({ symbol: 'ETH/USDT' }), T);
    expect(state.view('BTC/USDT', { now: T, openPositions: 0 }).snapshot.seenIntents.size).toBe(1);
  });

  it('runs the rules it was given instead of the default chain', () => {
    const state = new RiskState(NO_LIMITS, NO_PROTECTIONS);
    const g = new RiskGate({ state, publish: () => {}, record: async () => {}, rules: [] });
    expect(g.check(ctx({ quantity: 0, side: 'short' }))).toEqual({ approved: true, denials: [] });
  });

  it('logs every denial for the operator with its strategy, symbol, source, codes and input hash', async () => {
    const warnings: Array<[unknown, string]> = [];
    const state = new RiskState(NO_LIMITS, NO_PROTECTIONS);
    const g = new RiskGate({ state, publish: () => {}, record: async () => {}, logger: { warn: ((o: unknown, m: string) => void warnings.push([o, m])) as Pick<Logger, 'warn'>['warn'] } });
    const c = ctx();
    const d = [{ code: 'A', message: 'first' }, { code: 'B', message: 'second' }];
    const hash = await g.denied(c, d, { ts: T, strategy: 's1', intent: {}, describe: 'enter long BTC/USDT' });
    expect(warnings).toEqual([[{ strategy: 's1', symbol: 'BTC/USDT', source: 'strategy', intent: 'enter long BTC/USDT', codes: ['A', 'B'], inputHash: hash }, 'order denied: A: first; B: second']]);
  });

  it('different reasons of the same count are different alerts', async () => {
    const { g, events } = gate();
    const meta = (ts: number) => ({ ts, strategy: 's', intent: {}, describe: 'i' });
    await g.denied(ctx(), [{ code: 'A', message: 'a' }], meta(T));
    await g.denied(ctx(), [{ code: 'B', message: 'b' }], meta(T + 1));
    expect(events.map((e) => e.ts)).toEqual([T, T + 1]);
  });
});
