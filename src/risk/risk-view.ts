/**
 * Limits of the pre-flight chain. A limit set to `Infinity` (or 0 where noted) is off; every one is a
 * configuration variable (src/config-schema.ts, "Risk" group).
 */
export interface RiskLimits {
  /** Largest position on one symbol after the order, % of equity. */
  maxPositionPct: number;
  /** Largest value of one order in the quote currency. */
  maxOrderNotional: number;
  /** Most symbols with an open position at once. */
  maxOpenPositions: number;
  /** Loss since the start of the UTC day, % of the day's starting equity, at which entries stop. */
  dailyLossPct: number;
  /** Drawdown from the equity peak, % of the peak, at which entries stop. */
  maxDrawdownPct: number;
  /** Orders sent in any rolling minute (entries and strategy exits; kill-all closes are exempt). */
  maxOrdersPerMinute: number;
  /** A limit price must lie within this % of the last price. */
  priceBandPct: number;
  /** A market order needs a last price younger than this (ms). */
  maxPriceAgeMs: number;
  /** Entries are refused when the bid/ask spread is wider than this % of the mid. */
  maxSpreadPct: number;
  /** Panic score (0–100) at which new entries are refused. */
  panicThreshold: number;
}

/** No limit at all: what a bare backtest or a unit test starts from. */
export const NO_LIMITS: RiskLimits = {
  maxPositionPct: Infinity,
  maxOrderNotional: Infinity,
  maxOpenPositions: Infinity,
  dailyLossPct: Infinity,
  maxDrawdownPct: Infinity,
  maxOrdersPerMinute: Infinity,
  priceBandPct: Infinity,
  maxPriceAgeMs: Infinity,
  maxSpreadPct: Infinity,
  panicThreshold: Infinity,
};

/** A protection's lock on one symbol (cooldown, stop-loss guard): entries wait until `until`. */
export interface SymbolLock {
  until: number;
  reason: string;
}

/** The account and market state the limits are judged against, captured when the order is decided. */
export interface RiskSnapshot {
  /** Market time of the decision (ms). */
  now: number;
  /** Latest panic score of the symbol (else the portfolio's); undefined before the first tick. */
  panicScore?: number;
  /** Symbols with an open position. */
  openPositions: number;
  /** Equity at the start of the UTC day. */
  dayStartEquity: number;
  /** Highest equity seen. */
  peakEquity: number;
  /** Orders sent in the last 60 s. */
  ordersLastMinute: number;
  /** When the reference price was observed (ms); undefined = unknown. */
  priceTs?: number;
  /** Bid/ask spread in % of the mid, where an order book is available. */
  spreadPct?: number;
  /** Open time of the candle the intent belongs to (duplicate-intent key). */
  candleTs?: number;
  /** Keys `source|symbol|side|candleTs` of intents already approved. */
  seenIntents: ReadonlySet<string>;
  /** Protection locks per symbol. */
  locks: ReadonlyMap<string, SymbolLock>;
}

export interface RiskView {
  limits: RiskLimits;
  snapshot: RiskSnapshot;
}

/** The duplicate-intent key: same source, symbol and side within one candle. */
export function intentKey(source: string, symbol: string, side: string, candleTs: number | undefined): string {
  return `${source}|${symbol}|${side}|${candleTs ?? ''}`;
}
