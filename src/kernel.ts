import { accountSummary, type AccountSummary } from './domain/account.ts';
import type { Candles } from './domain/candles.ts';
import { quoteOf } from './domain/market.ts';
import { Portfolio } from './domain/portfolio.ts';
import { OrderFlowFeed } from './market-data/order-flow-feed.ts';
import { EventBus } from './engine/bus.ts';
import { OrderManager, type OrderManagerOptions, type OrderPlan } from './engine/order-manager.ts';
import { chaseLimit, type ChasePolicy, type ChaseResult } from './engine/limit-chaser.ts';
import type { Sizing } from './risk/sizing.ts';
import { kellyFractionWith, realisedVolatilityPct, tradeStats, type KellySettings, type TradeStats } from './risk/kelly-size.ts';
import { timeframeToMs } from './domain/timeframe.ts';
import { TradingEngine } from './engine/trading-engine.ts';
import { createRiskLayer, NO_RISK_SETTINGS, type RiskLayer, type RiskSettings } from './engine/risk-layer.ts';
import type { RiskStore } from './ports/risk-store.ts';
import type { Logger } from './logger.ts';
import { systemClock, type Clock } from './ports/clock.ts';
import type { Execution } from './ports/execution.ts';
import type { FactorFeed } from './ports/factors.ts';
import type { MarketData } from './ports/market-data.ts';
import type { TradingStore } from './ports/store.ts';
import { TradingStateHolder } from './risk/trading-state.ts';
import { instantiate } from './strategies/registry.ts';
import type { StrategyDefinition, StrategyInstance } from './strategies/strategy.ts';

export interface KernelPorts {
  marketData: MarketData;
  execution: Execution;
  clock: Clock;
  store: TradingStore;
  logger: Logger;
  /** Real time for people (trading-state changes, last tick); `clock` is market time. Default: system clock. */
  wallClock?: Clock;
  /** The process's event bus when parts built before the kernel (live feeds) publish too; default: a new one. */
  bus?: EventBus;
  /** Panic history, kill-all runs, sweeps, Kelly trades; without it there is no kill-all. */
  riskStore?: RiskStore;
  /**
   * Win rate and payoff of the strategy on a symbol for Kelly sizing (its last closed trades, else the
   * latest backtest's: src/app/kelly-stats.ts). Default: the risk store's closed trades only.
   */
  tradeStats?: (symbol: string) => Promise<TradeStats>;
  /** External factors fed by the factor webhook: the panic score reads them, strategies get fresh ones as `ctx.signals`. */
  factors?: FactorFeed;
}

export interface KernelOptions {
  mode: 'paper' | 'live';
  strategy: StrategyDefinition;
  params: Record<string, unknown>;
  symbols: readonly string[];
  timeframe: string;
  sizing: Sizing;
  /** ORDER_SIZING=kelly: entries are sized by the Kelly size with these settings instead of `sizing`. */
  kelly?: KellySettings;
  allowShort: boolean;
  /** Starting cash when the store has none yet (paper account). */
  initialCash: number;
  /** Limit orders: timeout, re-pricings, furthest chase (defaults 30 s, 3, 0.5 %). */
  limitPolicy?: ChasePolicy;
  /** Unknown-outcome handling of order creation (defaults: 1 s lookup delay, 5 sends, 11 s request window). */
  orderPolicy?: Pick<OrderManagerOptions, 'lookupDelayMs' | 'maxCreateAttempts' | 'requestWindowMs' | 'sleep'>;
  /** MAX_SIGNAL_AGE in ms (default: one timeframe). */
  maxSignalAgeMs?: number;
  /** The market clock is the simulated exchange's (accelerated): alerts label candle times as simulated. */
  simulatedTime?: boolean;
  /** Slippage (fraction) assumed when re-sizing all-in entries at send time (the sim's own on the sim). */
  allInSlippage?: number;
  /** How the account is reported (default: swap when shorting is allowed, else spot) and the swap leverage (default 1). */
  marketType?: 'spot' | 'swap';
  leverage?: number;
  /** Pre-flight limits, protections, panic settings (default: none). */
  risk?: RiskSettings;
}

