import * as ind from './src/indicators/index.ts';
import { syntheticCandles } from './bench/support/synthetic-candles.ts';
const c = syntheticCandles(1_051_200, 20240101);
const which = process.argv[2]!;
const fns: Record<string, () => Float64Array> = {
  sma: () => ind.sma(c.close, 20), stdev: () => ind.stdev(c.close, 20), highest: () => ind.highest(c.high, 20),
  atr: () => ind.atr(c.high, c.low, c.close, 14), alloc: () => new Float64Array(c.length), ema: () => ind.ema(c.close, 20),
};
const f = fns[which]!;
const times: number[] = [];
for (let r = 0; r < 12; r++) { const t0 = performance.now(); f(); times.push(performance.now() - t0); }
console.log(which, times.map((t) => t.toFixed(1)).join(' '));
