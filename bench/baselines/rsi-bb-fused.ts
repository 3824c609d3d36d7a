/**
 * The yardstick for the engine loop: the `rsi-bb` strategy (with bands) hand-fused into one pass over
 * Float64Arrays — Wilder's RSI (TA-Lib start: the first average is the mean of the first `period`
 * changes), Bollinger Bands from running sums, next-open fills, fee, all-in sizing and an equity
 * value per candle, all in one loop with no function call, object or array per candle. Nothing can
 * be faster without changing the problem; `runBacktest` (strategy API, candle step, risk gate,
 * matching engine, portfolio) is held to a small multiple of it in bench/backtest.bench.ts. Not used
 * by the product.
 */
import type { Candles } from '../../src/domain/candles.ts';
import type { BaselineParams, BaselineResult } from './rsi-bb-technicalindicators.ts';

export function fusedRsiBb(c: Candles, p: BaselineParams, cash: number, fee: number): BaselineResult & { equity: Float64Array } {
  const n = c.length;
  const close = c.close;
  const open = c.open;
  const equity = new Float64Array(n);
  const rp = p.rsiPeriod;
  const bp = p.bbPeriod;
  const width = p.bbStdDev;
  let sumGain = 0;
  let sumLoss = 0;
  let avgGain = 0;
  let avgLoss = 0;
  let sum = 0;
  let sumSq = 0;
  let balance = cash;
  let qty = 0;
  let pendingBuy = false;
  let pendingSell = false;
  let trades = 0;
  for (let i = 0; i < n; i++) {
    const px = close[i]!;
    if (pendingBuy) {
      const o = open[i]!;
      qty = balance / (o * (1 + fee));
      balance -= qty * o * (1 + fee);
      pendingBuy = false;
    } else if (pendingSell) {
      balance += qty * open[i]! * (1 - fee);
      qty = 0;
      trades++;
      pendingSell = false;
    }
    equity[i] = balance + qty * px;
    let r = Number.NaN;
    if (i > 0) {
      const d = px - close[i - 1]!;
      const gain = d > 0 ? d : 0;
      const loss = d < 0 ? -d : 0;
      if (i < rp) {
        sumGain += gain;
        sumLoss += loss;
      } else if (i === rp) {
        avgGain = (sumGain + gain) / rp;
        avgLoss = (sumLoss + loss) / rp;
        r = avgLoss === 0 ? 100 : 100 - 100 / (1 + avgGain / avgLoss);
      } else {
        avgGain = (avgGain * (rp - 1) + gain) / rp;
        avgLoss = (avgLoss * (rp - 1) + loss) / rp;
        r = avgLoss === 0 ? 100 : 100 - 100 / (1 + avgGain / avgLoss);
      }
    }
    sum += px;
    sumSq += px * px;
    if (i >= bp) {
      const old = close[i - bp]!;
      sum -= old;
      sumSq -= old * old;
    }
    if (r !== r || i === n - 1) continue;
    if (qty === 0) {
      if (r >= p.oversold) continue;
      if (p.bands) {
        if (i < bp - 1) continue;
        const mean = sum / bp;
        const variance = sumSq / bp - mean * mean;
        if (!(px < mean - width * Math.sqrt(variance > 0 ? variance : 0))) continue;
      }
      pendingBuy = true;
    } else if (r > p.overbought) {
      pendingSell = true;
    }
  }
  if (qty !== 0) {
    balance += qty * close[n - 1]! * (1 - fee);
    qty = 0;
    trades++;
    equity[n - 1] = balance;
  }
  return { trades, finalEquity: balance, equity };
}
