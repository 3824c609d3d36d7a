import { accountCash, type AccountSummary } from '../domain/account.ts';
import { appendCandles, sliceCandles, tailCandles, type Candles } from '../domain/candles.ts';
import type { Portfolio } from '../domain/portfolio.ts';
import { timeframeToMs } from '../domain/timeframe.ts';
import type { Logger } from '../logger.ts';
import { systemClock, type Clock } from '../ports/clock.ts';
import { ExecutionError, type Execution } from '../ports/execution.ts';
import type { MarketData } from '../ports/market-data.ts';
import type { TradingStore } from '../ports/store.ts';
import { decide, type Decision, type PlannedOrder } from '../risk/decide.ts';
import { affordableQuantity, type Sizing } from '../risk/sizing.ts';
import type { TradingStateHolder } from '../risk/trading-state.ts';
import type { IntentSource } from '../risk/preflight/index.ts';
import type { RiskGate } from '../risk/risk-gate.ts';
import type { Intent, PositionSnapshot, StrategyInstance } from '../strategies/strategy.ts';
import type { EventBus } from './bus.ts';
import { candleStep, createCandleStepper, newStepResult, type CandleStepper, type GateInputs } from './candle-step.ts';
import type { OrderManager } from './order-manager.ts';

export interface EngineDeps {
  marketData: MarketData;
  execution: Execution;
  store: TradingStore;
  clock: Clock;
  bus: EventBus;
  logger: Logger;
  portfolio: Portfolio;
  tradingState: TradingStateHolder;
  orders: OrderManager;
  strategyName: string;
  /** One strategy instance per symbol (state is per symbol). */
  strategies: ReadonlyMap<string, StrategyInstance>;
  symbols: readonly string[];
  timeframe: string;
  warmup: number;
  sizing: Sizing;
  /**
   * ORDER_SIZING=kelly: the sizing of `symbol`'s entries now (the Kelly fraction from its closed
   * trades and the volatility of `candles`). Asked once per new candle that may act, before the
   * candle step runs, so the step itself stays synchronous; absent: `sizing` always.
   */
  sizingFor?: (symbol: string, candles: Candles) => Promise<Sizing>;
  allowShort: boolean;
  /** Wall clock for monitoring (last tick); market time (`clock`) is accelerated on the sim. */
  wallClock?: Clock;
  /** Named factors known when candle `candles.length - 1` closed (order flow, signal intake). */
  signals?: (symbol: string, candles: Candles) => Promise<ReadonlyMap<string, number> | undefined>;
  /** MAX_SIGNAL_AGE: a closed candle older than this (since its close) decides nothing. Default: one timeframe. */
  maxSignalAgeMs?: number;
  /** Market time is the simulated exchange's accelerated clock: events that show it say so. */
  simulatedTime?: boolean;
  /** Slippage (a fraction) assumed when an all-in entry is re-sized at the price it is sent at. Default 0.001. */
  allInSlippage?: number;
  /** The account as the venue shows it (equity snapshots store its cash figure). */
  account?: () => AccountSummary;
  /** The risk gate's limits and memory (pre-flight limits, protections); absent = structural rules only. */
  risk?: RiskGate;
  /** Runs after every tick (panic score, equity protections); a failure is reported like a tick error. */
  afterTick?: (now: number) => Promise<void>;
}

/** Where an intent comes from and the facts about its price (pre-flight: duplicate intent, price age, spread). */
export interface IntentFacts {
  source?: IntentSource;
  /** When the reference price was observed (ms, market time). */
  priceTs?: number;
  /** Open time of the candle the intent belongs to. */
  candleTs?: number;
  spreadPct?: number;
  /** Sizing of this intent's entry (a signal's amount or percent); default: the configured sizing. */
  sizing?: Sizing;
}

interface SymbolFeed {
  window: Candles;
  lastProcessedTs: number;
  staleAlerted: boolean;
  stepper: CandleStepper;
  /** The sizing worked out for the newest candle (ORDER_SIZING=kelly). */
  sizing?: Sizing;
}

