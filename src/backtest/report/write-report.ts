import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Candles } from '../../domain/candles.ts';
import type { BacktestResult } from '../types.ts';
import { equityChartOption, tradesChartOption } from './chart-options.ts';
import { tradesCsv, writeEquityCsv } from './csv.ts';
import { reportHtml } from './html.ts';
import { renderChartPng } from './render-png.ts';

export interface ReportFiles {
  dir: string;
  tradesCsv: string;
  equityCsv: string;
  equityPng: string;
  tradesPng: string;
  reportHtml: string;
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
    reportHtml: join(dir, 'report.html'),
  };
  await writeFile(files.tradesCsv, tradesCsv(r));
  await writeEquityCsv(files.equityCsv, r);
  await writeFile(files.equityPng, await renderChartPng(equityChartOption(r), 1200, 700));
  await writeFile(files.tradesPng, await renderChartPng(tradesChartOption(r, candles), 1200, 600));
  await writeFile(files.reportHtml, await reportHtml(r, candles));
  return files;
}

/** Only the equity chart (chat runs: a picture and a summary, no files to download). */
export async function writeEquityPng(path: string, r: BacktestResult): Promise<string> {
  await writeFile(path, await renderChartPng(equityChartOption(r), 1200, 700));
  return path;
}
