/**
 * What a file backtest loads: the reader, the strategy, the run and the part of the configuration it
 * reads — not the stored-candle path, Monte Carlo, walk-forward, the sweep and Monte Carlo printers,
 * the simulated exchange's history, the JSON parser for a CSV file, a database, an exchange client,
 * the chart renderer (each imported only by the runs that use it; docs/performance.md, "File
 * backtest memory"), nor the bot's whole configuration schema with node-cron (src/config-backtest.ts).
 * Checked on the real binary with a module load hook.
 */
import { execFile } from 'node:child_process';
import { createWriteStream, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import module from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { syntheticCandles } from '../../bench/support/synthetic-candles.ts';
import { childEnv } from '../support/child-env.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const BIN = join(ROOT, 'bin/tradeops.js');
const work = mkdtempSync(join(tmpdir(), 'bt-footprint-'));

async function csvFile(n: number): Promise<string> {
  const c = syntheticCandles(n, 7);
  const path = join(work, 'candles.csv');
  const out = createWriteStream(path);
  out.write('open_time,open,high,low,close,volume\n');
  for (let i = 0; i < n; i++) out.write(`${c.ts[i]},${c.open[i]},${c.high[i]},${c.low[i]},${c.close[i]},${c.volume[i]}\n`);
  out.end();
  await once(out, 'finish');
  return path;
}

/** Run the built CLI with a hook that writes every module URL it loads to a file; returns them. */
function loadedModules(args: string[]): Promise<string[]> {
  const list = join(work, `modules-${Math.random().toString(36).slice(2)}.txt`);
  const hook = join(work, 'load-hook.mjs');
  writeFileSync(
    hook,
    `import { registerHooks } from 'node:module';
     import { writeFileSync } from 'node:fs';
     const seen = [];
     registerHooks({ load(url, context, next) { seen.push(url); return next(url, context); } });
     process.on('exit', () => writeFileSync(${JSON.stringify(list)}, seen.join('\\n')));`,
  );
  return new Promise((res, rej) => {
    execFile(process.execPath, ['--import', pathToFileURL(hook).href, BIN, 'backtest', ...args], { cwd: work, env: childEnv({ DATA_DIR: join(work, 'data'), LOG_LEVEL: 'silent' }) }, (err, _stdout, stderr) => {
      if (err) rej(new Error(`backtest failed: ${stderr}`));
      else res(readFileSync(list, 'utf8').split('\n'));
    });
  });
}

describe.skipIf(typeof (module as { registerHooks?: unknown }).registerHooks !== 'function')('a file backtest loads only what it uses', () => {
  it('--data FILE.csv --json: none of the modules of the other paths', async () => {
    const file = await csvFile(3_000);
    const loaded = await loadedModules(['--strategy', 'rsi-bb', '--param', 'bands=true', '--data', file, '--fee', '0.1%', '--json']);
    // The run itself was loaded (the list is not empty or from another process).
    for (const used of [/\/dist\/src\/backtest\/run-backtest\.js$/, /\/dist\/src\/domain\/candle-parsing\/csv-candles\.js$/, /\/dist\/src\/strategies\/rsi-bb\.js$/, /\/dist\/src\/config-backtest\.js$/]) {
      expect(loaded.some((u) => used.test(u)), String(used)).toBe(true);
    }
    const unused = [
      /\/dist\/src\/backtest\/(load-candles|monte-carlo|walk-forward)\.js$/,
      /\/dist\/src\/backtest\/cli\/output\.js$/,
      /\/dist\/src\/backtest\/(report\/(write-report|render-png|chart-options)|worker|jobs)\b/,
      /\/dist\/src\/app\/build-exchange\.js$/,
      /\/dist\/src\/adapters\/(db|queue|chat)\//,
      // of the exchanges only the simulated matching engine the backtest fills with (not the simulated market's history)
      /\/dist\/src\/adapters\/exchange\/(?!sim\/(matching-engine|accounts|order-validation)\.js$)/,
      /\/dist\/src\/domain\/candle-parsing\/json-candles\.js$/,
      /\/(vendor\/(drizzle|pg-boss|prom-client)|node_modules\/(@electric-sql|ccxt|echarts|@resvg|postgres|telegraf|discord\.js|@line))\//,
      // the whole configuration (its schema, cross-checks and node-cron for TICK_CRON): only the variables a backtest reads
      /\/dist\/src\/(config|config-schema)\.js$/,
      /\/dist\/src\/signals\//,
      /\/node_modules\/node-cron\//,
    ];
    for (const pattern of unused) expect(loaded.filter((u) => pattern.test(u)), String(pattern)).toEqual([]);
  });
});
