import { AppError } from '../domain/errors.ts';
import { floorToStep, type MarketInfo } from '../domain/market.ts';

/**
 * How big an entry is:
 * - `all-in`: the whole equity available when the order fills, divided by the fill price;
 * - `fixed`: a quote amount per entry;
 * - `percent`: a percentage of equity;
 * - `kelly`: a fraction of equity from the Kelly criterion (supplied by the risk module; capped).
 */
export type Sizing =
  | { kind: 'all-in' }
  | { kind: 'fixed'; quote: number }
  | { kind: 'percent'; pct: number }
  | { kind: 'kelly'; fraction: number };

/** Quote currency to commit for one entry, before the lot rounding done at fill time. */
export function entryQuoteAmount(sizing: Sizing, equity: number, available: number, sizeFraction = 1): number {
  const f = Math.min(1, Math.max(0, sizeFraction));
  switch (sizing.kind) {
    case 'all-in':
      return available * f;
    case 'fixed':
      return Math.min(sizing.quote, available) * f;
    case 'percent':
      return Math.min((equity * sizing.pct) / 100, available) * f;
    case 'kelly':
      return Math.min(equity * Math.max(0, sizing.fraction), available) * f;
  }
}

/** Parse `all-in`, `fixed:500`, `percent:10`, `kelly` (the last resolves its fraction elsewhere). */
export function parseSizing(text: string): Sizing {
  const t = text.trim().toLowerCase();
  if (t === 'all-in') return { kind: 'all-in' };
  if (t === 'kelly') return { kind: 'kelly', fraction: 0 };
  const m = /^(fixed|percent):([0-9]+(?:\.[0-9]+)?)$/.exec(t);
  if (m) {
    const v = Number(m[2]);
    if (m[1] === 'fixed' && v > 0) return { kind: 'fixed', quote: v };
    if (m[1] === 'percent' && v > 0 && v <= 100) return { kind: 'percent', pct: v };
  }
  throw new AppError('BAD_REQUEST', `sizing "${text}" is not valid: use all-in, fixed:AMOUNT, percent:P (0 < P ≤ 100) or kelly`);
}

/**
 * Largest quantity `available` quote currency pays for at `price × (1 + slip)` (slip signed: + for a
 * buy, − for a sell), taker fee included, rounded down to the lot: how an `all-in` entry is re-sized when it
 * is sent (backtest broker and engine alike), since the fill price is not the decision price.
 */
export function affordableQuantity(available: number, price: number, market: MarketInfo, slip: number): number {
  const perUnit = price * (1 + slip) * market.contractSize * (1 + market.takerFee);
  return floorToStep(Math.max(0, available) / perUnit, market.amountStep);
}
