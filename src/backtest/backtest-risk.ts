import type { TradingState } from '../domain/trading-state.ts';
import type { Denial } from '../risk/preflight/index.ts';
import { panicScore } from '../risk/panic/panic-score.ts';
import { PanicTracker } from '../risk/panic/panic-tracker.ts';
import type { ProtectionConfig, ProtectionTrigger } from '../risk/protections/protection.ts';
import { RiskState } from '../risk/risk-state.ts';
import type { RiskLimits, RiskView } from '../risk/risk-view.ts';

/** The risk layer of a backtest: the live limits and protections, and the panic score per candle. */
export interface BacktestRiskOptions {
  limits: RiskLimits;
  protections: ProtectionConfig;
  /**
   * The panic score a report counts entries against when `limits.panicThreshold` is off (Infinity):
   * "what gating at this score would have denied". Default 70 (PANIC_THRESHOLD's default).
   */
  panicReportThreshold?: number;
}

/** What the risk layer did over a run (the report's `risk` field). */
export interface BacktestRiskReport {
  /** Every protection that fired (cooldowns included), in order. */
  protections: Array<{ kind: ProtectionTrigger['kind']; ts: number; reason: string; symbol?: string; until?: number }>;
  /** When a drawdown or daily-loss protection halted the run (it stays halted: no admin resumes a backtest). */
  halted?: { ts: number; reason: string };
  panic: {
    /** Threshold the PANIC rule gated entries at (null: not gated). */
    gateThreshold: number | null;
    /** Threshold the counts below are taken against (the gate's, else the report threshold). */
    threshold: number;
    maxScore: number;
    maxTs: number | null;
    /** Closed candles with a score at or above `threshold`. */
    candlesAbove: number;
    /** Entries the PANIC rule denied (gating on). */
    entriesDenied: number;
    /** Entries approved while the score was at or above `threshold`: what gating would have denied (gating off). */
    entriesAbove: number;
  };
}

/**
 * Runs the live risk memory ({@link RiskState}: cooldown, stop-loss guard, equity halts, order rate,
 * duplicate intents) and a {@link PanicTracker} candle by candle for `runBacktest`, so a backtest is
 * gated by the same rules as paper and live. Pure: the backtester calls it, it calls nothing back.
 */
export class BacktestRisk {
  readonly state: RiskState;
  private readonly tracker: PanicTracker;
  private readonly gateThreshold: number | null;
  private readonly threshold: number;
  private score = 0;
  private maxScore = 0;
  private maxTs: number | null = null;
  private candlesAbove = 0;
  private entriesDenied = 0;
  private entriesAbove = 0;
  private readonly fired: BacktestRiskReport['protections'] = [];
  private haltedAt: { ts: number; reason: string } | undefined;

  constructor(
    private readonly symbol: string,
    timeframeMs: number,
    o: BacktestRiskOptions,
  ) {
    this.state = new RiskState(o.limits, o.protections);
    this.tracker = new PanicTracker(timeframeMs);
    this.gateThreshold = Number.isFinite(o.limits.panicThreshold) ? o.limits.panicThreshold : null;
    this.threshold = this.gateThreshold ?? o.panicReportThreshold ?? 70;
  }

  /**
   * A candle closed at `closeTs` with the account at `equity`: the panic score moves on (the market
   * part, as the live symbol score: the data is never stale here) and the equity protections judge
   * the new equity. Returns a halt when one fired.
   */
  onCandle(closeTs: number, close: number, volume: number, equity: number): ProtectionTrigger | undefined {
    this.tracker.push(closeTs, close, volume);
    const reading = panicScore({ market: this.tracker.stress(), stalenessTf: 0 });
    this.score = reading.score;
    this.state.setPanic(this.symbol, reading.score);
    if (this.maxTs === null || reading.score > this.maxScore) {
      this.maxScore = reading.score;
      this.maxTs = closeTs;
    }
    if (reading.score >= this.threshold) this.candlesAbove++;
    const t = this.state.observeEquity(closeTs, equity);
    if (t) this.note(t);
    return t;
  }

  /** The gate's view at a decision on the candle opened at `candleTs` (decided at its close, `now`). */
  view(now: number, candleTs: number, openPositions: number): RiskView {
    return this.state.view(this.symbol, { now, openPositions, priceTs: now, candleTs });
  }

  /** An entry or exit was approved (counts for the order rate and the duplicate-intent rule). */
  approved(kind: 'entry' | 'exit', side: string, now: number, candleTs: number): void {
    this.state.recordOrder(now);
    if (kind === 'entry') {
      this.state.recordIntent('strategy', this.symbol, side, candleTs);
      if (this.score >= this.threshold) this.entriesAbove++;
    }
  }

  denied(denials: readonly Denial[]): void {
    for (const d of denials) if (d.code === 'PANIC') this.entriesDenied++;
  }

  /** A position closed at `ts` for `reason`: cooldown, and the stop-loss guard on a stop. */
  onExit(ts: number, reason: string): void {
    for (const t of this.state.observeExit(this.symbol, ts, reason)) this.note(t);
  }

  /** The state a halt leaves the run in. */
  static halted(t: ProtectionTrigger): TradingState {
    return { state: 'HALTED', reason: t.reason, changedBy: `protection:${t.kind}`, changedAt: t.ts };
  }

  report(): BacktestRiskReport {
    return {
      protections: this.fired,
      ...(this.haltedAt ? { halted: this.haltedAt } : {}),
      panic: {
        gateThreshold: this.gateThreshold,
        threshold: this.threshold,
        maxScore: this.maxScore,
        maxTs: this.maxTs,
        candlesAbove: this.candlesAbove,
        entriesDenied: this.entriesDenied,
        entriesAbove: this.entriesAbove,
      },
    };
  }

  private note(t: ProtectionTrigger): void {
    if ('state' in t) {
      this.fired.push({ kind: t.kind, ts: t.ts, reason: t.reason });
      this.haltedAt ??= { ts: t.ts, reason: t.reason };
    } else this.fired.push({ kind: t.kind, ts: t.ts, reason: t.reason, symbol: t.symbol, until: t.until });
  }
}
