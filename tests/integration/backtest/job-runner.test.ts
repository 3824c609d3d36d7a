import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../../src/adapters/db/client.ts';
import { migrate } from '../../../src/adapters/db/migrate.ts';
import { BacktestRunsRepository } from '../../../src/adapters/db/repositories/backtest-runs.ts';
import { createBacktestJobRunner, type BacktestRunUpdate } from '../../../src/backtest/job-runner.ts';
import { loadStoredCandles, simHistoryCandles } from '../../../src/backtest/load-candles.ts';
import { candles as candleTable } from '../../../src/adapters/db/schema.ts';
import { PNG_SIGNATURE } from '../../../src/backtest/report/render-png.ts';
import { loadStrategyCatalog } from '../../../src/strategies/registry.ts';

let database: Database;
let runs: BacktestRunsRepository;
const reportsDir = mkdtempSync(join(tmpdir(), 'bt-jobs-'));
const who = { platform: 'telegram', userId: '42', chatId: '7' };

beforeAll(async () => {
  database = await openDatabase({ dataDir: 'memory://' });
  await migrate(database);
  runs = new BacktestRunsRepository(database.db);
});
afterAll(async () => {
  await database?.close();
});

async function runner() {
  return createBacktestJobRunner({
    runs,
    catalog: await loadStrategyCatalog(),
    reportsDir,
    pollMs: 100,
    loadCandles: (req) => simHistoryCandles({ seed: 3, symbol: req.symbol, timeframe: req.timeframe, from: req.from, to: req.to, defaultCount: 3000, now: () => Date.UTC(2024, 5, 1) }),
  });
}

function waitFor(service: { onUpdate(l: (u: BacktestRunUpdate) => void): () => void }, id: number, status: 'done' | 'failed'): Promise<BacktestRunUpdate[]> {
  const seen: BacktestRunUpdate[] = [];
  return new Promise((resolve) => {
    const off = service.onUpdate((u) => {
      if (u.id !== id) return;
      seen.push(u);
      if (u.status === status) {
        off();
        resolve(seen);
      }
    });
  });
}

describe('stored candles for --symbol backtests (PGlite)', () => {
  it('loads one market ascending as columns, within --from/--to', async () => {
    const row = (ts: number, close: number, symbol = 'BTC/USDT') => ({ exchange: 'binance', symbol, timeframe: '1h', ts, open: close - 1, high: close + 1, low: close - 2, close, volume: 5 });
    const h = 3_600_000;
    await database.db.insert(candleTable).values([row(3 * h, 103), row(1 * h, 101), row(2 * h, 102), row(2 * h, 999, 'ETH/USDT')]);
    const all = await loadStoredCandles(database, { exchange: 'binance', symbol: 'BTC/USDT', timeframe: '1h' });
    expect([...all.ts]).toEqual([h, 2 * h, 3 * h]);
    expect([...all.close]).toEqual([101, 102, 103]);
    expect([...all.low]).toEqual([99, 100, 101]);
    const part = await loadStoredCandles(database, { exchange: 'binance', symbol: 'BTC/USDT', timeframe: '1h', from: 2 * h, to: 2 * h });
    expect([...part.close]).toEqual([102]);
    expect((await loadStoredCandles(database, { exchange: 'okx', symbol: 'BTC/USDT', timeframe: '1h' })).length).toBe(0);
  });
});

describe('backtest job runner (PGlite)', () => {
  it('queues a chat run, runs it in a worker with progress, stores metrics, summary and an equity PNG', async () => {
    const r = await runner();
    await r.start();
    try {
      const updates: BacktestRunUpdate[] = [];
      r.service.onUpdate((u) => updates.push(u));
      const view = await r.service.enqueue({ strategy: 'sma-cross', symbol: 'BTC/USDT', timeframe: '1h', params: { fast: 5, slow: 20 }, requestedBy: who });
      expect(view.status).toBe('queued');
      expect(view.params).toEqual({ fast: 5, slow: 20 });
      const seen = await waitFor(r.service, view.id, 'done');
      const done = seen.at(-1)!;
      expect(done.progress).toBe(1);
      expect(done.requestedBy).toEqual(who);
      expect(updates.some((u) => u.id === view.id && u.status === 'running')).toBe(true);
      expect(typeof done.metrics!.returnPct).toBe('number');
      expect(done.metrics!.trades).toBeGreaterThan(0);
      expect(done.summary).toMatch(/sma-cross on BTC\/USDT 1h/);
      expect(readFileSync(done.chartPath!).subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
      const stored = await r.service.get(view.id);
      expect(stored).toMatchObject({ status: 'done', progress: 1, chartPath: done.chartPath });
      expect((await r.service.list(5))[0]!.id).toBe(view.id);
    } finally {
      await r.stop();
    }
  });

  it('refuses an unknown strategy or bad parameters at enqueue, and fails a run without candles', async () => {
    const r = await runner();
    await r.start();
    try {
      await expect(r.service.enqueue({ strategy: 'nope', symbol: 'BTC/USDT', timeframe: '1h', params: {}, requestedBy: who })).rejects.toThrow(/unknown strategy "nope"/);
      await expect(r.service.enqueue({ strategy: 'sma-cross', symbol: 'BTC/USDT', timeframe: '1h', params: { fast: 'x' }, requestedBy: who })).rejects.toThrow(/invalid parameters for sma-cross/);
      const from = Date.UTC(2024, 0, 1);
      const view = await r.service.enqueue({ strategy: 'sma-cross', symbol: 'BTC/USDT', timeframe: '1h', from, to: from + 1000, params: {}, requestedBy: who });
      const seen = await waitFor(r.service, view.id, 'failed');
      expect(seen.at(-1)!.error).toMatch(/no 1h candles|holds no candle|no candle/);
    } finally {
      await r.stop();
    }
  });

  it('re-queues a chat run left running by a dead process and finishes it after the restart', async () => {
    const orphan = await runs.create({ source: 'chat', status: 'running', requestedBy: who, strategy: 'rsi-bb', symbol: 'ETH/USDT', timeframe: '1h', params: {} });
    const cli = await runs.create({ source: 'cli', status: 'running', strategy: 'rsi-bb', symbol: 'ETH/USDT', timeframe: '1h', params: {} });
    const r = await runner();
    const finished = waitFor(r.service, orphan.id, 'done');
    await r.start();
    try {
      const seen = await finished;
      expect(seen.at(-1)!.status).toBe('done');
      expect(existsSync(seen.at(-1)!.chartPath!)).toBe(true);
      // CLI runs belong to their own process: never re-queued.
      expect((await runs.get(cli.id))!.status).toBe('running');
    } finally {
      await r.stop();
    }
  });
});
