import { AppError } from '../domain/errors.ts';
import type { MarketInfo } from '../domain/market.ts';
import { timeframeToMs } from '../domain/timeframe.ts';
import type { TradingState } from '../domain/trading-state.ts';
import { candleStep, createCandleStepper, hasProtectiveLevels, newStepResult, type CandleStepper, type CandleStepResult, type GateInputs } from '../engine/candle-step.ts';
import type { PlannedOrder } from '../risk/decide.ts';
import { DEFAULT_KELLY_SETTINGS, kellyFractionWith, realisedVolatilityPct, recentTradeStats, type KellySettings } from '../risk/kelly-size.ts';
import type { Sizing } from '../risk/sizing.ts';
import { instantiate, parseStrategyParams } from '../strategies/registry.ts';
import type { StrategyInstance } from '../strategies/strategy.ts';
import { BacktestRisk } from './backtest-risk.ts';
import { BacktestBroker } from './broker.ts';
import { inferCalendar } from './calendar.ts';
import { EquityCurvePass, returnPeriodMs } from './curve-stats.ts';
import { breakdownsAt, computeMetrics, monthEnds } from './metrics.ts';
import { noTradeReason } from './no-trade-reason.ts';
import { parseBacktestSizing, parseBps, parseFeeRate, sizingLabel } from './options.ts';
import type { BacktestOptions, BacktestResult } from './types.ts';
import type { Candles } from '../domain/candles.ts';

const ACTIVE: TradingState = Object.freeze({ state: 'ACTIVE', reason: 'backtest', changedBy: 'backtest', changedAt: 0 });
/** Progress is reported every this many candles (a power of two: a mask test per candle). */
const PROGRESS_MASK = 0x3fff;

