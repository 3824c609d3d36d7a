import type { ProtectionTrigger } from './protection.ts';

const DAY_MS = 86_400_000;

/**
 * Tracks the equity peak and the equity at the start of each UTC day; halts once when the drawdown
 * from the peak or the day's loss reaches its limit. Latched: one trigger per breach, re-armed by
 * `rebase` (an admin resuming acknowledges the loss) or, for the daily loss, by the next day.
 */
export class EquityGuard {
  peak = 0;
  dayStart = 0;
  private day = -1;
  private drawdownLatched = false;
  private dailyLatched = false;

  constructor(private readonly o: { maxDrawdownPct: number; dailyLossPct: number; dailyLossFlatten: boolean }) {}

  /** Seed from stored history (restart): the highest equity seen and the first equity of today. */
  seed(peak: number, dayStart: number | undefined, ts: number): void {
    this.peak = Math.max(this.peak, peak);
    if (dayStart !== undefined) {
      this.day = Math.floor(ts / DAY_MS);
      this.dayStart = dayStart;
    }
  }

  rebase(equity: number): void {
    this.peak = equity;
    this.drawdownLatched = false;
    this.dailyLatched = false;
  }

  drawdownPct(equity: number): number {
    return this.peak > 0 ? ((this.peak - equity) / this.peak) * 100 : 0;
  }

  dailyLossPct(equity: number): number {
    return this.dayStart > 0 ? ((this.dayStart - equity) / this.dayStart) * 100 : 0;
  }

  observe(ts: number, equity: number): ProtectionTrigger | undefined {
    const day = Math.floor(ts / DAY_MS);
    if (day !== this.day) {
      this.day = day;
      this.dayStart = equity;
      this.dailyLatched = false;
    }
    if (equity > this.peak) this.peak = equity;
    const dd = this.drawdownPct(equity);
    if (!this.drawdownLatched && dd >= this.o.maxDrawdownPct) {
      this.drawdownLatched = true;
      return { kind: 'max-drawdown', state: 'HALTED', reason: `drawdown ${dd.toFixed(2)}% from the peak ${this.peak.toFixed(2)} reached MAX_DRAWDOWN_PCT ${this.o.maxDrawdownPct}%`, ts, flatten: false };
    }
    const loss = this.dailyLossPct(equity);
    if (!this.dailyLatched && loss >= this.o.dailyLossPct) {
      this.dailyLatched = true;
      return { kind: 'daily-loss', state: 'HALTED', reason: `today's loss ${loss.toFixed(2)}% reached DAILY_LOSS_PCT ${this.o.dailyLossPct}%`, ts, flatten: this.o.dailyLossFlatten };
    }
    return undefined;
  }
}
