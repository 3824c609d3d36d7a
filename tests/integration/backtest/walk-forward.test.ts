import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBacktest } from '../../../src/backtest/index.ts';
import { simHistoryCandles } from '../../../src/backtest/load-candles.ts';
import { metricsOf, parseSweepSpec, runSweep } from '../../../src/backtest/sweep.ts';
import { runWalkForward } from '../../../src/backtest/walk-forward.ts';
import { toSharedCandles } from '../../../src/backtest/worker/protocol.ts';
import { createWorkerPool, type WorkerPool } from '../../../src/backtest/worker/worker-pool.ts';
import type { Candles } from '../../../src/domain/candles.ts';
import { sliceCandles } from '../../../src/domain/candles.ts';
import { smaCross } from '../../../src/strategies/sma-cross.ts';

let candles: Candles;
let pool: WorkerPool;
const options = { symbol: 'BTC/USDT', timeframe: '1h', fee: '0.1%', cash: 10_000 };

beforeAll(async () => {
  candles = await simHistoryCandles({ seed: 11, symbol: 'BTC/USDT', timeframe: '1h', defaultCount: 4000, now: () => Date.UTC(2024, 0, 1) });
  pool = createWorkerPool({ size: 2, candles: toSharedCandles(candles) });
});
afterAll(async () => {
  await pool?.close();
});

describe('sweeps and walk-forward on worker threads', () => {
  it('a sweep on the workers gives exactly the metrics of the same runs in this thread', async () => {
    const axes = [parseSweepSpec('fast=5..15:5'), parseSweepSpec('slow=30..50:20')];
    const s = await runSweep(pool, 'sma-cross', axes, {}, options, 'returnPct');
    expect(s.rows).toHaveLength(6);
    for (const row of s.rows) {
      const local = runBacktest({ ...options, candles, strategy: smaCross as never, params: row.params });
      expect(row.metrics).toEqual(metricsOf(local));
    }
    const returns = s.rows.map((r) => r.metrics!.returnPct);
    expect(returns).toEqual([...returns].sort((a, b) => b - a));
  });

  it('walk-forward trades each fold out of sample with the in-sample winner', async () => {
    const axes = [parseSweepSpec('fast=5..15:5'), parseSweepSpec('slow=30..50:20')];
    const wf = await runWalkForward(pool, candles.length, 'sma-cross', axes, {}, options, 'returnPct', { folds: 3 });
    expect(wf.folds).toHaveLength(3);
    let compounded = 1;
    for (const f of wf.folds) {
      // The winner really is the in-sample best: re-run the sweep on that window here.
      const is = await runSweep(pool, 'sma-cross', axes, {}, options, 'returnPct', undefined, [f.inSample.start, f.inSample.end]);
      expect(f.bestParams).toEqual(is.rows[0]!.params);
      expect(f.outOfSampleRange.start).toBe(f.inSample.end);
      // Out-of-sample metrics cover exactly the out-of-sample candles.
      expect(f.outOfSample.start).toBe(candles.ts[f.outOfSampleRange.start]);
      expect(f.outOfSample.end).toBe(candles.ts[f.outOfSampleRange.end - 1]);
      compounded *= f.outOfSample.finalEquity / f.outOfSample.initialEquity;
    }
    expect(wf.outOfSampleReturnPct).toBeCloseTo((compounded - 1) * 100, 9);
    // Same run in this thread with a warm-up prefix gives the same out-of-sample figures.
    const f1 = wf.folds[0]!;
    const warm = f1.inSample.end - f1.inSample.start;
    const local = runBacktest({ ...options, candles: sliceCandles(candles, f1.inSample.end - warm, f1.outOfSampleRange.end), tradeFrom: warm, strategy: smaCross as never, params: f1.bestParams });
    expect(metricsOf(local)).toEqual(f1.outOfSample);
  });

  it('a job that fails (bad parameters) rejects with the reason and the pool keeps working', async () => {
    await expect(pool.run({ strategy: 'sma-cross', params: { fast: 50, slow: 10 }, options })).rejects.toThrow(/fast must be smaller than slow/);
    const ok = await pool.run({ strategy: 'sma-cross', params: {}, options });
    expect(ok.trades).toBeGreaterThan(0);
  });
});
