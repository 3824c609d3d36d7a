import { appendCandles, sliceCandles, tailCandles, type Candles } from '../domain/candles.ts';
import type { OrderReport } from '../domain/orders.ts';
import type { Portfolio } from '../domain/portfolio.ts';
import { timeframeToMs } from '../domain/timeframe.ts';
import type { Logger } from '../logger.ts';
import { systemClock, type Clock } from '../ports/clock.ts';
import { ExecutionError, type Execution } from '../ports/execution.ts';
import type { MarketData } from '../ports/market-data.ts';
import type { TradingStore } from '../ports/store.ts';
import type { TradingStateHolder } from '../risk/trading-state.ts';
import type { Intent, StrategyInstance } from '../strategies/strategy.ts';
import type { EventBus } from './bus.ts';
import { decide, type PlannedOrder } from './decide.ts';
import type { OrderManager } from './order-manager.ts';
import { applyReportFills } from './fill-processor.ts';
import type { Sizing } from './sizing.ts';

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
  allowShort: boolean;
  /** Wall clock for monitoring (last tick); market time (`clock`) is accelerated on the sim. */
  wallClock?: Clock;
  /** Named factors known when candle `candles.length - 1` closed (order flow, signal intake). */
  signals?: (symbol: string, candles: Candles) => Promise<ReadonlyMap<string, number> | undefined>;
}

interface SymbolFeed {
  window: Candles;
  lastProcessedTs: number;
  staleAlerted: boolean;
}

/**
 * One tick of live/paper trading: settle unknown orders, pull newly closed candles, check stops,
 * ask the strategy, run the risk gate, send approved orders, account fills, publish events.
 * The strategy, `decide()` and `Portfolio` are the same code the backtester runs.
 */
export class TradingEngine {
  private readonly feeds = new Map<string, SymbolFeed>();
  private readonly marks = new Map<string, number>();
  private readonly tfMs: number;
  private readonly windowSize: number;
  lastTickAt: number | undefined;
  lastCandleAt: number | undefined;
  ticks = 0;
  private lastSnapshotAt = 0;

  constructor(private readonly d: EngineDeps) {
    this.tfMs = timeframeToMs(d.timeframe);
    this.windowSize = Math.max(300, d.warmup * 3);
  }

  markPrices(): ReadonlyMap<string, number> {
    return this.marks;
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
    this.ticks++;
    if (now - this.lastSnapshotAt >= 60_000) {
      this.lastSnapshotAt = now;
      const unrealized = this.d.portfolio.unrealizedPnl(this.marks);
      await this.d.store.snapshotEquity({ ts: now, equity: this.d.portfolio.cash + unrealized, cash: this.d.portfolio.cash, unrealizedPnl: unrealized });
    }
  }

  private async tickSymbol(symbol: string): Promise<void> {
    const { marketData, clock } = this.d;
    let feed = this.feeds.get(symbol);
    const first = !feed;
    if (!feed) {
      const since = clock.now() - (this.windowSize + 2) * this.tfMs;
      const history = await marketData.fetchCandles(symbol, this.d.timeframe, since, this.windowSize + 2);
      feed = { window: history, lastProcessedTs: history.length ? history.ts[history.length - 1]! : -Infinity, staleAlerted: false };
      this.feeds.set(symbol, feed);
    } else {
      const since = Number.isFinite(feed.lastProcessedTs) ? feed.lastProcessedTs + 1 : clock.now() - this.windowSize * this.tfMs;
      const fresh = await marketData.fetchCandles(symbol, this.d.timeframe, since, 1000);
      if (fresh.length > 0) feed.window = tailCandles(appendCandles(feed.window, fresh), this.windowSize);
    }
    const w = feed.window;
    if (w.length > 0) {
      this.marks.set(symbol, w.close[w.length - 1]!);
      this.lastCandleAt = Math.max(this.lastCandleAt ?? 0, w.ts[w.length - 1]!);
    }
    this.checkStale(symbol, feed);
    // History loaded at start is context, not news: act only on candles that close after start.
    if (first || w.length === 0) return;
    let start = w.length;
    while (start > 0 && w.ts[start - 1]! > feed.lastProcessedTs) start--;
    if (start === w.length) return;
    const strategy = this.d.strategies.get(symbol)!;
    strategy.prepare(w);
    for (let i = start; i < w.length; i++) {
      feed.lastProcessedTs = w.ts[i]!;
      await this.onClosedCandle(symbol, strategy, w, i);
    }
    if (strategy.getState) await this.d.store.saveStrategyState(this.d.strategyName, symbol, strategy.getState());
  }

