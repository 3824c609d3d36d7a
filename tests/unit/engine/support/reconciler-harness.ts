/**
 * The reconciler tests' shared set-up: a scriptable venue (support/order-venue.ts: it lists the
 * trades, balances and open orders a test gives it; `SwapVenue` its positions too), the order half
 * of the store in memory, a manual clock at T0, a portfolio of 10,000, the bus with every event kept
 * and every log line recorded. Shared by the reconciler-*.test.ts files.
 *
 * The rig's parts are exported as live bindings: each file calls `beforeEach(freshRig)` and its tests
 * read `venue`, `store`, `orders`… as they are for the test running. `setup(v)` puts another venue
 * (and a new portfolio and order manager on it) in place for the rest of a test.
 */
import { pino } from 'pino';
import type { DomainEvent } from '../../../../src/domain/events.ts';
import type { Fill } from '../../../../src/domain/orders.ts';
import { Portfolio } from '../../../../src/domain/portfolio.ts';
import { EventBus } from '../../../../src/engine/bus.ts';
import { OrderManager, type OrderPlan } from '../../../../src/engine/order-manager.ts';
import { Reconciler, type ReconcileFindings, type ReconcilerDeps } from '../../../../src/engine/reconciler.ts';
import { ManualClock } from '../../../../src/ports/clock.ts';
import type { VenuePosition } from '../../../../src/ports/execution.ts';
import type { OrderRecord } from '../../../../src/ports/store.ts';
import { memoryOrderStore, TestVenue } from './order-venue.ts';

export const T0 = Date.UTC(2026, 0, 1);
export const DAY = 86_400_000;
export const BTC = 'BTC/USDT';
export const ETH = 'ETH/USDT';
export const CLEAN: ReconcileFindings = { settled: 0, filledOffline: [], closedOnExchange: [], externalOrders: [], externalHoldings: [], adopted: [], mismatches: [] };
export const market = (symbol: string, side: 'buy' | 'sell', quantity: number): OrderPlan => ({ kind: 'entry', symbol, side, quantity, reduceOnly: false, reason: 'reconciler test' });
export const resting = (price: number): OrderPlan => ({ ...market(BTC, 'buy', 0.5), type: 'limit', price });
export const bal = (total: number) => ({ free: total, used: 0, total });

/** A swap venue: it also shows its positions. */
export class SwapVenue extends TestVenue {
  positions: VenuePosition[] = [];
  async fetchPositions(symbols: readonly string[]): Promise<VenuePosition[]> {
    return this.positions.filter((p) => symbols.includes(p.symbol));
  }
}

type Alert = Extract<DomainEvent, { type: 'reconciliation' }>;

export let store: ReturnType<typeof memoryOrderStore>;
export let venue: TestVenue;
export let clock: ManualClock;
export let portfolio: Portfolio;
export let orders: OrderManager;
let events: DomainEvent[];
export let lines: Array<Record<string, unknown>>;
let bus: EventBus;
export const alerts = () => events.filter((e): e is Alert => e.type === 'reconciliation');
export const logger = () => pino({ level: 'info' }, { write: (l: string) => void lines.push(JSON.parse(l) as Record<string, unknown>) });
export function setup(v: TestVenue = new TestVenue()) {
  venue = v;
  portfolio = new Portfolio(10_000);
  orders = new OrderManager({ execution: venue, store, clock, mode: 'live', logger: logger(), portfolio, bus, lookupDelayMs: 0, sleep: async (ms) => void clock.advance(ms) });
}
export const reconciler = (o: Partial<ReconcilerDeps> = {}) =>
  new Reconciler({ execution: venue, store, orders, portfolio, bus, clock, logger: logger(), account: 'test', symbols: [BTC], checkHoldings: false, adoptCash: false, marks: () => new Map([[BTC, 120]]), ...o });
/** A row as an earlier run (or another account) left it. */
export const row = (clientOrderId: string, o: Partial<OrderRecord> = {}) =>
  store.insertOrder({ clientOrderId, exchange: 'test', mode: 'live', symbol: BTC, side: 'buy', type: 'market', amount: 0.5, reduceOnly: false, status: 'filled', filled: 0.5, fee: 0, strategy: 's', createdAt: T0, updatedAt: T0, ...o });
export const trade = (clientOrderId: string, tradeId: string, amount: number): Fill => ({ tradeId, clientOrderId, symbol: BTC, side: 'buy', price: 100, amount, fee: 0, feeCurrency: 'USDT', ts: T0 });

/** Before every test: a new clock, store, bus, event and log record, and the plain test venue. */
export function freshRig() {
  clock = new ManualClock(T0);
  store = memoryOrderStore();
  events = [];
  lines = [];
  bus = new EventBus();
  bus.onAny((e) => void events.push(e));
  setup();
}
