/**
 * `tradeops backtest` keeps the whole equity curve only for what reads it: the reports of `--out`.
 * The summary and `--json` print metrics, which the run folds in chunk by chunk, so a plain file run
 * asks for no curve (8 MB per million candles) — and prints the same JSON either way.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it, vi } from 'vitest';
import { syntheticCandles } from '../../../bench/support/synthetic-candles.ts';
import type { BacktestOptions, BacktestResult } from '../../../src/backtest/types.ts';
import type { CliIo } from '../../../src/cli/io.ts';

const runs: Array<{ options: BacktestOptions; result: BacktestResult }> = [];
vi.mock('../../../src/backtest/run-backtest.ts', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../../src/backtest/run-backtest.ts')>();
  return {
    ...real,
    runBacktest: (options: BacktestOptions) => {
      const result = real.runBacktest(options);
      runs.push({ options, result });
      return result;
    },
  };
});
const { runBacktestCommand } = await import('../../../src/cli/backtest.ts');

const N = 3_000;
const work = mkdtempSync(join(tmpdir(), 'bt-curve-'));
const file = join(work, 'candles.csv');
const c = syntheticCandles(N, 11);
writeFileSync(file, ['open_time,open,high,low,close,volume', ...Array.from({ length: N }, (_, i) => `${c.ts[i]},${c.open[i]},${c.high[i]},${c.low[i]},${c.close[i]},${c.volume[i]}`)].join('\n'));

async function backtest(args: string[]): Promise<{ code: number; json: Record<string, unknown> }> {
  const stdout = new PassThrough();
  let out = '';
  stdout.on('data', (d) => (out += d));
  const io: CliIo = { stdin: new PassThrough(), stdout, stderr: new PassThrough(), env: { DATA_DIR: join(work, 'data') } };
  const code = await runBacktestCommand(['--strategy', 'rsi-bb', '--param', 'rsiPeriod=6', '--param', 'oversold=35', '--data', file, '--fee', '0.1%', '--json', ...args], io);
  return { code, json: JSON.parse(out) as Record<string, unknown> };
}

describe('the backtest command and the equity curve', () => {
  it('a file run printing its metrics does not keep the curve; with --out it does, for equity.csv; the JSON is the same', async () => {
    const plain = await backtest([]);
    expect(plain.code).toBe(0);
    expect(runs.at(-1)!.options.equityCurve).toBe(false);
    expect(runs.at(-1)!.result.equity.length).toBe(0);

    const out = join(work, 'report');
    const reported = await backtest(['--out', out]);
    expect(reported.code).toBe(0);
    expect(runs.at(-1)!.options.equityCurve).toBe(true);
    expect(runs.at(-1)!.result.equity.length).toBe(N);
    expect(readFileSync(join(out, 'equity.csv'), 'utf8').trim().split('\n')).toHaveLength(N + 1);

    const { elapsedMs: a, ...withoutCurve } = plain.json;
    const { elapsedMs: b, files, ...withCurve } = reported.json;
    void [a, b, files];
    expect((plain.json.trades as number) > 0).toBe(true);
    expect(withoutCurve).toEqual(withCurve);
  });
});
