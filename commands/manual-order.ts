import { z } from 'zod';
import { AppError } from '../src/domain/errors.ts';
import { choice, decimal, symbol } from './arg-types.ts';
import type { Command, CommandContext } from './command.ts';
import { money, qty } from './format.ts';
import { actor } from './pause.ts';
import type { ManualOrder, OrderPreview, RiskServices } from './risk-services.ts';
import { requireListedSymbol } from './symbols-check.ts';

const AMOUNT = /^(?:[0-9]{1,12}(?:\.[0-9]{1,8})?)%?$/;

const args = z.strictObject({
  symbol: symbol(),
  amount: z
    .string()
    .max(24)
    .refine((s) => AMOUNT.test(s) && Number(s.replace('%', '')) > 0 && (!s.endsWith('%') || Number(s.slice(0, -1)) <= 100), {
      message: 'expected a quote amount such as 500 or a percent of equity such as 5% (above 0, at most 100%)',
    })
    .describe('quote amount (500) or percent of equity (5%)'),
  limit: choice(['limit'] as const, 'the word').optional(),
  price: decimal(0, 1e12, 'a limit price').optional(),
});

type Args = z.infer<typeof args>;

export function riskServices(ctx: CommandContext): RiskServices {
  if (!ctx.services.risk) throw new AppError('UNAVAILABLE', 'risk commands need the running bot');
  return ctx.services.risk;
}

function toOrder(side: 'buy' | 'sell', a: Args): ManualOrder {
  if ((a.limit === undefined) !== (a.price === undefined)) throw new AppError('BAD_REQUEST', 'a limit order is written `limit PRICE`, e.g. /buy BTC/USDT 500 limit 42000');
  if (a.price !== undefined && !(a.price > 0)) throw new AppError('BAD_REQUEST', 'the limit price must be above 0');
  const percent = a.amount.endsWith('%');
  return { symbol: a.symbol, side, amount: Number(a.amount.replace('%', '')), percent, limitPrice: a.price };
}

/** The preview shown before confirmation (side, base and quote amounts, price, fees, the checks). */
export function describePreview(p: OrderPreview): string {
  const what = `${p.side.toUpperCase()} ${qty(p.base)} ${p.symbol} (${p.kind === 'exit' ? 'reduces the position' : 'new exposure'}) · ${p.type}${p.type === 'limit' ? ` at ${qty(p.price)}` : ` ≈ ${qty(p.price)}`}`;
  const value = `≈ ${money(p.quote)} ${p.quoteCurrency}, fee ≈ ${money(p.fee)} ${p.quoteCurrency}`;
  const checks = p.denials.length === 0 ? `Passes every pre-flight check (${p.passed.join(', ')}).` : '';
  return [what, value, checks, 'Tagged manual; goes through the risk gate and the order manager again when confirmed.'].filter(Boolean).join('\n');
}

function manualOrderCommand(side: 'buy' | 'sell'): Command<typeof args> {
  return {
    name: side,
    description: `${side === 'buy' ? 'Buy' : 'Sell'} by hand: AMOUNT in the quote currency or a percent of equity, market or \`limit PRICE\`. Shows a preview with every risk check, then Confirm / Cancel. ${side === 'sell' ? 'Against a long it reduces it; otherwise it opens a short (swap only).' : 'Against a short it reduces it.'}`,
    usage: 'SYMBOL AMOUNT [limit PRICE]',
    examples: side === 'buy' ? ['/buy BTC/USDT 500', '/buy BTC/USDT 5%', '/buy ETH/USDT 200 limit 2400'] : ['/sell BTC/USDT 250', '/sell BTC/USDT 100%'],
    positional: ['symbol', 'amount', 'limit', 'price'],
    args,
    role: 'trader',
    leaderOnly: true,
    async confirm(a, ctx) {
      await requireListedSymbol(ctx.services, a.symbol);
      const p = await riskServices(ctx).previewOrder(toOrder(side, a));
      if (p.denials.length > 0) {
        // A denial sends nothing and asks nothing: the reasons are the answer.
        throw new AppError('CONFLICT', `denied by the risk checks — ${p.denials.map((d) => `${d.code}: ${d.message}`).join('; ')}`);
      }
      return describePreview(p);
    },
    async run(ctx, a) {
      const r = await riskServices(ctx).placeOrder(toOrder(side, a), actor(ctx.caller));
      return { title: r.ok ? `${side === 'buy' ? 'Bought' : 'Sold'} ${a.symbol}` : `Not sent: ${a.symbol}`, text: [r.detail], tone: r.ok ? 'success' : 'error' };
    },
  };
}

export const buyCommand = manualOrderCommand('buy');
export const sellCommand = manualOrderCommand('sell');
