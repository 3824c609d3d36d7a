import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Candles } from '../../domain/candles.ts';
import type { BacktestResult } from '../types.ts';
import { equityChartOption, monthlyReturnsOption, tradesChartOption } from './chart-options.ts';
import { tradesCsv, writeEquityCsv } from './csv.ts';
import { reportHtml } from './html.ts';
import { reportModel } from './report-model.ts';
import { renderChartPng } from './render-png.ts';

export interface ReportFiles {
  dir: string;
  tradesCsv: string;
  equityCsv: string;
  equityPng: string;
  tradesPng: string;
  monthlyPng: string;
  reportHtml: string;
  /** The report's model as JSON (the dashboard renders it). */
  reportJson: string;
}

/** Write trades.csv, equity.csv, equity.png, trades.png and report.html into `dir` (created if needed). */
export async function writeBacktestReport(dirArg: string, r: BacktestResult, candles: Candles): Promise<ReportFiles> {
  const dir = resolve(dirArg);
  await mkdir(dir, { recursive: true });
  const files: ReportFiles = {
    dir,
    tradesCsv: join(dir, 'trades.csv'),
    equityCsv: join(dir, 'equity.csv'),
    equityPng: join(dir, 'equity.png'),
    tradesPng: join(dir, 'trades.png'),
    monthlyPng: join(dir, 'monthly.png'),
    reportHtml: join(dir, 'report.html'),
    reportJson: join(dir, 'report.json'),
  };
  await writeFile(files.tradesCsv, tradesCsv(r));
  await writeEquityCsv(files.equityCsv, r);
  await writeFile(files.equityPng, await renderChartPng(equityChartOption(r, candles), 1200, 700));
  await writeFile(files.tradesPng, await renderChartPng(tradesChartOption(r, candles), 1200, 700));
  const years = new Set(r.breakdowns.perMonth.map((m) => m.month.slice(0, 4))).size;
  await writeFile(files.monthlyPng, await renderChartPng(monthlyReturnsOption(r), 1000, Math.max(220, 140 + 28 * years)));
  const model = reportModel(r, candles);
  await writeFile(files.reportJson, JSON.stringify(model));
  await writeFile(files.reportHtml, await reportHtml(r, candles, model));
  return files;
}

/** Only the equity chart (a picture for chat). */
export async function writeEquityPng(path: string, r: BacktestResult, candles?: Candles): Promise<string> {
  await writeFile(path, await renderChartPng(equityChartOption(r, candles), 1200, 700));
  return path;
}