  private async onClosedCandle(symbol: string, strategy: StrategyInstance, w: Candles, i: number): Promise<void> {
    const { portfolio } = this.d;
    const position = portfolio.get(symbol);
    const intents: Intent[] = [];
    if (position) {
      const protective = protectiveExit(position.quantity, position.stopLoss, position.takeProfit, w.high[i]!, w.low[i]!);
      if (protective) intents.push({ kind: 'exit', reason: protective });
    }
    if (intents.length === 0) {
      const signals = this.d.signals ? await this.d.signals(symbol, sliceCandles(w, 0, i + 1)) : undefined;
      const out = strategy.onCandle({
        signals,
        symbol,
        timeframe: this.d.timeframe,
        candles: w,
        i,
        position: position ? { side: position.quantity > 0 ? 'long' : 'short', quantity: Math.abs(position.quantity), entryPrice: position.entryPrice, openedAt: position.openedAt } : undefined,
        allowShort: this.d.allowShort,
      });
      if (out) intents.push(...out);
    }
    for (const intent of intents) {
      if (intent.kind === 'message') {
        this.d.bus.publish({ type: 'strategy-message', ts: this.d.clock.now(), strategy: this.d.strategyName, symbol, message: intent.text });
      }
    }
    const trading = intents.filter((x) => x.kind !== 'message');
    if (trading.length === 0) return;
    await this.execute(symbol, trading, w.close[i]!);
  }

  /**
   * Run intents through the risk gate and send what is approved. Also used by chat trading commands
   * and signal webhooks (which may bring their own sizing). Returns what became of each intent.
   */
  async execute(symbol: string, intents: readonly Intent[], price: number, sizing?: Sizing): Promise<ExecutionResult[]> {
    const { portfolio, execution, store, clock, bus } = this.d;
    const market = execution.market(symbol);
    if (!market) throw new ExecutionError('rejected', `market ${symbol} is not listed on ${execution.exchangeId}`);
    const equity = portfolio.equity(this.marks);
    const available = Math.max(0, portfolio.cash - portfolio.lockedNotional());
    const decisions = decide({ symbol, intents, position: portfolio.get(symbol), price, equity, available, market, sizing: sizing ?? this.d.sizing, tradingState: this.d.tradingState.get(), allowShort: this.d.allowShort });
    const results: ExecutionResult[] = [];
    for (const dcs of decisions) {
      const ts = clock.now();
      if (dcs.verdict === 'denied' || !dcs.order) {
        await store.insertDecision({ ts, strategy: this.d.strategyName, symbol, intent: dcs.intent, verdict: 'denied', reasons: dcs.denials });
        bus.publish({ type: 'order-denied', ts, symbol, reasons: dcs.denials.map((x) => `${x.code}: ${x.message}`), intent: describeIntent(dcs.intent) });
        results.push({ intent: dcs.intent, verdict: 'denied', reasons: dcs.denials.map((x) => `${x.code}: ${x.message}`) });
        continue;
      }
      const outcome = await this.d.orders.submit(dcs.order, this.d.strategyName);
      await store.insertDecision({ ts, strategy: this.d.strategyName, symbol, intent: dcs.intent, verdict: 'approved', reasons: [], clientOrderId: outcome.clientOrderId });
      if (outcome.kind === 'placed') await this.processReport(outcome.report, dcs.order);
      else if (outcome.kind === 'rejected') bus.publish({ type: 'order-rejected', ts, symbol, side: dcs.order.side, clientOrderId: outcome.clientOrderId, reason: outcome.reason });
      results.push({ intent: dcs.intent, verdict: 'approved', reasons: outcome.kind === 'rejected' ? [outcome.reason] : [], clientOrderId: outcome.clientOrderId, order: outcome.kind });
    }
    return results;
  }

