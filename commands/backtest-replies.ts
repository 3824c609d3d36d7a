import { metric, money, pct, share } from './format.ts';
import type { Reply } from './reply.ts';
import type { BacktestRunView } from './services.ts';

function num(run: BacktestRunView, key: string): number | null {
  const v = run.metrics?.[key];
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

function label(run: BacktestRunView): string {
  return `Backtest #${run.id}: ${run.strategy} ${run.symbol} ${run.timeframe}`;
}

/** The line a queued/running backtest's message shows while it runs. */
export function backtestProgressReply(run: BacktestRunView): Reply {
  const state = run.status === 'queued' ? '⏳ queued…' : `⏳ running ${Math.round(run.progress * 100)}%`;
  return { title: label(run), text: [state], tone: 'info' };
}

/** The finished run: summary, the key metrics as a table, and the equity chart. */
export function backtestResultReply(run: BacktestRunView): Reply {
  if (run.status === 'failed') return { title: `${label(run)} failed`, text: [run.error ?? 'the run failed — the details are in the log'], tone: 'error' };
  const rows: Array<[string, string]> = [
    ['Return', pct(num(run, 'returnPct'))],
    ['Buy & hold', pct(num(run, 'buyHoldReturnPct'))],
    ['Max drawdown', pct(num(run, 'maxDrawdownPct'))],
    ['Sharpe', metric(num(run, 'sharpe'))],
    ['Sortino', metric(num(run, 'sortino'))],
    ['CAGR', pct(num(run, 'cagrPct'))],
    ['Trades', metric(num(run, 'trades'))],
    ['Win rate', share(num(run, 'winRatePct'))],
    ['Profit factor', metric(num(run, 'profitFactor'))],
    ['Final equity', num(run, 'finalEquity') === null ? '—' : money(num(run, 'finalEquity')!)],
  ];
  const reply: Reply = {
    title: `${label(run)} done`,
    text: run.summary ? [run.summary] : undefined,
    tables: [{ columns: ['Metric', 'Value'], rows, align: ['left', 'right'] }],
    tone: 'success',
  };
  const images: NonNullable<Reply['images']> = [];
  if (run.chartPath) images.push({ path: run.chartPath, alt: `Equity curve of backtest #${run.id}`, caption: `Equity — backtest #${run.id}` });
  if (run.tradesChartPath) images.push({ path: run.tradesChartPath, alt: `Price with the entries and exits of backtest #${run.id}`, caption: `Trades — backtest #${run.id}` });
  if (images.length > 0) reply.images = images;
  if (run.reportUrl) reply.text = [...(reply.text ?? []), `Full report: ${run.reportUrl} (sign in first with /dashboard)`];
  return reply;
}
