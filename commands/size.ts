import { z } from 'zod';
import { symbol } from './arg-types.ts';
import type { Command } from './command.ts';
import { money } from './format.ts';
import { priceFormat } from './precision.ts';
import { riskServices } from './manual-order.ts';

const args = z.strictObject({ symbol: symbol().optional() });

const f = (x: number, d = 3) => (Number.isFinite(x) ? x.toFixed(d) : x > 0 ? '∞' : '—');

export const sizeCommand: Command<typeof args> = {
  name: 'size',
  description:
    'Kelly position size for a symbol (default: the first one traded): f* = W − (1 − W)/R over the last KELLY_LOOKBACK closed trades (live, else the latest backtest), × KELLY_FRACTION, × the volatility scale, capped at MAX_POSITION_PCT. Shows every input and the size in base and quote.',
  usage: '[SYMBOL]',
  examples: ['/size', '/size ETH/USDT'],
  positional: ['symbol'],
  args,
  role: 'viewer',
  async run(ctx, a) {
    const sym = a.symbol ?? (await ctx.services.status()).symbols[0]!;
    const s = await riskServices(ctx).size(sym);
    const q = s.quoteCurrency;
    const pf = await priceFormat(ctx);
    return {
      title: `Size ${s.symbol}: ${pf.amount(s.symbol, s.base)} (${money(s.quote)} ${q}, ${(s.fraction * 100).toFixed(2)}% of equity)`,
      text: [s.note, `ORDER_SIZING=${s.sizing}${s.sizing === 'kelly' ? ': the strategy sizes its entries this way' : ': the strategy uses ORDER_SIZE_PCT; set ORDER_SIZING=kelly to use this'}`],
      tables: [
        {
          columns: ['Input', 'Value'],
          rows: [
            ['strategy', s.strategy],
            ['trades (source)', `${s.trades} (${s.source})`],
            ['win rate W', f(s.winRate)],
            ['payoff R', f(s.payoff)],
            ['f*', f(s.rawKelly)],
            ['KELLY_FRACTION', f(s.multiplier, 2)],
            ['realised vol % (yr)', s.realisedVolPct === undefined ? '—' : f(s.realisedVolPct, 1)],
            ['TARGET_VOLATILITY %', f(s.targetVolPct, 1)],
            ['vol scale', f(s.volScale, 2)],
            ['MAX_POSITION_PCT', `${s.maxPositionPct}%${s.capped ? ' (capped)' : ''}`],
            ['equity', `${money(s.equity)} ${q}`],
            ['price', pf.price(s.symbol, s.price)],
          ],
          align: ['left', 'right'],
        },
      ],
      tone: 'info',
    };
  },
};
