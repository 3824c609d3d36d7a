/**
 * The benchmark baseline: the `rsi-bb` strategy written the way most JavaScript trading bots write
 * it — candles as an array of objects, technicalindicators' batch `RSI.calculate` and
 * `BollingerBands.calculate` on plain arrays, outputs aligned from the end, then a loop that builds
 * trade objects and an equity array. Same rules, fill model (next open), fee and all-in sizing as
 * `runBacktest` with `rsi-bb`, so the two can be timed against each other. Not used by the product.
 */
import { BollingerBands, RSI } from 'technicalindicators';
import type { Candles } from '../../src/domain/candles.ts';

export interface BaselineParams {
  rsiPeriod: number;
  oversold: number;
  overbought: number;
  bands: boolean;
  bbPeriod: number;
  bbStdDev: number;
}

export interface BaselineResult {
  trades: number;
  finalEquity: number;
}

export interface Bar {
  time: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}

interface Trade {
  entryTime: number;
  exitTime: number;
  entryPrice: number;
  exitPrice: number;
  size: number;
  pnl: number;
}

export function baselineRsiBb(candles: Candles, p: BaselineParams, cash: number, fee: number): BaselineResult {
  // The usual input: an array of candle objects (as read from an exchange or a CSV).
  const bars: Bar[] = [];
  for (let i = 0; i < candles.length; i++) {
    bars.push({ time: candles.ts[i]!, open: candles.open[i]!, high: candles.high[i]!, low: candles.low[i]!, close: candles.close[i]!, volume: candles.volume[i]! });
  }
  return baselineRsiBbBars(bars, p, cash, fee);
}

/** The same on candle objects as they come (bench/baselines/usual-node-file-backtest.ts reads them from a CSV). */
export function baselineRsiBbBars(bars: Bar[], p: BaselineParams, cash: number, fee: number): BaselineResult {
  const closes = bars.map((b) => b.close);
  const rsiOut = RSI.calculate({ values: closes, period: p.rsiPeriod });
  const bbOut = p.bands ? BollingerBands.calculate({ values: closes, period: p.bbPeriod, stdDev: p.bbStdDev }) : [];
  // technicalindicators drops the warm-up: align both outputs on the last bar.
  const rsiOffset = bars.length - rsiOut.length;
  const bbOffset = bars.length - bbOut.length;

  let balance = cash;
  let position: { size: number; entryPrice: number; entryTime: number; entryFee: number } | null = null;
  let pendingBuy = false;
  let pendingSell = false;
  const trades: Trade[] = [];
  const equity: number[] = [];
  for (let i = 0; i < bars.length; i++) {
    const bar = bars[i]!;
    if (pendingBuy) {
      const size = balance / (bar.open * (1 + fee));
      const entryFee = size * bar.open * fee;
      balance -= size * bar.open + entryFee;
      position = { size, entryPrice: bar.open, entryTime: bar.time, entryFee };
      pendingBuy = false;
    } else if (pendingSell && position) {
      const exitFee = position.size * bar.open * fee;
      balance += position.size * bar.open - exitFee;
      trades.push({
        entryTime: position.entryTime,
        exitTime: bar.time,
        entryPrice: position.entryPrice,
        exitPrice: bar.open,
        size: position.size,
        pnl: (bar.open - position.entryPrice) * position.size - position.entryFee - exitFee,
      });
      position = null;
      pendingSell = false;
    }
    equity.push(balance + (position ? position.size * bar.close : 0));
    const r = i >= rsiOffset ? rsiOut[i - rsiOffset] : undefined;
    if (r === undefined || i === bars.length - 1) continue;
    const band = p.bands ? (i >= bbOffset ? bbOut[i - bbOffset] : undefined) : undefined;
    if (p.bands && !band) continue;
    if (!position && r < p.oversold && (!band || bar.close < band.lower)) pendingBuy = true;
    else if (position && r > p.overbought) pendingSell = true;
  }
  if (position) {
    const last = bars[bars.length - 1]!;
    balance += position.size * last.close * (1 - fee);
    position = null;
  }
  return { trades: trades.length, finalEquity: balance };
}
