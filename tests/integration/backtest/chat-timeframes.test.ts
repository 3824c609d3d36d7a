import { backtestResultReply } from '../../../commands/backtest-replies.ts';
import { PNG_SIGNATURE } from '../../../src/backtest/report/render-png.ts';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BacktestRunView } from '../../../commands/services.ts';
import type { BacktestRuntime } from '../../../src/app/build-backtests.ts';
import { startSimBacktests } from '../../support/sim-backtests.ts';
import { readFileSync } from 'node:fs';

/**
 * Chat backtests on the default setup (EXCHANGE=sim, TIMEFRAME=1m): any timeframe runs — candles the
 * sim's live market does not have are generated from its seed, as `tradeops backtest` does — and a
 * failure is one line, its stack (if any) in the log only.
 */
const logs: string[] = [];
const logger = pino({ level: 'debug' }, { write: (s: string) => void logs.push(s) });
let runtime: BacktestRuntime;
let close: (() => Promise<void>) | undefined;
const who = { platform: 'console', userId: 'console', chatId: 'console' };

beforeAll(async () => {
  ({ runtime, close } = await startSimBacktests(logger, { PUBLIC_URL: 'https://bot.example.com/' }));
}, 60_000);
afterAll(async () => {
  await close?.();
});

function finished(id: number): Promise<BacktestRunView> {
  return new Promise((resolve) => {
    const off = runtime.service.onUpdate((u) => {
      if (u.id === id && (u.status === 'done' || u.status === 'failed')) {
        off();
        resolve(u);
      }
    });
  });
}

describe('chat backtests on the simulated exchange', () => {
  it.each(['1h', '4h', '1d', '1m'])('runs sma-cross on BTC/USDT %s', async (timeframe) => {
    const run = await runtime.service.enqueue({ strategy: 'sma-cross', symbol: 'BTC/USDT', timeframe, params: {}, requestedBy: who });
    const done = await finished(run.id);
    expect(done.error).toBeUndefined();
    expect(done.status).toBe('done');
    expect(Number(done.metrics?.candles ?? done.metrics?.bars ?? 2)).toBeGreaterThan(1);
    expect(done.summary).toMatch(/sma-cross/);
    // The result as every platform shows it: summary, metrics, equity and trades charts, the report link.
    const reply = backtestResultReply(done);
    expect(reply.images?.map((i) => i.caption)).toEqual([`Equity — backtest #${run.id}`, `Trades — backtest #${run.id}`]);
    for (const image of reply.images!) expect(readFileSync(image.path).subarray(0, 8)).toEqual(PNG_SIGNATURE);
    expect(reply.text).toContain(`Full report: https://bot.example.com/backtests/${run.id} (sign in first with /dashboard)`);
  }, 120_000);

  it('runs the rsi-bb example with its real parameter name; the wrong one is refused in one line', async () => {
    const from = Date.UTC(2024, 0, 1);
    const to = Date.UTC(2024, 2, 31);
    const run = await runtime.service.enqueue({ strategy: 'rsi-bb', symbol: 'ETH/USDT', timeframe: '15m', from, to, params: { rsiPeriod: 14 }, requestedBy: who });
    expect((await finished(run.id)).status).toBe('done');
    const refused = await runtime.service.enqueue({ strategy: 'rsi-bb', symbol: 'ETH/USDT', timeframe: '15m', from, to, params: { period: 14 }, requestedBy: who }).catch((e: Error) => e);
    expect(refused).toBeInstanceOf(Error);
    expect((refused as Error).message).not.toContain('\n');
  }, 120_000);

  it('a failed run answers one line; no stack trace reaches the requester', async () => {
    const run = await runtime.service.enqueue({ strategy: 'sma-cross', symbol: 'BTC/USDT', timeframe: '1h', from: Date.UTC(2040, 0, 1), params: {}, requestedBy: who });
    const failed = await finished(run.id);
    expect(failed.status).toBe('failed');
    expect(failed.error).toMatch(/holds no candle/);
    expect(failed.error).not.toMatch(/\n|\bat .+:\d+:\d+/);
    const line = logs.map((l) => JSON.parse(l) as { msg: string; runId?: number; err?: unknown; error?: string }).find((l) => /^backtest (failed|could not be queued)$/.test(l.msg) && l.runId === run.id);
    expect(line).toMatchObject({ error: expect.stringMatching(/holds no candle/) });
    expect(line?.err).toBeUndefined();
  }, 120_000);
});