export interface Kernel {
  readonly bus: EventBus;
  readonly engine: TradingEngine;
  readonly portfolio: Portfolio;
  readonly tradingState: TradingStateHolder;
  readonly orders: OrderManager;
  /** Send a limit order that is re-priced when it times out (ORDER_TIMEOUT, MAX_REQUOTES, MAX_PRICE_CHASE). */
  chaseLimit(plan: OrderPlan & { price: number }, strategy: string): Promise<ChaseResult>;
  readonly risk: RiskLayer;
  readonly ports: KernelPorts;
  /** The options in effect (strategy, parameters and symbols change with `reconfigure`). */
  readonly options: KernelOptions;
  /**
   * Trade another strategy, other parameters or other symbols from the next tick on, without a
   * restart (`/reload_config`). Run it between ticks (the tick's serial queue).
   */
  reconfigure(next: Pick<KernelOptions, 'strategy' | 'params' | 'symbols'>): Promise<void>;
  /** The account as the venue shows it (spot: free quote + holdings; swap: wallet, unrealised, margin), at the last prices. */
  account(): AccountSummary;
}

/** ORDER_SIZING=kelly: the Kelly fraction of a symbol from its trade stats and the volatility of its candles. */
function kellySizingFor(k: KellySettings, options: KernelOptions, ports: KernelPorts): (symbol: string, candles: Candles) => Promise<Sizing> {
  const tfMs = timeframeToMs(options.timeframe);
  const stats =
    ports.tradeStats ??
    (async (symbol: string) => tradeStats(ports.riskStore ? await ports.riskStore.closedTradePnls(options.strategy.name, symbol, k.lookback) : [], 'live'));
  return async (symbol, candles) => ({ kind: 'kelly', fraction: kellyFractionWith(k, await stats(symbol), realisedVolatilityPct(candles.close.subarray(0, candles.length), tfMs)) });
}

/** The event bus with subscriber failures logged (a failing subscriber never stops the others). */
export function createEventBus(logger: Logger): EventBus {
  return new EventBus((err, event) => logger.error({ err, event: event.type }, 'event subscriber failed'));
}

/**
 * Wire bus, trading state, portfolio, order manager and engine over the given ports. The same code
 * runs paper and live; only the ports differ (the backtester runs the same strategy, decide() and
 * Portfolio over the simulated matching engine and a simulated clock).
 */
