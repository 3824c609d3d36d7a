/**
 * The kill-all rig: the in-process simulated exchange (prices pinned) behind a proxy that records every
 * venue call and puts faults in front of it one call at a time — thrown before the venue sees the
 * request, after it acted (the answer lost), or an answer given in its place — with the real order
 * manager, portfolio, trading state and bus, orders and kill runs kept in memory. Shared by the
 * kill-all test files.
 */
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { createSimExchange } from '../../../../src/adapters/exchange/sim/index.ts';
import type { DomainEvent } from '../../../../src/domain/events.ts';
import type { MarketInfo } from '../../../../src/domain/market.ts';
import type { OrderReport, OrderRequest } from '../../../../src/domain/orders.ts';
import { Portfolio } from '../../../../src/domain/portfolio.ts';
import { EventBus } from '../../../../src/engine/bus.ts';
import { KillAll } from '../../../../src/engine/kill-all.ts';
import { OrderManager, REQUEST_WINDOW_MS } from '../../../../src/engine/order-manager.ts';
import { ManualClock } from '../../../../src/ports/clock.ts';
import { ExecutionError, type Execution } from '../../../../src/ports/execution.ts';
import type { KillItem } from '../../../../src/ports/risk-store.ts';
import { TradingStateHolder } from '../../../../src/risk/trading-state.ts';
import { memoryKillRunStore } from './kill-run-store.ts';
import { memoryOrderStore } from './order-venue.ts';

export const T0 = Date.UTC(2026, 0, 1);
export const BTC = 'BTC/USDT';
export const ETH = 'ETH/USDT';
export const SOL = 'SOL/USDT';
const PRICES: Record<string, number> = { [BTC]: 60_000, [ETH]: 3_000, [SOL]: 150, 'BTC/USDT:USDT': 60_000, 'ETH/USDT:USDT': 3_000 };
/** The first close's id chosen with a run started at T0. */
export const firstId = (compact: string) => `ka${T0.toString(36)}-${compact}-1`;

export type VenueCall = 'placeOrder' | 'cancelOrder' | 'fetchOrder' | 'fetchOpenOrders' | 'fetchBalances';
const VENUE_CALLS = new Set<string>(['placeOrder', 'cancelOrder', 'fetchOrder', 'fetchOpenOrders', 'fetchBalances']);
/**
 * One call's fault: thrown before the venue sees the request, after it acted (the answer lost), or an
 * answer given in the venue's place (the request never reaches it).
 */
export type Fault = { before?: Error; after?: Error; answer?: (...args: unknown[]) => unknown } | undefined;

export interface RigOptions {
  marketType?: 'spot' | 'swap';
  symbols?: string[];
  /** Spot coins the account holds that tradeops did not buy. */
  assets?: Record<string, number>;
  maxAttempts?: number;
  maxWaitMs?: number;
  marks?: Map<string, number>;
  /** Wait for real (the default sleep) instead of moving the manual clock. */
  realSleep?: boolean;
  /** Listing changes as the venue reports them (undefined: not listed), e.g. a minimum of several lots. */
  markets?: Record<string, Partial<MarketInfo> | undefined>;
}