/** The engine's own per-symbol memory (strategy_state under this prefix): the last candle it decided on. */
const ENGINE_STATE_PREFIX = 'engine:';
/** Candles kept per symbol before the oldest are dropped (prepare() sees everything since start up to this). */
const HISTORY_CAP = 20_000;

/**
 * One tick of live/paper trading: settle unknown orders, pull newly closed candles, run the candle
 * step on each (protective exits → strategy → risk gate: `src/engine/candle-step.ts`, the same step
 * the backtester runs), send the approved orders, account fills, publish events.
 *
 * The catch-up rule: after a gap in ticks (database outage, restart, stalled feed) every missed
 * candle moves the strategy's state on, but only the newest closed candle may produce orders, and
 * only while it is younger than MAX_SIGNAL_AGE; the skipped batch is logged and alerted once.
 * `prepare` sees the candles from the first one loaded at start (up to HISTORY_CAP), as a backtest
 * over the same candles does.
 */
export class TradingEngine {
  private readonly feeds = new Map<string, SymbolFeed>();
  private readonly marks = new Map<string, number>();
  private readonly tfMs: number;
  private windowSize: number;
  lastTickAt: number | undefined;
  lastCandleAt: number | undefined;
  ticks = 0;
  private lastSnapshotAt = 0;
  private readonly maxSignalAgeMs: number;
  private readonly step = newStepResult();

  constructor(private d: EngineDeps) {
    this.tfMs = timeframeToMs(d.timeframe);
    this.windowSize = Math.max(300, d.warmup * 3);
    this.maxSignalAgeMs = d.maxSignalAgeMs ?? this.tfMs;
  }

  /**
   * Trade another strategy, other parameters or other symbols from the next tick on (`/reload_config`).
   * Call it between ticks. Every symbol's feed restarts from history as after a restart: the stored
   * last decided candle keeps a candle from being decided twice.
   */
  reconfigure(next: Pick<EngineDeps, 'strategyName' | 'strategies' | 'symbols' | 'warmup' | 'logger'>): void {
    this.d = { ...this.d, ...next };
    this.windowSize = Math.max(300, next.warmup * 3);
    this.feeds.clear();
    for (const symbol of [...this.marks.keys()]) if (!next.symbols.includes(symbol)) this.marks.delete(symbol);
  }

  markPrices(): ReadonlyMap<string, number> {
    return this.marks;
  }

  /** The closed candles the strategy of `symbol` works on (from the first one loaded at start). */
  candles(symbol: string): Candles | undefined {
    return this.feeds.get(symbol)?.window;
  }

  async tick(): Promise<void> {
    const { clock, tradingState } = this.d;
    await tradingState.expire();
    await this.settleUnknownOrders();
    for (const symbol of this.d.symbols) {
      try {
        await this.tickSymbol(symbol);
      } catch (err) {
        await this.onError(err, symbol);
      }
    }
    const now = clock.now();
    this.lastTickAt = (this.d.wallClock ?? systemClock).now();
    if (this.d.afterTick) await this.d.afterTick(now).catch((err: unknown) => this.onError(err, '*'));
    this.ticks++;
    if (now - this.lastSnapshotAt >= 60_000) {
      this.lastSnapshotAt = now;
      const unrealized = this.d.portfolio.unrealizedPnl(this.marks);
      const a = this.d.account?.();
      const equity = a ? a.equity : this.d.portfolio.cash + unrealized;
      await this.d.store.snapshotEquity({ ts: now, equity, cash: a ? accountCash(a) : this.d.portfolio.cash, unrealizedPnl: unrealized });
    }
  }

