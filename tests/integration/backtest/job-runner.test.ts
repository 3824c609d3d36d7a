import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database } from '../../../src/adapters/db/client.ts';
import { BacktestRunsRepository } from '../../../src/adapters/db/repositories/backtest-runs.ts';
import { createBacktestJobRunner, type BacktestRunUpdate } from '../../../src/backtest/job-runner.ts';
import { createBacktestJobWorker, type BacktestJobWorker } from '../../../src/backtest/jobs/job-worker.ts';
import { createDbBacktestDatasets } from '../../../src/adapters/db/repositories/backtest-datasets.ts';
import { openPgBossQueue } from '../../../src/adapters/queue/pg-boss-queue.ts';
import type { JobQueue } from '../../../src/ports/job-queue.ts';
import { loadStoredCandles, simHistoryCandles } from '../../../src/backtest/load-candles.ts';
import { candles as candleTable } from '../../../src/adapters/db/schema.ts';
import { PNG_SIGNATURE } from '../../../src/backtest/report/render-png.ts';
import { loadStrategyCatalog } from '../../../src/strategies/registry.ts';
import { backtestRiskFrom } from '../../../src/app/risk-settings.ts';
import type { BacktestRiskOptions } from '../../../src/backtest/backtest-risk.ts';
import { loadConfig } from '../../../src/config.ts';
import { openMigratedPglite } from '../../support/pglite-snapshot.ts';

let database: Database;
let runs: BacktestRunsRepository;
let queue: JobQueue;
let worker: BacktestJobWorker;
const reportsDir = mkdtempSync(join(tmpdir(), 'bt-jobs-'));
const who = { platform: 'telegram', userId: '42', chatId: '7' };
const announced: BacktestRunUpdate[] = [];

beforeAll(async () => {
  database = await openMigratedPglite();
  runs = new BacktestRunsRepository(database.db);
  // The same queue API as on PostgreSQL, in this process over the embedded database.
  queue = await openPgBossQueue({ database });
  worker = createBacktestJobWorker({ queue, datasets: createDbBacktestDatasets(database.db), runs, concurrency: 1, reportsDir });
  await worker.start();
}, 60_000);
afterAll(async () => {
  await queue?.stop();
  await worker?.stop();
  await database?.close();
});

async function runner(riskRun?: () => { risk: BacktestRiskOptions; sizing: string }) {
  return createBacktestJobRunner({
    riskRun,
    runs,
    queue,
    datasets: createDbBacktestDatasets(database.db),
    catalog: await loadStrategyCatalog(),
    pollMs: 100,
    announce: (u) => announced.push(u),
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

describe('backtest job runner on the in-process job queue (PGlite)', () => {
  it('queues a chat run as a job, a worker runs it with progress, stores metrics, summary and an equity PNG, announced once', async () => {
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
      expect((await runs.get(view.id))!.jobId).toMatch(/^[0-9a-f-]{36}$/);
      await new Promise((res) => setTimeout(res, 300));
      expect(announced.filter((a) => a.id === view.id).map((a) => a.status)).toEqual(['done']);
    } finally {
      await r.stop();
    }
  });

  it('a risk run carries the bot\'s limits with the run (an "off" limit, Infinity, survives the JSON row) and its result says what the risk layer did', async () => {
    // The defaults: DAILY_LOSS_PCT and MAX_DRAWDOWN_PCT 0, i.e. off (Infinity); a 3-minute cooldown after a loss.
    const risk = backtestRiskFrom(loadConfig({ DATA_DIR: reportsDir, COOLDOWN_MINUTES: '180' }), true);
    expect(Object.values(risk.limits)).toContain(Infinity);
    const plain = await runner();
    await expect(plain.service.enqueue({ strategy: 'sma-cross', symbol: 'BTC/USDT', timeframe: '1h', params: {}, risk: true, requestedBy: who })).rejects.toThrow('this process has no risk settings to backtest with');
    const r = await runner(() => ({ risk, sizing: 'percent:10' }));
    await r.start();
    try {
      const view = await r.service.enqueue({ strategy: 'sma-cross', symbol: 'BTC/USDT', timeframe: '1h', params: { fast: 5, slow: 20 }, risk: true, requestedBy: who });
      const stored = (await runs.get(view.id))!.options as { risk: BacktestRiskOptions; sizing: string };
      expect(JSON.stringify(stored)).not.toContain('null');
      expect(stored.sizing).toBe('percent:10');
      const done = (await waitFor(r.service, view.id, 'done')).at(-1)!;
      expect(done.summary).toMatch(/\nProtections: cooldown ×\d+\nPanic score: max [0-9.]+/);
      expect(done.summary).toMatch(/Entries denied by panic \(≥ 70\): \d+/);
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

  it('queues a run a dead process accepted but never queued, and announces its end in one process of two', async () => {
    const orphan = await runs.create({ source: 'chat', requestedBy: who, strategy: 'rsi-bb', symbol: 'ETH/USDT', timeframe: '1h', params: {} });
    const cli = await runs.create({ source: 'cli', status: 'running', strategy: 'rsi-bb', symbol: 'ETH/USDT', timeframe: '1h', params: {} });
    const a = await runner();
    const b = await runner();
    const finishedA = waitFor(a.service, orphan.id, 'done');
    const finishedB = waitFor(b.service, orphan.id, 'done');
    await Promise.all([a.start(), b.start()]);
    try {
      const [seenA, seenB] = await Promise.all([finishedA, finishedB]);
      expect(existsSync(seenA.at(-1)!.chartPath!)).toBe(true);
      expect(seenB.at(-1)!.status).toBe('done');
      await new Promise((res) => setTimeout(res, 300));
      expect(announced.filter((x) => x.id === orphan.id)).toHaveLength(1);
      // CLI runs belong to their own process: never queued by the bot.
      expect((await runs.get(cli.id))!.status).toBe('running');
    } finally {
      await a.stop();
      await b.stop();
    }
  });
});
