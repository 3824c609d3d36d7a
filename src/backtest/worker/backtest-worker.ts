import { parentPort } from 'node:worker_threads';
import { sliceCandles, type Candles } from '../../domain/candles.ts';
import { isAppError } from '../../domain/errors.ts';
import { loadStrategyCatalog, type StrategyCatalog } from '../../strategies/registry.ts';
import { runBacktest } from '../run-backtest.ts';
import type { FromWorker, ToWorker } from './protocol.ts';

/**
 * A backtest worker thread: receives candles once (`init`, shared memory) and then runs
 * (strategy, params, options) jobs one after the other, posting progress and the result.
 */
const port = parentPort!;
let candles: Candles | undefined;
let lower: Candles | undefined;
let catalog: Promise<StrategyCatalog> = loadStrategyCatalog();

const post = (m: FromWorker) => port.postMessage(m);

port.on('message', async (msg: ToWorker) => {
  if (msg.type === 'init') {
    candles = msg.candles;
    lower = msg.lower;
    catalog = loadStrategyCatalog(msg.strategiesDir);
    return;
  }
  try {
    const all = msg.candles ?? candles;
    if (!all) throw new Error('worker has no candles: send init first');
    const c = msg.range ? sliceCandles(all, msg.range[0], msg.range[1]) : all;
    const def = (await catalog).get(msg.strategy);
    let last = 0;
    const result = runBacktest({
      ...msg.options,
      candles: c,
      lowerTimeframe: msg.candles ? undefined : lower,
      strategy: def,
      params: msg.params,
      // Only a full result (a chat run's reports) draws the indicators and the equity curve; a sweep's rows do not.
      indicators: msg.full === true,
      equityCurve: msg.full === true,
      onProgress: (fraction) => {
        if (fraction - last >= 0.01 || fraction === 1) {
          last = fraction;
          post({ type: 'progress', id: msg.id, fraction });
        }
      },
    });
    // A sweep row posts its metrics only (the curve was not kept).
    if (!msg.full) result.tradeList = [];
    post({ type: 'done', id: msg.id, result });
  } catch (err) {
    post({ type: 'error', id: msg.id, message: err instanceof Error ? err.message : String(err), code: isAppError(err) ? err.code : undefined });
  }
});