export async function createKernel(ports: KernelPorts, options: KernelOptions): Promise<Kernel> {
  const { store, clock, logger, execution } = ports;
  const bus = ports.bus ?? createEventBus(logger);
  const tradingState = await TradingStateHolder.load(store, (e) => bus.publish(e), ports.wallClock ?? systemClock);
  const portfolio = new Portfolio((await store.cash(execution.exchangeId)) ?? options.initialCash);
  for (const p of await store.positions(execution.exchangeId)) portfolio.restore(p);

  const instances = async (o: Pick<KernelOptions, 'strategy' | 'params' | 'symbols'>, restore: boolean) => {
    const out = new Map<string, StrategyInstance>();
    for (const symbol of o.symbols) {
      const instance = instantiate(o.strategy, o.params);
      if (restore && instance.setState) {
        const saved = await store.loadStrategyState(o.strategy.name, symbol);
        if (saved !== undefined) instance.setState(saved);
      }
      out.set(symbol, instance);
    }
    return out;
  };
  const strategies = await instances(options, true);
  // One list of symbols shared by the engine and the risk layer: reconfigure() changes it in place.
  const symbols: string[] = [...options.symbols];
  let current: KernelOptions = { ...options, symbols };
  // Order flow per symbol: CVD from candles, open interest sampled where the venue offers it (swap).
  const flowFeed = (symbol: string) => new OrderFlowFeed({ symbol, timeframe: options.timeframe, marketData: ports.marketData, now: () => clock.now(), logger });
  const orderFlow = new Map(symbols.map((symbol) => [symbol, flowFeed(symbol)]));
  const signals = async (symbol: string, candles: Candles) => {
    const feed = orderFlow.get(symbol);
    let named: ReadonlyMap<string, number> | undefined;
    if (feed) {
      await feed.sample();
      named = feed.signals(candles);
    }
    const external = ports.factors?.fresh(symbol);
    if (!external || Object.keys(external).length === 0) return named;
    // Order-flow names win over a factor of the same name: they are computed from the venue's own data.
    return new Map([...Object.entries(external), ...(named ?? new Map<string, number>())]);
  };
  const orders = new OrderManager({ execution, store, clock, mode: options.mode, logger: logger.child({ component: 'orders' }), portfolio, bus, ...options.orderPolicy });
  // The risk layer reads the engine's marks and candles only when it runs (after a tick).
  const risk: RiskLayer = createRiskLayer({
    settings: options.risk ?? NO_RISK_SETTINGS,
    symbols,
    timeframe: options.timeframe,
    bus,
    store,
    riskStore: ports.riskStore,
    factors: ports.factors,
    execution,
    orders,
    portfolio,
    tradingState,
    clock,
    logger: logger.child({ component: 'risk' }),
    marks: () => engine.markPrices(),
    candles: (symbol) => engine.candles(symbol),
  });
  const engine: TradingEngine = new TradingEngine({
    ...ports,
    logger: logger.child({ component: 'engine', strategy: options.strategy.name }),
    bus,
    portfolio,
    tradingState,
    orders,
    strategyName: options.strategy.name,
    strategies,
    symbols,
    timeframe: options.timeframe,
    warmup: options.strategy.warmup(options.params),
    sizing: options.sizing,
    sizingFor: options.kelly ? kellySizingFor(options.kelly, options, ports) : undefined,
    allowShort: options.allowShort,
    signals,
    maxSignalAgeMs: options.maxSignalAgeMs,
    simulatedTime: options.simulatedTime,
    allInSlippage: options.allInSlippage,
    risk: risk.gate,
    afterTick: (now) => risk.afterTick(now),
    account: (): AccountSummary => account(),
  });
  const shape = { marketType: options.marketType ?? (options.allowShort ? 'swap' : 'spot'), quote: quoteOf(options.symbols[0] ?? ''), leverage: options.leverage } as const;
  const account = (): AccountSummary => accountSummary(portfolio, engine.markPrices(), shape);
  await risk.start();
  const limitPolicy = options.limitPolicy ?? { timeoutMs: 30_000, maxRequotes: 3, maxChasePct: 0.5 };
  const chase = (plan: OrderPlan & { price: number }, strategy: string) =>
    chaseLimit({ orders, store, logger, price: (symbol) => ports.marketData.fetchPrice(symbol) }, plan, strategy, limitPolicy);
  const reconfigure = async (next: Pick<KernelOptions, 'strategy' | 'params' | 'symbols'>) => {
    // The same strategy with the same parameters keeps its stored state; anything else starts from history.
    const same = next.strategy.name === current.strategy.name && JSON.stringify(next.params) === JSON.stringify(current.params);
    const fresh = await instances(next, same);
    symbols.splice(0, symbols.length, ...next.symbols);
    for (const symbol of symbols) if (!orderFlow.has(symbol)) orderFlow.set(symbol, flowFeed(symbol));
    for (const symbol of [...orderFlow.keys()]) if (!symbols.includes(symbol)) orderFlow.delete(symbol);
    engine.reconfigure({ strategyName: next.strategy.name, strategies: fresh, symbols, warmup: next.strategy.warmup(next.params), logger: logger.child({ component: 'engine', strategy: next.strategy.name }) });
    current = { ...current, strategy: next.strategy, params: next.params, symbols };
  };
  return {
    bus, engine, portfolio, tradingState, orders, risk, ports, account, chaseLimit: chase, reconfigure,
    get options() {
      return current;
    },
  };
}
