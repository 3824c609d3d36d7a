import type { CommandContext } from './command.ts';
import { atPrecision } from './format.ts';

export interface PriceFormat {
  price(symbol: string, n: number): string;
  amount(symbol: string, n: number): string;
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
  };
}
