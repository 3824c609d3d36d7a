import { AppError } from '../domain/errors.ts';
import type { MarketInfo } from '../domain/market.ts';
import { timeframeToMs } from '../domain/timeframe.ts';
import type { TradingState } from '../domain/trading-state.ts';
import { candleStep, createCandleStepper, newStepResult, type CandleStepper, type GateInputs } from '../engine/candle-step.ts';
import type { PlannedOrder } from '../risk/decide.ts';
import type { Sizing } from '../risk/sizing.ts';
import { instantiate, parseStrategyParams } from '../strategies/registry.ts';
import type { StrategyInstance } from '../strategies/strategy.ts';
import { BacktestBroker } from './broker.ts';
import { inferCalendar } from './calendar.ts';
import { computeBreakdowns, computeMetrics } from './metrics.ts';
import { noTradeReason } from './no-trade-reason.ts';
import { parseBacktestSizing, parseBps, parseFeeRate, sizingLabel } from './options.ts';
import type { BacktestOptions, BacktestResult } from './types.ts';
import type { Candles } from '../domain/candles.ts';

const ACTIVE: TradingState = Object.freeze({ state: 'ACTIVE', reason: 'backtest', changedBy: 'backtest', changedAt: 0 });
/** Progress is reported every this many candles (a power of two: a mask test per candle). */
const PROGRESS_MASK = 0x3fff;

/**
 * Run a strategy over columnar candles, event by event, on the same pieces as live trading: the
 * strategy's `prepare` once over the whole series, then per closed candle the engine's candle step
 * (`src/engine/candle-step.ts`: protective exits → strategy → risk gate with sizing, trading state and
 * every pre-flight rule), the sim's matching engine for fills and `Portfolio` for accounting.
 *
 * Per candle i: (1) orders decided on i − 1 fill at the open of i (`next-open`); (2) equity is marked
 * at the close; (3) the candle step decides on i — a stop-loss / take-profit touched inside i exits
 * like any other exit, at the next open (what the engine, which sees closed candles, can do); with
 * `fill: 'close'` orders fill at once at the close of i.
 * The loop allocates nothing per candle; only trades and decisions allocate.
 * Orders decided on the last candle have no next open and are dropped; a position still open at the
 * end is closed at the last close and flagged `openAtEnd`.
 */
export function runBacktest(o: BacktestOptions): BacktestResult {
  const started = performance.now();
  const c = o.candles;
  const n = c.length;
  if (n < 1) throw new AppError('BAD_REQUEST', 'no candles to backtest');
  for (let i = 1; i < n; i++) {
    if (!(c.ts[i]! > c.ts[i - 1]!)) throw new AppError('BAD_REQUEST', `candles must be ascending by time (rows ${i - 1} and ${i} are not)`);
  }
  const symbol = o.symbol ?? 'ASSET/USDT';
  if (o.periodsPerYear !== undefined && !(o.periodsPerYear > 0 && Number.isFinite(o.periodsPerYear))) {
    throw new AppError('BAD_REQUEST', `periods per year must be a positive number, got ${o.periodsPerYear}`);
  }
  // The data's calendar: bar length (months as 1M), weekday-only markets, periods per year.
  const calendar = inferCalendar(c.ts, { timeframeMs: o.timeframe ? timeframeToMs(o.timeframe) : undefined, periodsPerYear: o.periodsPerYear });
  const tfMs = calendar.stepMs;
  const timeframe = o.timeframe ?? calendar.timeframe;
  const cash = o.cash ?? 10_000;
  if (!(cash > 0) || !Number.isFinite(cash)) throw new AppError('BAD_REQUEST', `cash must be a positive number, got ${cash}`);
  const feeRate = o.market ? o.market.takerFee : parseFeeRate(o.fee ?? 0);
  const slippageBps = parseBps(o.slippage ?? 0, 'slippage');
  const spreadBps = parseBps(o.spread ?? 0, 'spread');
  const fill = o.fill ?? 'next-open';
  if (fill !== 'next-open' && fill !== 'close') throw new AppError('BAD_REQUEST', `fill must be next-open or close, got ${String(fill)}`);
  const sizing = parseBacktestSizing(o.sizing ?? 'all-in');
  const lot = o.lot ?? 0;
  if (!(lot >= 0) || !Number.isFinite(lot)) throw new AppError('BAD_REQUEST', `lot must be a number ≥ 0, got ${lot}`);
  const allowShort = o.allowShort ?? false;

  let inst: StrategyInstance;
  let name: string;
  let warmup: number;
  let params: Record<string, unknown>;
  if ('instance' in o.strategy) {
    inst = o.strategy.instance;
    name = o.strategy.name;
    warmup = o.strategy.warmup;
    params = o.params ?? {};
  } else {
    const def = o.strategy;
    params = parseStrategyParams(def, o.params ?? {});
    inst = instantiate(def, params);
    name = def.name;
    warmup = def.warmup(params);
  }

  const [base = 'ASSET', quote = 'USDT'] = symbol.split(':')[0]!.split('/');
  const market: MarketInfo = o.market ? { ...o.market, symbol } : {
    symbol,
    base,
    quote,
    type: allowShort ? 'swap' : 'spot',
    amountStep: lot,
    priceStep: 0,
    minAmount: lot,
    minNotional: o.minNotional ?? 0,
    contractSize: 1,
    makerFee: feeRate,
    takerFee: feeRate,
  };
  const broker = new BacktestBroker({ market, cash, costBps: slippageBps + spreadBps / 2, allowShort });
  const kellyAuto = sizing.kind === 'kelly-auto';
  const gateInputs: GateInputs = {
    equity: cash,
    available: cash,
    market,
    // kelly-auto: the fraction is updated from the trades so far before every step.
    sizing: kellyAuto ? { kind: 'kelly', fraction: 0 } : (sizing as Sizing),
    tradingState: o.tradingState ?? ACTIVE,
    allowShort,
    rules: o.rules,
  };

  inst.prepare(c);
  const equity = new Float64Array(n);
  const signalMap = o.signals ? new Map<string, number>() : undefined;
  const stepper = createCandleStepper({ symbol, timeframe, tfMs, strategy: inst, allowShort, candles: c, lower: o.lowerTimeframe });
  if (signalMap) stepper.ctx.signals = signalMap;
  const tradeFrom = Math.floor(o.tradeFrom ?? 0);
  if (!(tradeFrom >= 0 && tradeFrom < n)) throw new AppError('BAD_REQUEST', `tradeFrom must be a candle index from 0 to ${n - 1}, got ${o.tradeFrom}`);
  const firstDecision = Math.max(tradeFrom, Math.floor(warmup) - 1);
  const exposed = simulate(c, equity, stepper, broker, gateInputs, kellyAuto, fill === 'close', firstDecision, o.signals, signalMap, o.onProgress);
  o.onProgress?.(1);
  const { ts, close } = c;

  const trades = broker.trades;
  // Metrics cover the traded part only (views, no copies).
  const mTs = tradeFrom > 0 ? ts.subarray(tradeFrom) : ts;
  const mClose = tradeFrom > 0 ? close.subarray(tradeFrom) : close;
  const mEquity = tradeFrom > 0 ? equity.subarray(tradeFrom) : equity;
  const metrics = computeMetrics({ ts: mTs, close: mClose, equity: mEquity, initialEquity: cash, timeframeMs: tfMs, trades, exposedCandles: exposed, periodsPerYear: calendar.periodsPerYear });
  const why = trades.length === 0 ? noTradeReason({ candles: n, firstDecision, warmup, entrySignals: stepper.entrySignals, denials: broker.denials }) : undefined;
  return {
    ...metrics,
    strategy: name,
    params,
    symbol,
    timeframe,
    options: { cash, feeRate, slippageBps, spreadBps, fill, sizing: sizingLabel(sizing), lot, allowShort },
    tradeList: trades,
    equity: mEquity,
    equityTs: mTs,
    breakdowns: computeBreakdowns(mTs, mEquity, cash, trades),
    denials: broker.denials,
    ...(why ? { noTradeReason: why } : {}),
    indicators: inst.indicators?.(),
    elapsedMs: performance.now() - started,
  };
}

