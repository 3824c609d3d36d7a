import { z } from 'zod';
import { AppError } from '../src/domain/errors.ts';
import { flag, params, strategyName, symbol, timeframe, utcDate } from './arg-types.ts';
import type { Command } from './command.ts';
import { utcDay } from './format.ts';
import { requireListedSymbol } from './symbols-check.ts';
import { backtestFollowUp } from './backtest-follow-up.ts';

const args = z.strictObject({
  strategy: strategyName(),
  symbol: symbol(),
  timeframe: timeframe(),
  from: utcDate('start date').optional(),
  to: utcDate('end date').optional(),
  params: params().optional(),
  /** risk=on: the bot's own risk layer (limits, protections, panic gate), as `tradeops backtest --risk`. */
  risk: flag('the live risk layer: limits, protections, panic gate').optional(),
});

export const backtestCommand: Command<typeof args> = {
  name: 'backtest',
  description:
    'Backtest a strategy on one symbol and any timeframe. Missing candles are fetched first (the simulated exchange generates them from its seed); the run is queued at once, progress and the result (summary table, equity and trades charts, and a link to the full report when PUBLIC_URL is set) follow in this chat.',
  usage: 'STRATEGY SYMBOL TIMEFRAME [FROM] [TO] [risk=on] [k=v …]',
  examples: ['/backtest sma-cross BTC/USDT 1h', '/backtest sma-cross BTC/USDT 4h 2024-01-01 fast=5 slow=20', '/backtest rsi-bb ETH/USDT 15m 2024-01-01 2024-03-31 rsiPeriod=14', '/backtest sma-cross BTC/USDT 1h risk=on'],
  positional: ['strategy', 'symbol', 'timeframe', 'from', 'to'],
  args,
  role: 'trader',
  slow: true,
  async run(ctx, a) {
    const now = ctx.now();
    if (a.from !== undefined && a.from > now) throw new AppError('BAD_REQUEST', `FROM ${utcDay(a.from)} is in the future`);
    if (a.from !== undefined && a.to !== undefined && a.to <= a.from) throw new AppError('BAD_REQUEST', `TO (${utcDay(a.to)}) must be after FROM (${utcDay(a.from)})`);
    const strategies = await ctx.services.strategies();
    if (!strategies.some((s) => s.name === a.strategy)) {
      throw new AppError('BAD_REQUEST', `unknown strategy "${a.strategy}" — available: ${strategies.map((s) => s.name).join(', ') || 'none'}`);
    }
    await requireListedSymbol(ctx.services, a.symbol);
    const run = await ctx.services.backtests.enqueue({
      strategy: a.strategy,
      symbol: a.symbol,
      timeframe: a.timeframe,
      from: a.from,
      to: a.to,
      params: a.params ?? {},
      ...(a.risk ? { risk: true } : {}),
      requestedBy: { platform: ctx.caller.platform, userId: ctx.caller.userId, chatId: ctx.caller.chatId },
    });
    const span = `${a.from !== undefined ? utcDay(a.from) : 'all history'} → ${a.to !== undefined ? utcDay(a.to) : 'now'}`;
    const p = Object.entries(a.params ?? {}).map(([k, v]) => `${k}=${String(v)}`).join(' ');
    return {
      title: `Backtest #${run.id} queued`,
      text: [`${a.strategy} on ${a.symbol} ${a.timeframe}, ${span}${p ? `, ${p}` : ''}${a.risk ? ', with the risk layer (limits, protections, panic gate)' : ''}.`, 'Progress and the result will follow here; /backtests lists recent runs.'],
      tone: 'info',
      followUp: backtestFollowUp(ctx.services.backtests, run),
    };
  },
};
