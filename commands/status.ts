import { z } from 'zod';
import { describeAccount } from '../src/domain/account.ts';
import type { Command } from './command.ts';
import { ago, duration, money, pct, qty, signedMoney, utc } from './format.ts';
import type { Reply, ReplyTable } from './reply.ts';
import type { PositionView } from './services.ts';
import { type PriceFormat, priceFormat } from './precision.ts';

const args = z.strictObject({});

/** Open positions as a table (shared by /status and /positions). */
export function positionsTable(positions: PositionView[], quote: string, f: PriceFormat): ReplyTable {
  return {
    title: 'Open positions',
    columns: ['Symbol', 'Side', 'Qty', 'Entry', 'Mark', `uP&L ${quote}`, 'uP&L %'],
    rows: positions.map((p) => [p.symbol, p.side, f.amount(p.symbol, p.quantity), f.price(p.symbol, p.entryPrice), f.price(p.symbol, p.markPrice), signedMoney(p.unrealizedPnl), pct(p.unrealizedPnlPct)]),
    align: ['left', 'left', 'right', 'right', 'right', 'right', 'right'],
  };
}

export const statusCommand: Command<typeof args> = {
  name: 'status',
  description: "Mode, trading state and why, equity, open positions with unrealised P&L, today's P&L, last tick, warnings.",
  examples: ['/status', 'status'],
  args,
  role: 'viewer',
  async run(ctx): Promise<Reply> {
    const s = await ctx.services.status();
    const now = ctx.now();
    const t = s.tradingState;
    const q = s.quoteCurrency;
    const upnl = s.openPositions.reduce((sum, p) => sum + p.unrealizedPnl, 0);
    const text = [
      `Trading ${t.state} — ${t.reason} (by ${t.changedBy}, ${ago(t.changedAt, now)})${t.haltedUntil ? `; resumes ${utc(t.haltedUntil)}` : ''}`,
      `${s.strategy} on ${s.symbols.join(', ')} (${s.timeframe}) · ${s.exchange}`,
      s.account
        ? `${describeAccount(s.account, money)} · today ${signedMoney(s.todayPnl)} ${q}`
        : `Equity ${money(s.equity)} ${q} · cash ${money(s.cash)} · unrealised ${signedMoney(upnl)} · today ${signedMoney(s.todayPnl)} ${q}`,
      `Last tick ${ago(s.lastTickAt, now)} · last candle ${s.lastCandleAt ? utc(s.lastCandleAt) : '—'}${s.simulatedTime && s.lastCandleAt ? ' (simulated market time)' : ''} · up ${duration(s.uptimeMs)} · database ${s.database}${s.role ? ` · role ${s.role}` : ''}`,
    ];
    if (s.openPositions.length === 0) text.push('No open positions.');
    for (const w of s.warnings) text.push(`⚠ ${w}`);
    const reply: Reply = {
      title: `Status — ${s.mode}${s.mode === 'live' ? ' (real money)' : ''}`,
      text,
      tone: t.state === 'HALTED' ? 'error' : t.state === 'REDUCING' || s.warnings.length > 0 ? 'warning' : 'info',
    };
    if (s.openPositions.length > 0) reply.tables = [positionsTable(s.openPositions, q, await priceFormat(ctx))];
    if (s.factors && s.factors.length > 0) {
      reply.tables = [
        ...(reply.tables ?? []),
        {
          title: 'External factors',
          columns: ['Symbol', 'Factor', 'Value', 'Age'],
          rows: s.factors.map((f) => [f.symbol, f.name, String(f.value), `${duration(f.ageSeconds * 1000)}${f.stale ? ' (stale, ignored)' : ''}`]),
          align: ['left', 'left', 'right', 'right'],
        },
      ];
    }
    return reply;
  },
};