/**
 * The per-candle loop, kept in its own small function with plain locals (nothing captured by a
 * closure) so V8 keeps everything in registers. Per candle i: (1) orders decided on i − 1 fill at
 * the open of i; (2) equity is marked at the close; (3) the candle step (protective exits →
 * strategy → risk gate) decides on i — the same step `TradingEngine` runs — and its approved orders
 * wait for the open of i + 1 (or, with `fill: 'close'`, fill at once at the close of i). Returns the
 * number of candles closed in a position.
 */
function simulate(
  c: Candles,
  equity: Float64Array,
  stepper: CandleStepper,
  broker: BacktestBroker,
  gateInputs: GateInputs,
  kellyAuto: boolean,
  fillAtClose: boolean,
  firstDecision: number,
  signals: Readonly<Record<string, Float64Array>> | undefined,
  signalMap: Map<string, number> | undefined,
  onProgress: ((f: number) => void) | undefined,
): number {
  const n = c.length;
  const ts = c.ts;
  const open = c.open;
  const close = c.close;
  const pending: PlannedOrder[] = [];
  const signalNames = signals ? Object.keys(signals) : [];
  const signalSeries = signals ? signalNames.map((k) => signals[k]!) : [];
  const kelly = kellyAuto ? (gateInputs.sizing as { kind: 'kelly'; fraction: number }) : undefined;
  const step = newStepResult();
  let exposed = 0;
  for (let i = 0; i < n; i++) {
    if (pending.length > 0) {
      for (let k = 0; k < pending.length; k++) broker.execute(pending[k]!, open[i]!, i, ts[i]!);
      pending.length = 0;
    }
    const px = close[i]!;
    let e: number;
    if (broker.qty !== 0) {
      exposed++;
      e = broker.portfolio.cash + (px - broker.entry) * broker.qty;
    } else {
      e = broker.portfolio.cash;
    }
    if (i >= firstDecision) {
      if (signalMap !== undefined) for (let k = 0; k < signalNames.length; k++) signalMap.set(signalNames[k]!, signalSeries[k]![i]!);
      gateInputs.equity = e;
      gateInputs.available = broker.available();
      if (kelly !== undefined) kelly.fraction = broker.kelly.fraction();
      candleStep(stepper, i, broker.position, broker.snapshot, true, gateInputs, step);
      const decisions = step.decisions;
      for (let k = 0; k < decisions.length; k++) {
        const d = decisions[k]!;
        if (d.verdict === 'denied') {
          for (const x of d.denials) broker.deny(x.code);
        } else if (fillAtClose) {
          broker.execute(d.order!, px, i, ts[i]!);
        } else {
          pending.push(d.order!);
        }
      }
      if (fillAtClose && decisions.length > 0) e = broker.qty !== 0 ? broker.portfolio.cash + (px - broker.entry) * broker.qty : broker.portfolio.cash;
    }
    equity[i] = e;
    if (onProgress !== undefined && (i & PROGRESS_MASK) === 0 && i > 0) onProgress(i / n);
  }
  if (broker.qty !== 0) {
    broker.close(close[n - 1]!, n - 1, ts[n - 1]!, 'end of data', true);
    equity[n - 1] = broker.portfolio.cash;
  }
  return exposed;
}
