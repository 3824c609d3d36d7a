import { curveStats, returnPeriodMs, type CurveStats } from './curve-stats.ts';
import type { BacktestMetrics, Breakdowns, GroupStats, MonthStats } from './metrics-types.ts';

export const DAY_MS = 86_400_000;

/** What metrics need from a trade (BacktestTrade satisfies it). */
export interface TradeLike {
  symbol: string;
  /** Entry time; trades without it count in no duration figure. */
  entryTs?: number;
  exitTs: number;
  pnl: number;
  returnPct: number;
  exitReason: string;
  fees: number;
}

export interface MetricsInput {
  /** Candle open times. */
  ts: Float64Array;
  /** Closes, for buy & hold. */
  close: Float64Array;
  /** Equity at each candle's close (may be empty when `curve` is given: the curve was folded in as it was made). */
  equity: Float64Array;
  initialEquity: number;
  timeframeMs: number;
  trades: readonly TradeLike[];
  /** Candles at whose close a position was open. */
  exposedCandles: number;
  /** Calendar days per year for CAGR (default 365). */
  daysPerYear?: number;
  /**
   * Return periods per year for annual return, volatility, Sharpe and Sortino: 252 for daily stock
   * data, 365 for crypto, 12 for monthly bars (src/backtest/calendar.ts infers it). Default: one
   * period per calendar day (or per bar when bars are longer than a day) on a 365-day year.
   */
  periodsPerYear?: number;
  /**
   * The curve's drawdowns and period returns when the caller worked them out while the curve was
   * made (the backtest does, chunk by chunk: `EquityCurvePass` over the same ts, equity and
   * initial equity; its `last` is the final equity); otherwise one pass here.
   */
  curve?: CurveStats;
}

/**
 * Every metric of a run from its equity curve and trades, in one pass over the curve and no
 * per-candle allocation. Definitions: docs/backtesting.md ("Metrics").
 */
export function computeMetrics(m: MetricsInput): BacktestMetrics {
  const n = m.ts.length;
  const daysPerYear = m.daysPerYear ?? 365;
  const e0 = m.initialEquity;
  const final = n > 0 ? (m.curve ? m.curve.last : m.equity[n - 1]!) : e0;
  const start = n > 0 ? m.ts[0]! : 0;
  const end = n > 0 ? m.ts[n - 1]! : 0;
  const durationMs = n > 0 ? end - start + m.timeframeMs : 0;
  const years = durationMs / (daysPerYear * DAY_MS);

  // Daily returns for bars of a day or less; one return per bar for longer bars (weeks, months).
  const dd = m.curve ?? curveStats(m.ts, m.equity, e0, returnPeriodMs(m.timeframeMs));
  const periods = dd.periods;
  const periodsPerYear = m.periodsPerYear ?? (daysPerYear * DAY_MS) / Math.max(DAY_MS, m.timeframeMs);
  const ret = final / e0 - 1;
  const cagr = years > 0 ? (final > 0 ? Math.pow(final / e0, 1 / years) - 1 : -1) : 0;

  let annualReturnPct: number | null = null;
  let annualVolatilityPct: number | null = null;
  let sharpe: number | null = null;
  let sortino: number | null = null;
  if (periods.count >= 1) {
    const g = final > 0 ? Math.pow(final / e0, 1 / periods.count) - 1 : -1;
    annualReturnPct = (Math.pow(1 + g, periodsPerYear) - 1) * 100;
  }
  if (periods.count >= 2) {
    const sd = Math.sqrt(periods.variance);
    annualVolatilityPct = sd * Math.sqrt(periodsPerYear) * 100;
    if (sd > 0) sharpe = (periods.mean / sd) * Math.sqrt(periodsPerYear);
    if (periods.downside > 0) sortino = (periods.mean / periods.downside) * Math.sqrt(periodsPerYear);
  }

  const t = tradeStats(m.trades);
  return {
    start,
    end,
    durationMs,
    exposurePct: n > 0 ? (m.exposedCandles / n) * 100 : 0,
    initialEquity: e0,
    finalEquity: final,
    peakEquity: dd.peak,
    returnPct: ret * 100,
    buyHoldReturnPct: n > 0 ? (m.close[n - 1]! / m.close[0]! - 1) * 100 : 0,
    cagrPct: cagr * 100,
    annualReturnPct,
    annualVolatilityPct,
    sharpe,
    sortino,
    calmar: dd.max > 0 ? cagr / dd.max : null,
    maxDrawdownPct: dd.max > 0 ? -dd.max * 100 : 0,
    maxDrawdownDurationMs: dd.maxDurationMs,
    avgDrawdownPct: dd.episodes > 0 ? (-dd.sumDepth / dd.episodes) * 100 : 0,
    avgDrawdownDurationMs: dd.episodes > 0 ? dd.sumDurationMs / dd.episodes : 0,
    periodsPerYear,
    ...t,
  };
}

