/**
 * The usual Node way to backtest a CSV file, as the end-to-end bench's yardstick for
 * `tradeops backtest --data FILE`: read the whole file, split it into lines and cells, build an
 * array of candle objects, then technicalindicators' RSI and Bollinger Bands and a plain loop
 * (baselineRsiBbBars). Prints one JSON object: trades, final equity.
 *
 *   node bench/baselines/usual-node-file-backtest.ts FILE.csv   (Node's type stripping runs it as is)
 *
 * Only erasable TypeScript here, so Node runs it without a transpiler — the baseline pays no
 * start-up cost that the CLI does not.
 */
import { readFileSync } from 'node:fs';
import { baselineRsiBbBars, type Bar } from './rsi-bb-technicalindicators.ts';

const file = process.argv[2];
if (!file) {
  process.stderr.write('usage: usual-node-file-backtest.ts FILE.csv\n');
  process.exit(2);
}
const lines = readFileSync(file, 'utf8').split('\n');
const bars: Bar[] = [];
for (let i = 1; i < lines.length; i++) {
  const line = lines[i]!.trim();
  if (line === '') continue;
  const [time, open, high, low, close, volume] = line.split(',');
  bars.push({ time: Number(time), open: parseFloat(open!), high: parseFloat(high!), low: parseFloat(low!), close: parseFloat(close!), volume: parseFloat(volume!) });
}
const params = { rsiPeriod: 14, oversold: 30, overbought: 70, bands: true, bbPeriod: 20, bbStdDev: 2 };
const r = baselineRsiBbBars(bars, params, 10_000, 0.001);
process.stdout.write(`${JSON.stringify(r)}\n`);
