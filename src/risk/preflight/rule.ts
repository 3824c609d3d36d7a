import type { MarketInfo } from '../../domain/market.ts';
import type { Position } from '../../domain/portfolio.ts';
import type { TradingState } from '../../domain/trading-state.ts';
import type { RiskView } from '../risk-view.ts';

/** Who asked for the order: the strategy, a person in chat, a signal webhook, or kill-all. */
export type IntentSource = 'strategy' | 'manual' | 'signal' | 'kill-all';

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
  /** Default `strategy`. */
  source?: IntentSource;
  /** Default `market`; a `limit` order carries `limitPrice`. */
  orderType?: 'market' | 'limit';
  limitPrice?: number;
  /**
   * Limits and the account/market state the risk-limit rules judge against. Without it (a bare
   * backtest) only the structural rules apply: state, position, short, size, funds.
   */
  risk?: RiskView;
}

/** A denial is data: a stable reason code and a sentence for people. */
export interface Denial {
  code: string;
  message: string;
}

/** A pre-flight rule: undefined = passes. One rule per file; the chain runs them all. */
export type PreflightRule = (ctx: PreflightContext) => Denial | undefined;