type TradeMetrics = Pick<
  BacktestMetrics,
  | 'trades'
  | 'winRatePct'
  | 'bestTradePct'
  | 'worstTradePct'
  | 'avgTradePct'
  | 'profitFactor'
  | 'expectancy'
  | 'expectancyPct'
  | 'sqn'
  | 'kelly'
  | 'fees'
  | 'avgTradeDurationMs'
  | 'maxTradeDurationMs'
  | 'maxConsecutiveWins'
  | 'maxConsecutiveLosses'
>;

export function tradeStats(trades: readonly TradeLike[]): TradeMetrics {
  const n = trades.length;
  let wins = 0;
  let losses = 0;
  let grossWin = 0;
  let grossLoss = 0;
  let best = -Infinity;
  let worst = Infinity;
  let sumRet = 0;
  let sumPnl = 0;
  let fees = 0;
  let timed = 0;
  let sumDur = 0;
  let maxDur = 0;
  let winRun = 0;
  let lossRun = 0;
  let maxWinRun = 0;
  let maxLossRun = 0;
  for (const t of trades) {
    if (t.entryTs !== undefined) {
      const d = Math.max(0, t.exitTs - t.entryTs);
      timed++;
      sumDur += d;
      if (d > maxDur) maxDur = d;
    }
    // A break-even trade (P&L exactly 0) ends both streaks.
    winRun = t.pnl > 0 ? winRun + 1 : 0;
    lossRun = t.pnl < 0 ? lossRun + 1 : 0;
    if (winRun > maxWinRun) maxWinRun = winRun;
    if (lossRun > maxLossRun) maxLossRun = lossRun;
    if (t.pnl > 0) {
      wins++;
      grossWin += t.pnl;
    } else if (t.pnl < 0) {
      losses++;
      grossLoss -= t.pnl;
    }
    if (t.returnPct > best) best = t.returnPct;
    if (t.returnPct < worst) worst = t.returnPct;
    sumRet += t.returnPct;
    sumPnl += t.pnl;
    fees += t.fees;
  }
  const meanPnl = n > 0 ? sumPnl / n : 0;
  let ss = 0;
  for (const t of trades) ss += (t.pnl - meanPnl) ** 2;
  const sd = n > 1 ? Math.sqrt(ss / (n - 1)) : 0;
  const winRate = n > 0 ? wins / n : 0;
  const kelly = wins > 0 && losses > 0 ? winRate - (1 - winRate) / (grossWin / wins / (grossLoss / losses)) : null;
  return {
    trades: n,
    winRatePct: n > 0 ? winRate * 100 : null,
    bestTradePct: n > 0 ? best : null,
    worstTradePct: n > 0 ? worst : null,
    avgTradePct: n > 0 ? sumRet / n : null,
    profitFactor: grossLoss > 0 ? grossWin / grossLoss : null,
    expectancy: n > 0 ? meanPnl : null,
    expectancyPct: n > 0 ? sumRet / n : null,
    sqn: n > 1 && sd > 0 ? (Math.sqrt(n) * meanPnl) / sd : null,
    kelly,
    fees,
    avgTradeDurationMs: timed > 0 ? sumDur / timed : null,
    maxTradeDurationMs: timed > 0 ? maxDur : null,
    maxConsecutiveWins: maxWinRun,
    maxConsecutiveLosses: maxLossRun,
  };
}

