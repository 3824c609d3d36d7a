import { createWriteStream } from 'node:fs';
import type { BacktestResult } from '../types.ts';

const iso = (ms: number) => new Date(ms).toISOString();

/** trades.csv: one row per round trip, net P&L after fees. */
export function tradesCsv(r: BacktestResult): string {
  const head = 'symbol,side,entry_time,exit_time,entry_price,exit_price,quantity,pnl,return_pct,fees,entry_reason,exit_reason,open_at_end,stop_loss,take_profit';
  const rows = r.tradeList.map((t) =>
    [
      t.symbol,
      t.side,
      iso(t.entryTs),
      iso(t.exitTs),
      t.entryPrice,
      t.exitPrice,
      t.quantity,
      t.pnl,
      t.returnPct,
      t.fees,
      csvText(t.entryReason),
      csvText(t.exitReason),
      t.openAtEnd,
      t.stopLoss ?? '',
      t.takeProfit ?? '',
    ].join(','),
  );
  return `${[head, ...rows].join('\n')}\n`;
}

/**
 * equity.csv: time, equity and drawdown % at every candle close. Streamed in blocks: a million-row
 * curve never becomes one string in memory.
 */
export async function writeEquityCsv(path: string, r: BacktestResult): Promise<void> {
  const out = createWriteStream(path, { encoding: 'utf8' });
  const done = new Promise<void>((resolve, reject) => {
    out.on('finish', resolve);
    out.on('error', reject);
  });
  out.write('time,equity,drawdown_pct\n');
  const n = r.equity.length;
  let peak = r.initialEquity;
  let block = '';
  for (let i = 0; i < n; i++) {
    const e = r.equity[i]!;
    if (e > peak) peak = e;
    block += `${iso(r.equityTs[i]!)},${e},${peak > 0 ? (e / peak - 1) * 100 : 0}\n`;
    if ((i & 4095) === 4095) {
      if (!out.write(block)) await new Promise<void>((res) => out.once('drain', () => res()));
      block = '';
    }
  }
  out.end(block);
  await done;
}

function csvText(s: string): string {
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
