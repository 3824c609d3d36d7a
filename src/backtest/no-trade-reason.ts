/** What a run without a single trade knows about why. */
export interface NoTradeFacts {
  candles: number;
  /** First candle index the strategy decided on (warm-up and tradeFrom applied). */
  firstDecision: number;
  warmup: number;
  /** Entry intents the strategy emitted. */
  entrySignals: number;
  /** Refused intents by pre-flight reason code. */
  denials: Readonly<Record<string, number>>;
}

/**
 * One sentence for the report, the terminal and chat: a zero-trade run is almost always a data,
 * warm-up, signal or risk-rule matter, and the user should not have to guess which.
 */
export function noTradeReason(f: NoTradeFacts): string {
  if (f.firstDecision >= f.candles) {
    return `no trade: the data has ${f.candles} candles, not more than the strategy's warm-up of ${f.warmup} — fetch a longer period`;
  }
  const decided = f.candles - f.firstDecision;
  if (f.entrySignals === 0) return `no trade: the strategy gave no entry signal in the ${decided} candles after its warm-up of ${f.warmup}`;
  const refused = Object.entries(f.denials).sort((a, b) => b[1] - a[1]);
  const total = refused.reduce((s, [, v]) => s + v, 0);
  if (total > 0) {
    return `no trade: ${f.entrySignals === 1 ? 'the only entry signal was' : `all ${f.entrySignals} entry signals were`} refused by the pre-flight checks (${refused.map(([k, v]) => `${k} ×${v}`).join(', ')})`;
  }
  return `no trade: ${f.entrySignals} entry signal(s) came on the last candle, with no next open to fill at`;
}
