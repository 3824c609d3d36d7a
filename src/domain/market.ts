/** What the engine needs to know about a tradable market, independent of any exchange library. */
export interface MarketInfo {
  symbol: string; // unified, e.g. BTC/USDT or BTC/USDT:USDT
  base: string;
  quote: string;
  type: 'spot' | 'swap';
  /** Smallest amount increment (lot step), e.g. 0.00001. */
  amountStep: number;
  /** Smallest price increment (tick size). */
  priceStep: number;
  minAmount: number;
  /** Minimum order value in quote currency (0 when the venue has none). */
  minNotional: number;
  /** Contract size for swaps (1 for spot). */
  contractSize: number;
  makerFee: number; // fraction, 0.001 = 0.1 %
  takerFee: number;
}

/** Round down to a step (amounts: never trade more than asked). Guards against float dust. */
export function floorToStep(value: number, step: number): number {
  if (!(step > 0)) return value;
  const n = Math.floor(value / step + 1e-9);
  return roundDecimals(n * step, decimalsOf(step));
}

/** Round to the nearest step (prices). */
export function roundToStep(value: number, step: number): number {
  if (!(step > 0)) return value;
  return roundDecimals(Math.round(value / step) * step, decimalsOf(step));
}

export function decimalsOf(step: number): number {
  if (step >= 1) return 0;
  const s = step.toExponential();
  const [mant, exp] = s.split('e');
  const mantDecimals = (mant!.split('.')[1] ?? '').length;
  return Math.max(0, mantDecimals - Number(exp));
}

function roundDecimals(value: number, decimals: number): number {
  return Number(value.toFixed(Math.min(decimals, 20)));
}

/** Quote currency of a unified symbol: `BTC/USDT` → USDT, `BTC/USDT:USDT` → USDT. */
export function quoteOf(symbol: string): string {
  return symbol.split('/')[1]?.split(':')[0] ?? '';
}
