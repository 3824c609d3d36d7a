import type { MarketInfo } from '../../../domain/market.ts';
import { AppError } from '../../../domain/errors.ts';

/** How a sim market trades and where its synthetic price starts. */
interface SimMarketSpec {
  base: string;
  /** Synthetic starting price. */
  basePrice: number;
  spot: { amountStep: number; priceStep: number; minAmount: number; minNotional: number };
  swap: { amountStep: number; priceStep: number; minAmount: number; minNotional: number };
}

/**
 * The fixed listing, with lot steps, ticks and minimums close to Binance's (spot NOTIONAL 5 USDT;
 * USDⓈ-M futures MIN_NOTIONAL 100/20/5), so orders the sim accepts are orders a real venue accepts.
 */
const LISTING: readonly SimMarketSpec[] = [
  { base: 'BTC', basePrice: 60_000, spot: { amountStep: 0.00001, priceStep: 0.01, minAmount: 0.00001, minNotional: 5 }, swap: { amountStep: 0.001, priceStep: 0.1, minAmount: 0.001, minNotional: 100 } },
  { base: 'ETH', basePrice: 3_000, spot: { amountStep: 0.0001, priceStep: 0.01, minAmount: 0.0001, minNotional: 5 }, swap: { amountStep: 0.001, priceStep: 0.01, minAmount: 0.001, minNotional: 20 } },
  { base: 'SOL', basePrice: 150, spot: { amountStep: 0.001, priceStep: 0.01, minAmount: 0.001, minNotional: 5 }, swap: { amountStep: 1, priceStep: 0.001, minAmount: 1, minNotional: 5 } },
  { base: 'BNB', basePrice: 600, spot: { amountStep: 0.001, priceStep: 0.01, minAmount: 0.001, minNotional: 5 }, swap: { amountStep: 0.01, priceStep: 0.01, minAmount: 0.01, minNotional: 5 } },
  { base: 'XRP', basePrice: 0.6, spot: { amountStep: 1, priceStep: 0.0001, minAmount: 1, minNotional: 5 }, swap: { amountStep: 0.1, priceStep: 0.0001, minAmount: 0.1, minNotional: 5 } },
];

/** Unlisted symbols configured by the user trade like a mid-priced altcoin. */
const DEFAULT_SPEC: Omit<SimMarketSpec, 'base'> = {
  basePrice: 100,
  spot: { amountStep: 0.001, priceStep: 0.01, minAmount: 0.001, minNotional: 5 },
  swap: { amountStep: 0.001, priceStep: 0.01, minAmount: 0.001, minNotional: 5 },
};

export const SIM_QUOTE = 'USDT';
const SYMBOL_PATTERN = /^([A-Z0-9]{2,20})\/([A-Z0-9]{2,20})(?::([A-Z0-9]{2,20}))?$/;

export interface SimMarketOptions {
  marketType: 'spot' | 'swap';
  /** Symbols to list besides the fixed ones (unified: BTC/USDT, or BTC/USDT:USDT for swaps). */
  symbols: readonly string[];
  takerFeeBps: number;
  makerFeeBps: number;
}

/** Synthetic starting price of a base asset (BTC ~60k, ETH ~3k, others ~100). */
export function simBasePrice(symbol: string): number {
  const base = SYMBOL_PATTERN.exec(symbol)?.[1];
  return LISTING.find((s) => s.base === base)?.basePrice ?? DEFAULT_SPEC.basePrice;
}

/** Unified symbol of a listed base in the given market type. */
export function simSymbol(base: string, marketType: 'spot' | 'swap'): string {
  return marketType === 'swap' ? `${base}/${SIM_QUOTE}:${SIM_QUOTE}` : `${base}/${SIM_QUOTE}`;
}

/** Markets of the sim venue: the fixed list plus the configured symbols, all of one market type. */
export function buildSimMarkets(o: SimMarketOptions): Map<string, MarketInfo> {
  const out = new Map<string, MarketInfo>();
  const add = (symbol: string) => {
    const m = SYMBOL_PATTERN.exec(symbol);
    if (!m) throw new AppError('BAD_REQUEST', `symbol "${symbol}" is not valid: use BASE/QUOTE such as BTC/USDT (swap: BTC/USDT:USDT)`);
    const [, base, quote] = m as unknown as [string, string, string];
    const spec = LISTING.find((s) => s.base === base) ?? { base, ...DEFAULT_SPEC };
    const p = o.marketType === 'swap' ? spec.swap : spec.spot;
    out.set(symbol, {
      symbol,
      base,
      quote,
      type: o.marketType,
      amountStep: p.amountStep,
      priceStep: p.priceStep,
      minAmount: p.minAmount,
      minNotional: p.minNotional,
      contractSize: 1,
      makerFee: o.makerFeeBps / 10_000,
      takerFee: o.takerFeeBps / 10_000,
    });
  };
  for (const s of LISTING) add(simSymbol(s.base, o.marketType));
  for (const s of o.symbols) if (!out.has(s)) add(s);
  return out;
}