  private async processReport(report: OrderReport, plan?: PlannedOrder): Promise<void> {
    await applyReportFills(report, plan, { portfolio: this.d.portfolio, store: this.d.store, bus: this.d.bus, exchange: this.d.execution.exchangeId, strategy: this.d.strategyName });
  }

  private async settleUnknownOrders(): Promise<void> {
    for (const report of await this.d.orders.settleUnknown()) {
      const record = await this.d.store.getOrder(report.clientOrderId);
      const intent = record?.intent as { kind?: 'entry' | 'exit'; stopLoss?: number; takeProfit?: number } | undefined;
      await this.processReport(report, intent?.kind ? ({ kind: intent.kind, stopLoss: intent.stopLoss, takeProfit: intent.takeProfit, reason: record?.reason ?? '' } as PlannedOrder) : undefined);
    }
  }

  private checkStale(symbol: string, feed: SymbolFeed): void {
    const last = feed.window.length ? feed.window.ts[feed.window.length - 1]! : undefined;
    const now = this.d.clock.now();
    // A candle opened at `last` closes at last + tf; the next one closes at last + 2 tf. Allow 2 tf beyond that.
    const stale = last === undefined || now - (last + this.tfMs) > 2 * this.tfMs;
    if (stale && !feed.staleAlerted) {
      feed.staleAlerted = true;
      this.d.bus.publish({ type: 'stale-data', ts: now, symbol, timeframe: this.d.timeframe, lastCandleTs: last ?? 0 });
    } else if (!stale) feed.staleAlerted = false;
  }

  isStale(): boolean {
    return [...this.feeds.values()].some((f) => f.staleAlerted);
  }

  private async onError(err: unknown, symbol: string): Promise<void> {
    const { bus, clock, logger, tradingState } = this.d;
    if (err instanceof ExecutionError) {
      const critical = err.kind === 'auth' || err.kind === 'banned';
      bus.publish({ type: 'exchange-error', ts: clock.now(), kind: err.kind, message: err.message, critical });
      if (err.kind === 'auth') await tradingState.set('HALTED', `exchange authentication failed: ${err.message}`, 'system');
      if (err.kind === 'banned') await tradingState.set('HALTED', `exchange banned this IP: ${err.message}`, 'system', err.retryAt);
      logger.warn({ err, symbol }, 'exchange error during tick');
      return;
    }
    logger.error({ err, symbol }, 'tick failed');
    bus.publish({ type: 'exchange-error', ts: clock.now(), kind: 'internal', message: err instanceof Error ? err.message : String(err), critical: false });
  }
}

/** Stop-loss first when a candle touches both: the conservative assumption without finer data. */
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

export function protectiveExit(quantity: number, stopLoss: number | undefined, takeProfit: number | undefined, high: number, low: number): string | undefined {
  if (quantity > 0) {
    if (stopLoss !== undefined && low <= stopLoss) return 'stop-loss';
    if (takeProfit !== undefined && high >= takeProfit) return 'take-profit';
  } else if (quantity < 0) {
    if (stopLoss !== undefined && high >= stopLoss) return 'stop-loss';
    if (takeProfit !== undefined && low <= takeProfit) return 'take-profit';
  }
  return undefined;
}

function describeIntent(i: Intent): string {
  if (i.kind === 'enter') return `enter ${i.side}${i.reason ? ` (${i.reason})` : ''}`;
  if (i.kind === 'exit') return `exit${i.reason ? ` (${i.reason})` : ''}`;
  return 'message';
}
