import type { MarketInfo } from '../../domain/market.ts';
import type { Position } from '../../domain/portfolio.ts';
import type { TradingState } from '../../domain/trading-state.ts';

/** Everything a pre-flight rule may look at. Pure data: rules do no I/O. */
export interface PreflightContext {
  kind: 'entry' | 'exit';
  side: 'long' | 'short';
  symbol: string;
  /** Quantity the order would trade (base units), after rounding to the lot. */
  quantity: number;
  /** Reference price (last close) used for notional checks. */
  price: number;
  position: Position | undefined;
  market: MarketInfo;
  tradingState: TradingState;
  allowShort: boolean;
  /** Quote currency available for a new entry. */
  available: number;
  equity: number;
}

/** A denial is data: a stable reason code and a sentence for people. */
export interface Denial {
  code: string;
  message: string;
}

/** A pre-flight rule: undefined = passes. One rule per file; the chain runs them all. */
export type PreflightRule = (ctx: PreflightContext) => Denial | undefined;
