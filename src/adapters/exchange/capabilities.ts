import { AppError } from '../../domain/errors.ts';
import type { MarketType } from './ccxt-client.ts';

export type TradingMode = 'paper' | 'live';

/** ccxt `has` flags each mode relies on. Paper trades on the simulated exchange, so it needs data only. */
export const REQUIRED_CAPABILITIES: Readonly<Record<TradingMode, readonly string[]>> = {
  paper: ['fetchMarkets', 'fetchOHLCV', 'fetchTicker'],
  live: ['fetchMarkets', 'fetchOHLCV', 'fetchTicker', 'createOrder', 'cancelOrder', 'fetchOrder', 'fetchOpenOrders', 'fetchBalance', 'fetchMyTrades'],
};

/** Extra flags for swap markets in live mode (leverage must be capped before the first order; reconciliation reads positions). */
export const SWAP_LIVE_CAPABILITIES: readonly string[] = ['setLeverage', 'fetchPositions'];

export interface CapabilityInput {
  exchangeId: string;
  has: Readonly<Record<string, unknown>>;
  marketType: MarketType;
  mode: TradingMode;
  /** Credential names ccxt requires for this exchange (from `requiredCredentials`) that are missing. */
  missingCredentials: readonly string[];
}

/** Every missing capability for a mode (ccxt `has[x]` must be true or 'emulated'). */
export function missingCapabilities(input: CapabilityInput): string[] {
  const needed = [...REQUIRED_CAPABILITIES[input.mode]];
  if (input.mode === 'live' && input.marketType === 'swap') needed.push(...SWAP_LIVE_CAPABILITIES);
  const missing = needed.filter((k) => input.has[k] !== true && input.has[k] !== 'emulated');
  if (input.mode === 'live') missing.push(...input.missingCredentials.map((c) => `credential ${c}`));
  return missing;
}

/** Throw one AppError naming everything missing, so the owner fixes the configuration in one go. */
export function assertCapabilities(input: CapabilityInput): void {
  const missing = missingCapabilities(input);
  if (missing.length === 0) return;
  throw new AppError(
    'BAD_REQUEST',
    `exchange "${input.exchangeId}" (${input.marketType}) cannot run in ${input.mode} mode: missing ${missing.join(', ')}`,
    { exchangeId: input.exchangeId, mode: input.mode, missing },
  );
}
