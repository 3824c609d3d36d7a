import type { MarketInfo } from '../../../domain/market.ts';
import type { OrderRequest } from '../../../domain/orders.ts';

/** Whether `value` is a whole number of `step`s, allowing for float representation error. */
export function isMultipleOf(value: number, step: number): boolean {
  if (!(step > 0)) return true;
  const ratio = value / step;
  return Math.abs(ratio - Math.round(ratio)) < 1e-6;
}

/**
 * The filters a real venue applies before accepting an order (Binance LOT_SIZE, PRICE_FILTER,
 * MIN_NOTIONAL), with the reason in words. `price` is the limit price, or the reference price of a
 * market order (for the notional check). Undefined when the order passes.
 */
export function precisionProblem(m: MarketInfo, req: OrderRequest, price: number): string | undefined {
  if (!(req.amount > 0) || !Number.isFinite(req.amount)) return `amount must be a positive number, got ${req.amount}`;
  if (!isMultipleOf(req.amount, m.amountStep)) return `amount ${req.amount} is not a multiple of the lot step ${m.amountStep} (${m.symbol})`;
  if (req.amount < m.minAmount - 1e-12) return `amount ${req.amount} is below the minimum ${m.minAmount} ${m.base} (${m.symbol})`;
  if (req.type === 'limit') {
    if (!(req.price! > 0) || !Number.isFinite(req.price!)) return `a limit order needs a positive price, got ${req.price}`;
    if (!isMultipleOf(req.price!, m.priceStep)) return `price ${req.price} is not a multiple of the tick size ${m.priceStep} (${m.symbol})`;
  }
  const notional = req.amount * price * m.contractSize;
  if (m.minNotional > 0 && notional < m.minNotional - 1e-9) {
    return `order value ${notional.toFixed(8)} ${m.quote} is below the minimum notional ${m.minNotional} ${m.quote} (${m.symbol})`;
  }
  return undefined;
}