  private async tickSymbol(symbol: string): Promise<void> {
    const { marketData, clock } = this.d;
    let feed = this.feeds.get(symbol);
    if (!feed) {
      const since = clock.now() - (this.windowSize + 2) * this.tfMs;
      const history = await marketData.fetchCandles(symbol, this.d.timeframe, since, this.windowSize + 2);
      const saved = (await this.d.store.loadStrategyState(ENGINE_STATE_PREFIX + this.d.strategyName, symbol)) as { lastCandleTs?: number } | undefined;
      const newest = history.length ? history.ts[history.length - 1]! : -Infinity;
      // First start: the history is context, not news. After a restart: the candles closed since the
      // last one decided on are a catch-up batch (the newest may act, if fresh).
      const last = typeof saved?.lastCandleTs === 'number' ? Math.min(saved.lastCandleTs, newest) : newest;
      const stepper = createCandleStepper({ symbol, timeframe: this.d.timeframe, tfMs: this.tfMs, strategy: this.d.strategies.get(symbol)!, allowShort: this.d.allowShort, candles: history });
      feed = { window: history, lastProcessedTs: last, staleAlerted: false, stepper };
      this.feeds.set(symbol, feed);
    } else {
      const since = Number.isFinite(feed.lastProcessedTs) ? feed.lastProcessedTs + 1 : clock.now() - this.windowSize * this.tfMs;
      const fresh = await marketData.fetchCandles(symbol, this.d.timeframe, since, 1000);
      if (fresh.length > 0) {
        const grown = appendCandles(feed.window, fresh);
        feed.window = grown.length > HISTORY_CAP ? tailCandles(grown, HISTORY_CAP - this.windowSize) : grown;
      }
    }
    const w = feed.window;
    if (w.length > 0) {
      this.marks.set(symbol, w.close[w.length - 1]!);
      this.lastCandleAt = Math.max(this.lastCandleAt ?? 0, w.ts[w.length - 1]!);
    }
    this.checkStale(symbol, feed);
    if (w.length === 0) return;
    let start = w.length;
    while (start > 0 && w.ts[start - 1]! > feed.lastProcessedTs) start--;
    if (start === w.length) return;
    const strategy = feed.stepper.strategy;
    strategy.prepare(w);
    (feed.stepper.ctx as { candles: Candles }).candles = w;
    const newest = w.length - 1;
    const now = clock.now();
    const fresh = now - (w.ts[newest]! + this.tfMs) <= this.maxSignalAgeMs;
    const previous = feed.lastProcessedTs;
    if (fresh && this.d.sizingFor) feed.sizing = await this.d.sizingFor(symbol, w);
    for (let i = start; i <= newest; i++) {
      feed.lastProcessedTs = w.ts[i]!;
      await this.onClosedCandle(symbol, feed.stepper, w, i, i === newest && fresh);
    }
    const skipped = newest - start + (fresh ? 0 : 1);
    if (skipped > 0) {
      const gapMs = Number.isFinite(previous) ? w.ts[newest]! - previous : (newest - start + 1) * this.tfMs;
      this.d.logger.warn({ symbol, skipped, gapMs, newestCandle: w.ts[newest], acted: fresh }, `skipped ${skipped} candles after a gap`);
      this.d.bus.publish({ type: 'candles-skipped', ts: now, symbol, timeframe: this.d.timeframe, skipped, gapMs, newestTs: w.ts[newest]!, acted: fresh, ...(this.d.simulatedTime ? { simulated: true } : {}) });
    }
    if (strategy.getState) await this.d.store.saveStrategyState(this.d.strategyName, symbol, strategy.getState());
    await this.d.store.saveStrategyState(ENGINE_STATE_PREFIX + this.d.strategyName, symbol, { lastCandleTs: feed.lastProcessedTs });
  }

