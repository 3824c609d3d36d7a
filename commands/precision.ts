import type { CommandContext } from './command.ts';
import { atPrecision, money, qty } from './format.ts';

export interface PriceFormat {
  price(symbol: string, n: number): string;
  amount(symbol: string, n: number): string;
  /** A balance of one asset: money (2 decimals) for a quote currency, the lot precision for a traded coin. */
  asset(asset: string, n: number): string;
}

/**
 * Prices and amounts written at each market's precision (tick size, lot step), the way the exchange
 * shows them; a symbol the exchange does not describe falls back to 8 significant digits.
 */
export async function priceFormat(ctx: CommandContext): Promise<PriceFormat> {
  const markets = ctx.services.precision ? await ctx.services.precision().catch(() => undefined) : undefined;
  return {
    price: (symbol, n) => atPrecision(n, markets?.get(symbol)?.price),
    amount: (symbol, n) => atPrecision(n, markets?.get(symbol)?.amount),
    asset(asset, n) {
      if (!markets) return qty(n);
      let amount: number | undefined;
      for (const [symbol, p] of markets) {
        const [base, quote] = symbol.split(/[/:]/);
        if (quote === asset) return money(n);
        if (base === asset) amount = Math.max(amount ?? 0, p.amount);
      }
      return atPrecision(n, amount);
    },
  };
}