/**
 * Run a strategy over columnar candles, event by event, on the same pieces as live trading: the
 * strategy's indicators (per chunk of 4,096 candles with `prepareRange`, else `prepare` once over the
 * whole series), then per closed candle the engine's candle step
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
  // Ascending time is checked candle by candle in the simulation's own pass (not a pass of its own).
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
  const kelly = sizing.kind === 'kelly-auto' ? { ...DEFAULT_KELLY_SETTINGS, ...o.kelly } : undefined;
  const risk = o.risk ? new BacktestRisk(symbol, tfMs, o.risk) : undefined;
  const gateInputs: GateInputs = {
    equity: cash,
    available: cash,
    market,
    // kelly (ORDER_SIZING=kelly): the fraction is worked out from the run's own closed trades before every decision.
    sizing: kelly ? { kind: 'kelly', fraction: 0 } : (sizing as Sizing),
    tradingState: o.tradingState ?? ACTIVE,
    allowShort,
    rules: o.rules,
  };

  const chunk = o.chunkSize ?? CHUNK;
  if (!(Number.isInteger(chunk) && chunk >= 1)) throw new AppError('BAD_REQUEST', `chunk size must be a whole number ≥ 1, got ${chunk}`);
  const keepIndicators = o.indicators ?? false;
  // The whole curve only when the caller reads it (reports, charts); otherwise one chunk's worth, reused.
  const keepCurve = o.equityCurve ?? true;
  // A strategy that prepares by ranges does so chunk by chunk inside the loop; any other over the whole series first.
  const ranged = inst.prepareRange !== undefined;
  if (!ranged) inst.prepare(c);
  const equity = new Float64Array(keepCurve ? n : Math.min(n, chunk));
  const signalMap = o.signals ? new Map<string, number>() : undefined;
  const stepper = createCandleStepper({ symbol, timeframe, tfMs, strategy: inst, allowShort, candles: c, lower: o.lowerTimeframe });
  if (signalMap) stepper.ctx.signals = signalMap;
  const tradeFrom = Math.floor(o.tradeFrom ?? 0);
  if (!(tradeFrom >= 0 && tradeFrom < n)) throw new AppError('BAD_REQUEST', `tradeFrom must be a candle index from 0 to ${n - 1}, got ${o.tradeFrom}`);
  const firstDecision = Math.max(tradeFrom, Math.floor(warmup) - 1);
  const { ts, close } = c;
  // Metrics cover the traded part only (views, no copies).
  const mTs = tradeFrom > 0 ? ts.subarray(tradeFrom) : ts;
  const mClose = tradeFrom > 0 ? close.subarray(tradeFrom) : close;
  // The metrics' pass over the equity curve runs chunk by chunk inside the loop, over the traded part,
  // and keeps the equity at each month's last candle for the breakdown.
  const months = monthEnds(mTs);
  const curve = new EquityCurvePass(ts, equity, cash, returnPeriodMs(tfMs), tradeFrom, n, months.map((k) => k + tradeFrom));
  const exposed = simulate(c, equity, stepper, broker, gateInputs, { kelly, risk, tfMs, chunk, ranged, keepIndicators, keepCurve, curve }, fill === 'close', firstDecision, o.signals, signalMap, o.onProgress);
  o.onProgress?.(1);

  const trades = broker.trades;
  const mEquity = keepCurve ? (tradeFrom > 0 ? equity.subarray(tradeFrom) : equity) : NO_CURVE;
  const metrics = computeMetrics({ ts: mTs, close: mClose, equity: mEquity, initialEquity: cash, timeframeMs: tfMs, trades, exposedCandles: exposed, periodsPerYear: calendar.periodsPerYear, curve: curve.result() });
  const why = trades.length === 0 ? noTradeReason({ candles: n, firstDecision, warmup, entrySignals: stepper.entrySignals, denials: broker.denials }) : undefined;
  return {
    ...metrics,
    strategy: name,
    params,
    symbol,
    timeframe,
    options: { cash, feeRate, slippageBps, spreadBps, fill, sizing: sizingLabel(sizing), lot, allowShort, ...(kelly ? { kelly } : {}) },
    tradeList: trades,
    equity: mEquity,
    equityTs: keepCurve ? mTs : NO_CURVE,
    breakdowns: breakdownsAt(mTs, months, curve.samples(), cash, trades),
    denials: broker.denials,
    ...(risk ? { risk: risk.report() } : {}),
    ...(why ? { noTradeReason: why } : {}),
    indicators: ranged && !keepIndicators ? undefined : inst.indicators?.(),
    elapsedMs: performance.now() - started,
  };
}

/**
 * The per-candle loop (run chunk by chunk by {@link simulateCandles}, with plain locals, nothing
 * captured by a closure, so V8 keeps everything in registers). Per candle i: (1) orders decided on i − 1 fill at
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
  x: { kelly: KellySettings | undefined; risk: BacktestRisk | undefined; tfMs: number; chunk: number; ranged: boolean; keepIndicators: boolean; keepCurve: boolean; curve: EquityCurvePass },
  fillAtClose: boolean,
  firstDecision: number,
  signals: Readonly<Record<string, Float64Array>> | undefined,
  signalMap: Map<string, number> | undefined,
  onProgress: ((f: number) => void) | undefined,
): number {
  const n = c.length;
  const ts = c.ts;
  const close = c.close;
  const tfMs = x.tfMs;
  const risk = x.risk;
  const kellySettings = x.kelly;
  const pending: PlannedOrder[] = [];
  const signalNames = signals ? Object.keys(signals) : [];
  const signalSeries = signals ? signalNames.map((k) => signals[k]!) : [];
  const kelly = kellySettings !== undefined ? (gateInputs.sizing as { kind: 'kelly'; fraction: number }) : undefined;
  // Equity, available funds, the Kelly fraction and the risk view are handed to the gate only when the
  // step takes a decision: the equity is the loop's own expression over the account it reads (the
  // step runs before any fill of its candle, so it is the candle's equity bit for bit), not a value
  // the loop stores on every candle.
  const book = new Float64Array(3);
  stepper.beforeGate = (g) => {
    const i = stepper.ctx.i;
    g.equity = equityAt(book, close[i]!);
    g.available = broker.available();
    if (kelly !== undefined) {
      const trades = broker.trades;
      const pnls: number[] = [];
      for (let k = Math.max(0, trades.length - kellySettings!.lookback); k < trades.length; k++) pnls.push(trades[k]!.pnl);
      kelly.fraction = kellyFractionWith(kellySettings!, recentTradeStats(pnls, kellySettings!.lookback, 'backtest'), realisedVolatilityPct(close.subarray(0, i + 1), tfMs));
    }
    if (risk !== undefined) g.risk = risk.view(ts[i]! + tfMs, ts[i]!, broker.qty !== 0 ? 1 : 0);
  };
  const run: CandleRun = { c, equity, book, stepper, broker, gateInputs, risk, fillAtClose, firstDecision, signalMap, signalNames, signalSeries, onProgress, pending, waiting: 0, step: newStepResult() };
  let exposed = 0;
  const strategy = stepper.strategy;
  const chunk = x.chunk;
  // One pipeline: per chunk, the strategy's indicators (when it prepares by ranges), the candles that
  // read them while they are still in cache, then the equity of those candles into the metrics' pass.
  // The last candle's equity is final only after the end of data closes the position. Without the
  // whole curve, `equity` holds the current chunk: candle i at i − base.
  let base = 0;
  for (let from = 0; from < n; from += chunk) {
    const to = Math.min(n, from + chunk);
    if (!x.keepCurve) base = from;
    let quiet: Uint8Array | undefined;
    if (x.ranged) {
      strategy.prepareRange!(c, from, to, x.keepIndicators);
      if (strategy.quietRows !== undefined) quiet = strategy.quietRows();
    }
    exposed += simulateCandles(run, from, to, base, quiet);
    x.curve.add(from, Math.min(to, n - 1), base);
  }
  if (broker.qty !== 0) {
    broker.close(close[n - 1]!, n - 1, ts[n - 1]!, 'end of data', true);
    equity[n - 1 - base] = broker.portfolio.cash;
  }
  x.curve.add(n - 1, n, base);
  return exposed;
}

/** What {@link simulateCandles} needs besides the candle range: loop-invariant, set up once per run. */
interface CandleRun {
  c: Candles;
  equity: Float64Array;
  /** The account as the loop reads it: cash, signed quantity, entry price (see {@link bookAccount}). */
  book: Float64Array;
  stepper: CandleStepper;
  broker: BacktestBroker;
  gateInputs: GateInputs;
  risk: BacktestRisk | undefined;
  fillAtClose: boolean;
  firstDecision: number;
  signalMap: Map<string, number> | undefined;
  signalNames: string[];
  signalSeries: Float64Array[];
  onProgress: ((f: number) => void) | undefined;
  /** Orders decided on the candle before, to fill at this one's open (carried across chunks). */
  pending: PlannedOrder[];
  /** How many of `pending` wait (the first ones; the rest are spent orders, overwritten by the next). */
  waiting: number;
  step: CandleStepResult;
}

