import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeBacktestReport } from '../../src/backtest/report/write-report.ts';
import { runBacktest } from '../../src/backtest/run-backtest.ts';
import type { BacktestResult } from '../../src/backtest/types.ts';
import { parseCandleText } from '../../src/domain/candle-parsing/parse-candle-text.ts';
import { smaCross } from '../../src/strategies/sma-cross.ts';
import { browserMissingReason, launchBrowser, screenshot, type TestBrowser } from '../support/browser.ts';

const missing = browserMissingReason();
if (missing) console.warn(missing);

describe.skipIf(Boolean(missing))('report.html of a GOOG backtest in Chromium', () => {
  let dir: string;
  let result: BacktestResult;
  let b: TestBrowser;

  beforeAll(async () => {
    // GOOG daily 2004–2013 (backtesting.py's test data, tests/fixtures/candles/ATTRIBUTION.md).
    const candles = parseCandleText(readFileSync('tests/fixtures/candles/GOOG.csv', 'utf8'), 'GOOG.csv');
    result = runBacktest({ candles, symbol: 'GOOG/USD', strategy: smaCross, params: { fast: 10, slow: 20 }, fee: '0.2%', indicators: true });
    dir = mkdtempSync(join(tmpdir(), 'report-'));
    await writeBacktestReport(dir, result, candles);
    b = await launchBrowser();
  });
  afterAll(async () => {
    await b?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('draws candles, every trade marker, the heatmap, and keeps every trade marked when zoomed in', async () => {
    const page = await b.browser.newPage({ viewport: { width: 1400, height: 1000 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(pathToFileURL(join(dir, 'report.html')).href);
    await page.waitForSelector('body[data-charts-ready="true"]', { timeout: 20_000 });
    expect(errors).toEqual([]);
    expect(result.trades).toBeGreaterThan(20);
    const price = page.locator('#price-chart');
    expect(await price.getAttribute('data-trades-in-view')).toBe(String(result.trades));
    expect(await price.getAttribute('data-markers-shown')).toBe(String(result.trades));
    const counts = await page.evaluate(() => {
      const ec = (globalThis as any).echarts;
      const chart = ec.getInstanceByDom((globalThis as any).document.getElementById('price-chart'));
      const series = chart.getOption().series as Array<{ id: string; data: unknown[]; type: string }>;
      const heat = ec.getInstanceByDom((globalThis as any).document.getElementById('month-heatmap')).getOption().series[0].data.length;
      const by = (id: string) => series.find((s) => s.id === id)?.data.length ?? 0;
      const legend = (chart.getOption().legend[0].data as Array<string | { name: string }>).map((x) => (typeof x === 'string' ? x : x.name));
      return { candles: by('candles'), entries: by('entry-long') + by('entry-short'), exits: by('exit-win') + by('exit-loss'), lines: by('trade-win') + by('trade-loss'), heat, legend, names: series.map((s: any) => s.name) };
    });
    expect(counts.entries).toBe(result.trades);
    expect(counts.exits).toBe(result.trades);
    expect(counts.lines).toBe(result.trades);
    expect(counts.candles).toBe(result.equity.length);
    // The legend lists exactly the drawn series: a long-only run has no "short entry".
    expect(counts.legend.sort()).toEqual([...counts.names].sort());
    expect(counts.legend).not.toContain('short entry');
    // One cell per month of the run plus one "Year" cell per year.
    const years = new Set(result.breakdowns.perMonth.map((m) => m.month.slice(0, 4))).size;
    expect(counts.heat).toBe(result.breakdowns.perMonth.length + years);
    await screenshot(page, 'report-goog');

    // Zoom into 2008: the markers are those of the trades in view, none of the rest.
    const from = Date.UTC(2008, 0, 1);
    const to = Date.UTC(2008, 11, 31);
    await page.evaluate(
      ([a, z]) => {
        const chart = (globalThis as any).echarts.getInstanceByDom((globalThis as any).document.getElementById('price-chart'));
        chart.dispatchAction({ type: 'dataZoom', startValue: a, endValue: z });
      },
      [from, to],
    );
    const inView = result.tradeList.filter((t) => t.exitTs >= from && t.entryTs <= to).length;
    await page.waitForFunction((n) => (globalThis as any).document.getElementById('price-chart')?.dataset.tradesInView === String(n), inView);
    expect(await price.getAttribute('data-markers-shown')).toBe(String(inView));
    expect(await page.locator('#marker-status').textContent()).toContain(`${inView} trade(s) in view, all marked`);

    // The log-scale switch changes the price axis.
    await page.check('#log-scale');
    const axisType = await page.evaluate(() => (globalThis as any).echarts.getInstanceByDom((globalThis as any).document.getElementById('price-chart')).getOption().yAxis[0].type);
    expect(axisType).toBe('log');
    await screenshot(page, 'report-goog-2008-log');
    await page.close();
  });
});