  /** The candle step on candle i; with `act` its approved orders are sent. */
  private async onClosedCandle(symbol: string, stepper: CandleStepper, w: Candles, i: number, act: boolean): Promise<void> {
    const { portfolio } = this.d;
    if (this.d.signals) stepper.ctx.signals = await this.d.signals(symbol, sliceCandles(w, 0, i + 1));
    const position = portfolio.get(symbol);
    const snapshot: PositionSnapshot | undefined = position
      ? { side: position.quantity > 0 ? 'long' : 'short', quantity: Math.abs(position.quantity), entryPrice: position.entryPrice, openedAt: position.openedAt }
      : undefined;
    const gate = act ? this.gateInputs(symbol, { source: 'strategy', priceTs: w.ts[i]! + this.tfMs, candleTs: w.ts[i]! }) : undefined;
    candleStep(stepper, i, position, snapshot, act, gate ?? (NO_GATE as GateInputs), this.step);
    for (const text of this.step.messages) {
      this.d.bus.publish({ type: 'strategy-message', ts: this.d.clock.now(), strategy: this.d.strategyName, symbol, message: text });
    }
    if (this.step.decisions.length > 0) await this.carryOut(symbol, this.step.decisions);
  }

  /** Everything the risk gate needs now, besides intents, price and position. */
  private gateInputs(symbol: string, facts: IntentFacts): GateInputs {
    const { portfolio, execution, risk, clock } = this.d;
    const market = execution.market(symbol);
    if (!market) throw new ExecutionError('rejected', `market ${symbol} is not listed on ${execution.exchangeId}`);
    return {
      equity: portfolio.equity(this.marks),
      available: Math.max(0, portfolio.cash - portfolio.lockedNotional()),
      market,
      sizing: facts.sizing ?? this.feeds.get(symbol)?.sizing ?? this.d.sizing,
      tradingState: this.d.tradingState.get(),
      allowShort: this.d.allowShort,
      source: facts.source ?? 'strategy',
      risk: risk?.state.view(symbol, { now: clock.now(), openPositions: portfolio.all().length, priceTs: facts.priceTs, candleTs: facts.candleTs, spreadPct: facts.spreadPct }),
    };
  }

  /**
   * Run intents through the risk gate and send what is approved. Also used by chat trading commands
   * and signal webhooks (which may bring their own sizing). Returns what became of each intent.
   */
  async execute(symbol: string, intents: readonly Intent[], price: number, facts: IntentFacts = {}): Promise<ExecutionResult[]> {
    const feed = this.feeds.get(symbol);
    if (facts.sizing === undefined && this.d.sizingFor && feed && feed.window.length > 0) feed.sizing = await this.d.sizingFor(symbol, feed.window);
    const decisions = decide({ ...this.gateInputs(symbol, facts), symbol, intents, price, position: this.d.portfolio.get(symbol) });
    return this.carryOut(symbol, decisions);
  }

  /** Store every decision; send approved orders (all-in entries re-sized at the price they go out at). */
  private async carryOut(symbol: string, decisions: readonly Decision[]): Promise<ExecutionResult[]> {
    const { store, clock, bus, risk } = this.d;
    const results: ExecutionResult[] = [];
    for (const dcs of decisions) {
      const ts = clock.now();
      const source = dcs.context?.source ?? 'strategy';
      if (dcs.verdict === 'denied' || !dcs.order) {
        results.push({ intent: dcs.intent, verdict: 'denied', reasons: dcs.denials.map((x) => `${x.code}: ${x.message}`) });
        if (risk && dcs.context) {
          await risk.denied(dcs.context, dcs.denials, { ts, strategy: this.d.strategyName, intent: dcs.intent, describe: describeIntent(dcs.intent) });
          continue;
        }
        await store.insertDecision({ ts, strategy: this.d.strategyName, symbol, intent: dcs.intent, verdict: 'denied', reasons: dcs.denials, source });
        bus.publish({ type: 'order-denied', ts, symbol, reasons: dcs.denials.map((x) => `${x.code}: ${x.message}`), intent: describeIntent(dcs.intent) });
        continue;
      }
      if (risk && dcs.context) risk.approved(dcs.context, ts);
      const order = dcs.order.allIn && dcs.order.kind === 'entry' ? await this.resizeAllIn(dcs.order) : dcs.order;
      // The order manager accounts the answer (status, fills, position, cash) in one transaction.
      const outcome = await this.d.orders.submit(order, this.d.strategyName);
      await store.insertDecision({ ts, strategy: this.d.strategyName, symbol, intent: dcs.intent, verdict: 'approved', reasons: [], clientOrderId: outcome.clientOrderId || undefined, source });
      if (outcome.kind === 'rejected') bus.publish({ type: 'order-rejected', ts, symbol, side: order.side, clientOrderId: outcome.clientOrderId, reason: outcome.reason });
      results.push({ intent: dcs.intent, verdict: 'approved', reasons: outcome.kind === 'rejected' ? [outcome.reason] : [], clientOrderId: outcome.clientOrderId, order: outcome.kind });
    }
    return results;
  }