/** Candles per call of {@link simulateCandles} (and per `prepareRange`), unless the options say otherwise. */
const CHUNK = 1 << 12;
/** `equity` and `equityTs` of a run that did not keep its curve. */
const NO_CURVE = new Float64Array(0);

/**
 * Candles `[from, to)` of the loop above (candle i's equity into `equity[i − base]`; `quiet`, the
 * strategy's quiet rows of the range at `i − from`); returns how many closed in a position. Called per chunk,
 * not once for the whole series: V8 compiles a single million-iteration loop "on stack" (OSR), and
 * that code boxed this loop's doubles (a heap number per candle); a function called per chunk is
 * compiled normally after a few calls. Everything it reads is in plain locals.
 */
function simulateCandles(r: CandleRun, from: number, to: number, base: number, quiet: Uint8Array | undefined): number {
  const c = r.c;
  const n = c.length;
  const ts = c.ts;
  const open = c.open;
  const close = c.close;
  const volume = c.volume;
  const equity = r.equity;
  const stepper = r.stepper;
  const broker = r.broker;
  const gateInputs = r.gateInputs;
  const risk = r.risk;
  const fillAtClose = r.fillAtClose;
  const firstDecision = r.firstDecision;
  const signalMap = r.signalMap;
  const signalNames = r.signalNames;
  const signalSeries = r.signalSeries;
  const onProgress = r.onProgress;
  const pending = r.pending;
  const step = r.step;
  const tfMs = stepper.tfMs;
  let exposed = 0;
  // The account (cash, quantity, entry price) in a typed array, copied from the broker after every
  // fill (the only thing that changes it): with the equity computed from the broker's fields, V8 kept
  // it boxed and allocated a heap number per candle in a position (~16 MB of garbage per million);
  // so it did with the three in plain locals refreshed after fills (8 MB a run).
  const book = r.book;
  bookAccount(broker, book);
  // The position and what the strategy sees of it change only with a fill: read from the broker
  // after fills, not on every candle.
  let position = broker.position;
  let snapshot = broker.snapshot;
  // The previous candle's time in a local: one read of the time column per candle.
  let prevTs = from > 0 ? ts[from - 1]! : Number.NaN;
  // How many orders wait in `pending`. Never truncated: a length set is a runtime call that drops the storage.
  let waiting = r.waiting;
  // The step as a local: an imported binding is read through its module cell on every call.
  const stepCandle = candleStep;
  for (let i = from; i < to; i++) {
    const t = ts[i]!;
    if (i > 0 && !(t > prevTs)) throw notAscending(i);
    prevTs = t;
    if (waiting > 0) {
      for (let k = 0; k < waiting; k++) broker.fillOrder(pending[k]!, open[i]!, i, t, risk);
      waiting = 0;
      bookAccount(broker, book);
      position = broker.position;
      snapshot = broker.snapshot;
    }
    const px = close[i]!;
    // equityAt's expression, written out: its branch also counts the candle as exposed.
    let e: number;
    if (book[QTY] !== 0) {
      exposed++;
      e = book[CASH]! + (px - book[ENTRY]!) * book[QTY]!;
    } else {
      e = book[CASH]!;
    }
    // A row the strategy marked quiet (`quietRows`: it would answer nothing) has nothing to decide
    // unless an open position's stop-loss or take-profit is to be checked on it.
    if (i >= firstDecision && (quiet === undefined || quiet[i - from] === 0 || (position !== undefined && hasProtectiveLevels(position)))) {
      if (signalMap !== undefined) for (let k = 0; k < signalNames.length; k++) signalMap.set(signalNames[k]!, signalSeries[k]![i]!);
      stepCandle(stepper, i, position, snapshot, true, gateInputs, step);
      // The decisions only after a step that took any: one field test on most candles, not the length
      // of a list that is either the shared empty one or the gate's (two array shapes).
      if (step.dirty) {
        const decisions = step.decisions;
        for (let k = 0; k < decisions.length; k++) {
          const d = decisions[k]!;
          if (d.verdict === 'denied') {
            for (const x of d.denials) broker.deny(x.code);
            if (risk !== undefined) risk.denied(d.denials);
            continue;
          }
          if (risk !== undefined) risk.approved(d.order!.kind, d.order!.positionSide, t + tfMs, t);
          if (fillAtClose) broker.fillOrder(d.order!, px, i, t, risk);
          else pending[waiting++] = d.order!;
        }
        if (fillAtClose && decisions.length > 0) {
          bookAccount(broker, book);
          position = broker.position;
          snapshot = broker.snapshot;
          e = equityAt(book, px);
        }
      }
    }
    // As live after a tick: equity protections and the panic score see the candle once it is decided on.
    if (risk !== undefined) {
      const h = risk.onCandle(t, px, volume[i]!, e);
      if (h !== undefined && 'state' in h) {
        gateInputs.tradingState = BacktestRisk.halted(h);
        // DAILY_LOSS_FLATTEN: kill-all closes the position (at the next open; at once with fill: close).
        if (h.flatten && broker.qty !== 0) {
          const flat: PlannedOrder = { kind: 'exit', symbol: stepper.symbol, side: broker.qty > 0 ? 'sell' : 'buy', positionSide: broker.qty > 0 ? 'long' : 'short', quantity: Math.abs(broker.qty), allIn: false, reduceOnly: true, reason: `kill-all: ${h.reason}` };
          if (fillAtClose) {
            broker.fillOrder(flat, px, i, t, risk);
            bookAccount(broker, book);
            position = broker.position;
            snapshot = broker.snapshot;
            e = book[CASH]!;
          } else pending[waiting++] = flat;
        }
      }
    }
    equity[i - base] = e;
    if (onProgress !== undefined && (i & PROGRESS_MASK) === 0 && i > 0) onProgress(i / n);
  }
  r.waiting = waiting;
  return exposed;
}

const CASH = 0;
const QTY = 1;
const ENTRY = 2;

/** The equity at price `px` of the account in `book`: cash, plus the open position marked at `px`. */
function equityAt(book: Float64Array, px: number): number {
  return book[QTY] !== 0 ? book[CASH]! + (px - book[ENTRY]!) * book[QTY]! : book[CASH]!;
}

/** The broker's cash, signed quantity and entry price into `book` (see simulateCandles). */
function bookAccount(broker: BacktestBroker, book: Float64Array): void {
  book[CASH] = broker.portfolio.cash;
  book[QTY] = broker.qty;
  book[ENTRY] = broker.entry;
}

function notAscending(i: number): AppError {
  return new AppError('BAD_REQUEST', `candles must be ascending by time (rows ${i - 1} and ${i} are not)`);
}
