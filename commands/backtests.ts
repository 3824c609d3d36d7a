import { z } from 'zod';
import { wholeNumber } from './arg-types.ts';
import type { Command } from './command.ts';
import { metric, pct, utc } from './format.ts';
import type { BacktestRunView } from './services.ts';

const args = z.strictObject({ n: wholeNumber(1, 50, 'how many runs').optional() });

function num(m: BacktestRunView['metrics'], key: string): number | null {
  const v = m?.[key];
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

export const backtestsCommand: Command<typeof args> = {
  name: 'backtests',
  description: 'Recent backtest runs with their key metrics: return, buy & hold, max drawdown, Sharpe, trades, win rate.',
  usage: '[N]',
  examples: ['/backtests', '/backtests 20'],
  positional: ['n'],
  args,
  role: 'viewer',
  async run(ctx, { n }) {
    const runs = await ctx.services.backtests.list(n ?? 10);
    if (runs.length === 0) return { title: 'Backtests', text: ['No backtests yet — start one with /backtest.'] };
    return {
      title: 'Backtests',
      tables: [
        {
          columns: ['#', 'Status', 'Strategy', 'Symbol', 'TF', 'Created (UTC)', 'Return', 'B&H', 'Max DD', 'Sharpe', 'Trades', 'Win %'],
          rows: runs.map((r) => [
            r.id,
            r.status === 'running' ? `running ${Math.round(r.progress * 100)}%` : r.status,
            r.strategy,
            r.symbol,
            r.timeframe,
            utc(r.createdAt).replace(' UTC', '').slice(0, 16),
            pct(num(r.metrics, 'returnPct')),
            pct(num(r.metrics, 'buyHoldReturnPct')),
            pct(num(r.metrics, 'maxDrawdownPct')),
            metric(num(r.metrics, 'sharpe')),
            metric(num(r.metrics, 'trades')),
            metric(num(r.metrics, 'winRatePct')),
          ]),
          align: ['right', 'left', 'left', 'left', 'left', 'left', 'right', 'right', 'right', 'right', 'right', 'right'],
        },
      ],
      text: runs.filter((r) => r.status === 'failed' && r.error).map((r) => `#${r.id} failed: ${r.error}`),
    };
  },
};