function group(trades: readonly TradeLike[], key: (t: TradeLike) => string): Record<string, GroupStats> {
  const out: Record<string, GroupStats> = {};
  for (const t of trades) {
    const k = key(t);
    const g = (out[k] ??= { trades: 0, wins: 0, winRatePct: 0, pnl: 0, avgReturnPct: 0 });
    g.trades++;
    if (t.pnl > 0) g.wins++;
    g.pnl += t.pnl;
    g.avgReturnPct += t.returnPct;
  }
  for (const g of Object.values(out)) {
    g.winRatePct = (g.wins / g.trades) * 100;
    g.avgReturnPct /= g.trades;
  }
  return out;
}

export function monthKey(ts: number): string {
  const d = new Date(ts);
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
}

/** Tables per pair, per exit reason and per UTC month (months from the equity curve, so quiet months show too). */
export function computeBreakdowns(ts: Float64Array, equity: Float64Array, initial: number, trades: readonly TradeLike[]): Breakdowns {
  const ends = monthEnds(ts);
  return breakdownsAt(ts, ends, Float64Array.from(ends, (i) => equity[i]!), initial, trades);
}

/**
 * The index of the last candle of each UTC month in ascending times, found by binary search: a few
 * steps per month, not a pass over every candle. The last candle is always one.
 */
export function monthEnds(ts: Float64Array): number[] {
  const ends: number[] = [];
  const n = ts.length;
  let from = 0;
  while (from < n) {
    const i = lastBefore(ts, nextMonthStart(ts[from]!), from, n);
    ends.push(i);
    from = i + 1;
  }
  return ends;
}

/**
 * {@link computeBreakdowns} from the equity at the month ends only (`endEquity[k]` at candle
 * `ends[k]`, see {@link monthEnds}): what the backtest keeps when it does not hold the whole curve.
 */
export function breakdownsAt(ts: Float64Array, ends: readonly number[], endEquity: Float64Array, initial: number, trades: readonly TradeLike[]): Breakdowns {
  const perMonth: MonthStats[] = [];
  let prevEnd = initial;
  for (let k = 0; k < ends.length; k++) {
    const e = endEquity[k]!;
    perMonth.push({ month: monthKey(ts[ends[k]!]!), trades: 0, pnl: 0, returnPct: prevEnd > 0 ? (e / prevEnd - 1) * 100 : 0, endEquity: e });
    prevEnd = e;
  }
  const byMonth = new Map(perMonth.map((m) => [m.month, m]));
  for (const t of trades) {
    const m = byMonth.get(monthKey(t.exitTs));
    if (m) {
      m.trades++;
      m.pnl += t.pnl;
    }
  }
  return { perPair: group(trades, (t) => t.symbol), perExitReason: group(trades, (t) => t.exitReason), perMonth };
}

/** The last index in `[from, to)` whose time is before `limit` (`ts[from]` is). */
function lastBefore(ts: Float64Array, limit: number, from: number, to: number): number {
  let lo = from; // ts[lo] < limit
  let hi = to; // ts[hi] >= limit, or the end
  while (hi - lo > 1) {
    const mid = (lo + hi) >>> 1;
    if (ts[mid]! < limit) lo = mid;
    else hi = mid;
  }
  return lo;
}

/** Start of the UTC month after the one holding `ts`. */
function nextMonthStart(ts: number): number {
  const d = new Date(ts);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
}