export async function rig(o: RigOptions = {}) {
  const marketType = o.marketType ?? 'spot';
  const symbols = o.symbols ?? (marketType === 'spot' ? [BTC, ETH, SOL] : ['BTC/USDT:USDT', 'ETH/USDT:USDT']);
  const sim = await createSimExchange({ symbols, timeframe: '1m', seed: 7, speed: 0, historyCandles: 5, cash: 1_000_000, assets: o.assets, feeBps: 10, slippageBps: 0, marketType, now: () => T0 });
  for (const s of symbols) await sim.setPrice(s, PRICES[s] ?? 100);
  const calls: Array<{ method: VenueCall; args: unknown[] }> = [];
  const faults = new Map<VenueCall, Fault[]>();
  const hooks = new Map<VenueCall, (...args: unknown[]) => void | Promise<void>>();
  const venue: Execution = new Proxy(sim, {
    get(t, k, r) {
      const v = Reflect.get(t, k, r) as unknown;
      if (typeof v !== 'function') return v;
      if (k === 'market' && o.markets) {
        return (symbol: string) => (symbol in o.markets! ? o.markets![symbol] && { ...t.market(symbol)!, ...o.markets![symbol] } : t.market(symbol));
      }
      if (typeof k !== 'string' || !VENUE_CALLS.has(k)) return v.bind(t);
      const method = k as VenueCall;
      return async (...args: unknown[]) => {
        calls.push({ method, args });
        await hooks.get(method)?.(...args);
        const f = faults.get(method)?.shift();
        if (f?.before) throw f.before;
        if (f?.answer) return f.answer(...args);
        const out = await (v as (...a: unknown[]) => Promise<unknown>).apply(t, args);
        if (f?.after) throw f.after;
        return out;
      };
    },
  });
  const clock = new ManualClock(T0);
  const store = memoryOrderStore();
  const statements: string[][] = [];
  // The drizzle store writes a batch in one statement: recorded so "one write for the batch" is visible.
  store.insertOrders = async (rows) => {
    statements.push(rows.map((r) => r.clientOrderId));
    for (const r of rows) await store.insertOrder(r);
  };
  const riskStore = memoryKillRunStore();
  const portfolio = new Portfolio(1_000_000);
  const bus = new EventBus();
  const events: DomainEvent[] = [];
  bus.onAny((e) => void events.push(e));
  const logger = pino({ level: 'silent' });
  const orders = new OrderManager({ execution: venue, store, clock, mode: 'paper', logger, portfolio, bus, lookupDelayMs: 0, sleep: async () => {} });
  const tradingState = await TradingStateHolder.load(store, (e) => bus.publish(e), clock);
  const sleeps: number[] = [];
  const marks = o.marks ?? new Map(symbols.map((s) => [s, PRICES[s] ?? 100]));
  const killAll = new KillAll({
    execution: venue, store, riskStore, orders, portfolio, tradingState, bus, clock, logger, symbols,
    marks: () => marks,
    maxAttempts: o.maxAttempts,
    maxWaitMs: o.maxWaitMs,
    sleep: o.realSleep
      ? undefined
      : async (ms) => {
          sleeps.push(ms);
          clock.advance(ms);
        },
  });
  const enter = async (symbol: string, quantity: number, side: 'buy' | 'sell' = 'buy') => {
    const out = await orders.submit({ kind: 'entry', symbol, side, positionSide: side === 'buy' ? 'long' : 'short', quantity, reduceOnly: false, reason: 'setup' }, 'test');
    expect(out.kind).toBe('placed');
    return out.clientOrderId;
  };
  const rest = async (symbol: string, quantity: number, price: number) => {
    const out = await orders.submit({ kind: 'entry', symbol, side: 'buy', positionSide: 'long', quantity, reduceOnly: false, reason: 'setup', type: 'limit', price }, 'test');
    expect(out).toMatchObject({ kind: 'placed', report: { status: 'open' } });
    return out.clientOrderId;
  };
  const fault = (method: VenueCall, ...list: Fault[]) => faults.set(method, list);
  const placed = () => calls.filter((c) => c.method === 'placeOrder').map((c) => c.args[0] as OrderRequest);
  const cancelled = () => calls.filter((c) => c.method === 'cancelOrder').map((c) => c.args[0] as string);
  return { sim, venue, calls, hooks, fault, placed, cancelled, clock, store, statements, riskStore, portfolio, events, orders, tradingState, killAll, sleeps, enter, rest };
}

/** A venue answer to a market order: filled (`avgPrice` may be missing) or not. */
export const answer = (req: OrderRequest, status: OrderReport['status'], filled: number, extra: Partial<OrderReport> = {}): OrderReport => ({
  clientOrderId: req.clientOrderId, exchangeOrderId: `x-${req.clientOrderId}`, symbol: req.symbol, side: req.side, type: req.type, status,
  amount: req.amount, filled, fee: 0, fills: [], ts: T0, ...extra,
});

export const pendingItem = (symbol: string, quantity: number, extra: Partial<KillItem> = {}): KillItem => ({ symbol, outcome: 'pending', detail: '', quantity, cancel: [], attempts: 0, ...extra });
