/**
 * The Kelly criterion for position sizing: the fraction of equity that maximises long-run growth for
 * a strategy with win probability W and payoff ratio R (average win / average loss):
 * f* = W − (1 − W) / R. Estimated from past trades it is noisy, so callers cap it and may scale it
 * (half-Kelly is common); before enough trades exist a small fixed fraction is used instead.
 */
export function kellyFraction(winRate: number, payoffRatio: number): number {
  if (!(payoffRatio > 0)) return 0;
  return winRate - (1 - winRate) / payoffRatio;
}

export interface KellyOptions {
  /** Closed trades needed before the estimate is trusted (default 10). */
  minTrades?: number;
  /** Fraction used until then (default 0.1). */
  warmupFraction?: number;
  /** Multiplier on the estimate, e.g. 0.5 for half-Kelly (default 1). */
  multiplier?: number;
  /** Upper bound (default 1: never more than the equity). */
  cap?: number;
}

/**
 * Running Kelly estimate from trade returns (any unit, e.g. % of the entry value): wins and losses
 * are counted, their sizes summed. O(1) per trade, no history kept.
 */
export class KellyEstimator {
  private wins = 0;
  private losses = 0;
  private sumWin = 0;
  private sumLoss = 0;

  constructor(private readonly o: KellyOptions = {}) {}

  add(tradeReturn: number): void {
    if (tradeReturn > 0) {
      this.wins++;
      this.sumWin += tradeReturn;
    } else if (tradeReturn < 0) {
      this.losses++;
      this.sumLoss -= tradeReturn;
    }
  }

  get trades(): number {
    return this.wins + this.losses;
  }

  /** Raw f* from the trades so far; undefined without at least one win and one loss. */
  estimate(): number | undefined {
    if (this.wins === 0 || this.losses === 0) return undefined;
    const w = this.wins / (this.wins + this.losses);
    return kellyFraction(w, this.sumWin / this.wins / (this.sumLoss / this.losses));
  }

  /** Fraction of equity to commit now: warm-up fraction, then the scaled estimate clamped to [0, cap]. */
  fraction(): number {
    const minTrades = this.o.minTrades ?? 10;
    const est = this.estimate();
    if (this.trades < minTrades || est === undefined) {
      // All wins after warm-up means "no observed risk": keep the warm-up size rather than betting it all.
      return this.o.warmupFraction ?? 0.1;
    }
    return Math.min(this.o.cap ?? 1, Math.max(0, est * (this.o.multiplier ?? 1)));
  }
}
