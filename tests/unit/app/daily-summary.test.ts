import { describe, expect, it } from 'vitest';
import { dailySummary } from '../../../src/app/daily-summary.ts';
import { accountSummary } from '../../../src/domain/account.ts';
import { Portfolio } from '../../../src/domain/portfolio.ts';
import type { Kernel } from '../../../src/kernel.ts';
import type { FillRecord } from '../../../src/ports/store.ts';

const DAY = 86_400_000;
const day0 = Date.UTC(2026, 4, 10);

function fill(ts: number, realizedPnl: number, fee: number): FillRecord {
  return { tradeId: `t${ts}`, clientOrderId: 'c', exchange: 'sim', symbol: 'BTC/USDT', side: 'sell', price: 1, amount: 1, fee, feeCurrency: 'USDT', realizedPnl, ts };
}

describe('dailySummary', () => {
  it('sums the previous UTC day only: realised P&L net of fees, trades, equity and open positions', async () => {
    const fills = [fill(day0 - 1, 999, 0), fill(day0 + 1_000, 50, 1), fill(day0 + DAY / 2, -20, 1), fill(day0 + DAY + 5, 7, 0)];
    const portfolio = new Portfolio(1_028);
    portfolio.applyFill('ETH/USDT', 'buy', 1, 100, 0, day0);
    const marks = new Map([['ETH/USDT', 110]]);
    const kernel = {
      portfolio,
      engine: { markPrices: () => marks },
      account: () => accountSummary(portfolio, marks, { marketType: 'spot', quote: 'USDT' }),
      ports: { store: { fillsSince: async (since: number) => fills.filter((f) => f.ts >= since) } },
    } as unknown as Kernel;
    const e = await dailySummary(kernel, day0 + DAY + 3_600_000);
    expect(e).toMatchObject({ type: 'daily-summary', ts: day0, trades: 2, openPositions: 1 });
    expect(e.pnl).toBeCloseTo(28, 9);
    expect(e.equity).toBeCloseTo(1_038, 9);
    expect(e.pnlPct).toBeCloseTo((28 / 1_010) * 100, 9);
  });
});