  /** All-in: what is available buys at the price the order goes out at, not the decision's close. */
  private async resizeAllIn(order: PlannedOrder): Promise<PlannedOrder> {
    const market = this.d.execution.market(order.symbol)!;
    const price = await this.d.marketData.fetchPrice(order.symbol);
    const available = Math.max(0, this.d.portfolio.cash - this.d.portfolio.lockedNotional());
    const slip = (this.d.allInSlippage ?? 0.001) * (order.side === 'buy' ? 1 : -1);
    return { ...order, quantity: affordableQuantity(available, price, market, slip) };
  }

  private async settleUnknownOrders(): Promise<void> {
    await this.d.orders.settleOpen();
  }

  private checkStale(symbol: string, feed: SymbolFeed): void {
    const last = feed.window.length ? feed.window.ts[feed.window.length - 1]! : undefined;
    const now = this.d.clock.now();
    // A candle opened at `last` closes at last + tf; the next one closes at last + 2 tf. Allow 2 tf beyond that.
    const stale = last === undefined || now - (last + this.tfMs) > 2 * this.tfMs;
    if (stale && !feed.staleAlerted) {
      feed.staleAlerted = true;
      this.d.bus.publish({ type: 'stale-data', ts: now, symbol, timeframe: this.d.timeframe, lastCandleTs: last ?? 0, ...(this.d.simulatedTime ? { simulated: true } : {}) });
    } else if (!stale) feed.staleAlerted = false;
  }

  isStale(): boolean {
    return [...this.feeds.values()].some((f) => f.staleAlerted);
  }

  private async onError(err: unknown, symbol: string): Promise<void> {
    const { bus, clock, logger, tradingState } = this.d;
    if (err instanceof ExecutionError) {
      logger.warn({ err, symbol }, 'exchange error during tick');
      // A ban is announced once and halts trading where it is seen for every path: the exchange's request gate (src/app/exchange-access.ts).
      if (err.kind === 'banned') return;
      const critical = err.kind === 'auth';
      bus.publish({ type: 'exchange-error', ts: clock.now(), kind: err.kind, message: err.message, critical });
      if (err.kind === 'auth') await tradingState.set('HALTED', `exchange authentication failed: ${err.message}`, 'system');
      return;
    }
    logger.error({ err, symbol }, 'tick failed');
    bus.publish({ type: 'exchange-error', ts: clock.now(), kind: 'internal', message: err instanceof Error ? err.message : String(err), critical: false });
  }
}

/** What became of one intent given to `execute`. */
export interface ExecutionResult {
  intent: Intent;
  verdict: 'approved' | 'denied';
  /** Denial reasons ("CODE: message"), or the venue's rejection reason. */
  reasons: string[];
  clientOrderId?: string;
  /** How the order path ended for an approved intent (placed, rejected, unknown …). */
  order?: string;
}

/** Gate inputs of a step that may not act (never read: the step decides nothing). */
const NO_GATE = Object.freeze({});

function describeIntent(i: Intent): string {
  if (i.kind === 'enter') return `enter ${i.side}${i.reason ? ` (${i.reason})` : ''}`;
  if (i.kind === 'exit') return `exit${i.reason ? ` (${i.reason})` : ''}`;
  return 'message';
}
