/**
 * The data commands as a user runs them: the real `bin/tradeops.js` in a child process, a clean
 * environment (tests/support/child-env.ts), an embedded database in a temporary DATA_DIR.
 */
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/adapters/db/client.ts';
import { CandleStore } from '../../src/adapters/db/repositories/candles.ts';
import { spawnBot, tempDataDir, type BotProcess } from '../support/spawn-bot.ts';
import { start, type LocalExchange } from '../support/local-exchange/index.ts';

const FIXTURES = resolve(import.meta.dirname, '../fixtures/candles');
const MIN = 60_000;

async function exited(p: BotProcess, timeoutMs = 60_000): Promise<number | null> {
  return new Promise((res, rej) => {
    if (p.child.exitCode !== null) return res(p.child.exitCode);
    const timer = setTimeout(() => rej(new Error(`still running after ${timeoutMs} ms\n${p.stdout()}\n${p.stderr()}`)), timeoutMs);
    p.child.on('exit', (code) => {
      clearTimeout(timer);
      res(code);
    });
  });
}

async function stored(dataDir: string, exchange: string, symbol: string, timeframe: string) {
  const database = await openDatabase({ dataDir });
  try {
    const store = new CandleStore(database);
    return { candles: await store.load(exchange, symbol, timeframe), gaps: await store.gaps(exchange, symbol, timeframe, MIN) };
  } finally {
    await database.close();
  }
}

describe('tradeops import-candles (real process)', () => {
  it('imports a file with a summary, changes nothing the second time, and refuses a broken file with exit code 2', async () => {
    const dataDir = tempDataDir();
    const args = ['import-candles', join(FIXTURES, 'freqtrade_UNITTEST_BTC-1m.json'), '--symbol', 'ETH/BTC', '--timeframe', '1m', '--exchange', 'binance'];
    const first = spawnBot(args, { DATA_DIR: dataDir });
    expect(await exited(first)).toBe(0);
    expect(first.stdout()).toContain('Imported freqtrade_UNITTEST_BTC-1m.json (json) into binance ETH/BTC 1m');
    expect(first.stdout()).toMatch(/candles\s+13,681 in the file: 13,681 inserted, 0 already stored/);
    expect(first.stdout()).toMatch(/gaps\s+717 missing candles in 538 gaps/);

    const second = spawnBot(args, { DATA_DIR: dataDir });
    expect(await exited(second)).toBe(0);
    expect(second.stdout()).toMatch(/13,681 in the file: 0 inserted, 13,681 already stored/);

    const broken = join(dataDir, 'broken.csv');
    writeFileSync(broken, 'date,open,high,low,close,volume\n2024-01-01 00:00,1,2,0.5,1.5,10\n2024-01-01 00:01,1,2,0.5,x,10\n');
    const bad = spawnBot(['import-candles', broken, '--symbol', 'BAD/X', '--timeframe', '1m'], { DATA_DIR: dataDir });
    expect(await exited(bad)).toBe(2);
    expect(bad.stderr()).toBe('error: broken.csv line 3: column "close" is not a number ("x")\n');
    expect(bad.stdout()).toBe('');
    expect((await stored(dataDir, 'sim', 'BAD/X', '1m')).candles.length).toBe(0);

    // Good rows first, then a zero price: the whole file is refused, naming the line.
    const zero = join(dataDir, 'zero.csv');
    writeFileSync(zero, 'date,open,high,low,close,volume\n2024-01-01 00:00,1,2,0.5,1.5,10\n2024-01-01 00:01,1,2,0.5,1.5,10\n2024-01-01 00:02,0,0,0,0,0\n');
    const refused = spawnBot(['import-candles', zero, '--symbol', 'ZERO/X', '--timeframe', '1m'], { DATA_DIR: dataDir });
    expect(await exited(refused)).toBe(2);
    expect(refused.stderr()).toBe('error: zero.csv line 4: open 0 is not a positive price\n');
    expect((await stored(dataDir, 'sim', 'ZERO/X', '1m')).candles.length).toBe(0);
    expect((await stored(dataDir, 'binance', 'ETH/BTC', '1m')).candles.length).toBe(13_681);
  });
});

describe('tradeops fetch-data (real process, ccxt against the local Binance exchange through EXCHANGE_URL)', () => {
  let local: LocalExchange | undefined;
  afterEach(async () => {
    await local?.close();
    local = undefined;
  });

  it('stops cleanly on Ctrl-C keeping what it stored (exit 130), and the same command then completes the series', async () => {
    local = await start({ historyCandles: 3_000 });
    const dataDir = tempDataDir();
    // Slow klines (250 ms each) so the interruption lands mid-download.
    local.faults.add('GET /api/v3/klines', { delayMs: 250 }, 6);
    const env = { DATA_DIR: dataDir, EXCHANGE: 'binance', EXCHANGE_URL: local.url };
    const args = ['fetch-data', '--symbol', 'BTC/USDT', '--timeframe', '1m', '--page-size', '300'];
    const first = spawnBot(args, env);
    const deadline = Date.now() + 30_000;
    while (local.count('GET /api/v3/klines') < 2) {
      if (Date.now() > deadline || first.child.exitCode !== null) throw new Error(`no klines calls\n${first.stdout()}\n${first.stderr()}`);
      await new Promise((r) => setTimeout(r, 25));
    }
    first.child.kill('SIGINT');
    expect(await exited(first)).toBe(130);
    expect(first.stdout()).toMatch(/^Interrupted binance BTC\/USDT 1m: \d+ pages? in /m);
    expect(first.stdout()).toContain('Stopped before the end — run the same command again to continue.');
    const partial = await stored(dataDir, 'binance', 'BTC/USDT', '1m');
    expect(partial.candles.length).toBeGreaterThan(0);
    expect(partial.candles.length).toBeLessThan(3_000);

    const second = spawnBot(args, env);
    expect(await exited(second)).toBe(0);
    expect(second.stdout()).toMatch(/^Fetched binance BTC\/USDT 1m: \d+ pages in /);
    expect(second.stdout()).toMatch(/gaps\s+none/);
    expect(second.stderr()).toBe('');
    const all = await stored(dataDir, 'binance', 'BTC/USDT', '1m');
    const n = all.candles.length;
    expect(n).toBeGreaterThanOrEqual(3_000);
    expect(all.gaps.missing).toBe(0);
    expect((all.candles.ts[n - 1]! - all.candles.ts[0]!) / MIN + 1).toBe(n);
    // The rerun started right after the newest candle the first run stored.
    const rerunFirstCall = local.requests.filter((r) => r.path === '/api/v3/klines').find((r) => Number(r.params.startTime) === partial.candles.ts[partial.candles.length - 1]! + MIN);
    expect(rerunFirstCall).toBeDefined();
  });
});
