import type { Candles } from '../domain/candles.ts';
import type { DomainEvent } from '../domain/events.ts';
import type { Logger } from '../logger.ts';
import type { ExternalFactors } from '../ports/external-factors.ts';
import type { PanicRow, RiskStore } from '../ports/risk-store.ts';
import { PANIC_LEVEL_RANK, type PanicLevelName } from '../risk/panic/panic-levels.ts';
import { panicScore, worstStress, type PanicFactors, type PanicReading } from '../risk/panic/panic-score.ts';
import { PanicTracker } from '../risk/panic/panic-tracker.ts';
import type { RiskState } from '../risk/risk-state.ts';

export interface PanicMonitorDeps {
  symbols: readonly string[];
  timeframeMs: number;
  candles(symbol: string): Candles | undefined;
  riskState: RiskState;
  riskStore?: RiskStore;
  factors?: ExternalFactors;
  /** FACTOR_MAX_AGE in ms. */
  factorMaxAgeMs: number;
  publish(event: DomainEvent): void;
  logger: Logger;
  /** PANIC_AUTO_KILL: run kill-all by itself at an extreme portfolio score. */
  autoKill?: () => Promise<unknown>;
}

export type PanicSnapshot = PanicReading & { ts: number };

const STORE_EVERY_MS = 60_000;
const KEEP_MS = 30 * 86_400_000;

/**
 * Computes the panic score every tick for each symbol and the portfolio, keeps the latest in the risk
 * state (the pre-flight panic rule reads it), stores a history (one row per scope per minute, or at
 * once when the level changes; 30 days kept) and alerts when the portfolio level changes.
 */
export class PanicMonitor {
  private readonly trackers = new Map<string, PanicTracker>();
  private readonly latestBy = new Map<string, PanicSnapshot>();
  private readonly lastStored = new Map<string, { ts: number; level: PanicLevelName }>();
  private errorTimes: number[] = [];
  private lastLatencyMs: number | undefined;
  private lastPrune = 0;

  constructor(private readonly d: PanicMonitorDeps) {
    for (const s of d.symbols) this.trackers.set(s, new PanicTracker(d.timeframeMs));
  }

  /** An exchange error happened (counted over the last 5 minutes). */
  noteError(ts: number): void {
    this.errorTimes.push(ts);
  }

  /** How long the last exchange round trip took. */
  noteLatency(ms: number): void {
    this.lastLatencyMs = ms;
  }

  latest(scope: string): PanicSnapshot | undefined {
    return this.latestBy.get(scope);
  }

  /** One tick: feed new candles, score every symbol and the portfolio. */
  async update(now: number, drawdownPct: number): Promise<void> {
    this.errorTimes = this.errorTimes.filter((t) => t > now - 300_000);
    const errorsPerMin = this.errorTimes.length / 5;
    const stresses = [];
    const rows: PanicRow[] = [];
    let worstStaleness = 0;
    for (const symbol of this.d.symbols) {
      // Symbols may be added while running (/reload_config): a new one starts its own tracker.
      let t = this.trackers.get(symbol);
      if (!t) {
        t = new PanicTracker(this.d.timeframeMs);
        this.trackers.set(symbol, t);
      }
      const c = this.d.candles(symbol);
      let staleness: number | undefined;
      if (c && c.length > 0) {
        let i = c.length;
        while (i > 0 && (t.lastTs === undefined || c.ts[i - 1]! > t.lastTs)) i--;
        for (; i < c.length; i++) t.push(c.ts[i]!, c.close[i]!, c.volume[i]!);
        staleness = Math.max(0, (now - (c.ts[c.length - 1]! + this.d.timeframeMs)) / this.d.timeframeMs - 1);
        worstStaleness = Math.max(worstStaleness, staleness);
      }
      const stress = t.stress();
      stresses.push(stress);
      const reading = panicScore({ market: stress, stalenessTf: staleness, factors: this.factors(now, symbol) });
      this.keep(symbol, now, reading, rows);
    }
    const portfolio = panicScore({
      market: worstStress(stresses),
      drawdownPct,
      stalenessTf: worstStaleness,
      exchangeErrorsPerMin: errorsPerMin,
      exchangeLatencyMs: this.lastLatencyMs,
      factors: this.factors(now),
    });
    const previous = this.latestBy.get('portfolio')?.level ?? 'calm';
    this.keep('portfolio', now, portfolio, rows);
    if (portfolio.level !== previous) {
      const extreme = portfolio.level === 'extreme';
      this.d.publish({ type: 'panic-level', ts: now, scope: 'portfolio', score: portfolio.score, level: portfolio.level, previous, proposeKillAll: extreme && !this.d.autoKill });
      if (extreme && PANIC_LEVEL_RANK[previous] < PANIC_LEVEL_RANK.extreme && this.d.autoKill) {
        await this.d.autoKill().catch((err: unknown) => this.d.logger.error({ err }, 'automatic kill-all failed to start'));
      }
    }
    if (this.d.riskStore) {
      await this.d.riskStore.savePanic(rows);
      if (now - this.lastPrune > 3_600_000) {
        this.lastPrune = now;
        await this.d.riskStore.prunePanic(now - KEEP_MS);
      }
    }
  }

  private factors(now: number, symbol?: string): PanicFactors | undefined {
    const f = this.d.factors;
    if (!f) return undefined;
    const age = this.d.factorMaxAgeMs;
    return { fundingRate: f.latest('funding_rate', now, age, symbol), netflowZ: f.latest('onchain_netflow_z', now, age), fearGreed: f.latest('fear_greed', now, age) };
  }

  private keep(scope: string, now: number, reading: PanicReading, rows: PanicRow[]): void {
    this.latestBy.set(scope, { ...reading, ts: now });
    this.d.riskState.setPanic(scope, reading.score);
    const last = this.lastStored.get(scope);
    if (!last || now - last.ts >= STORE_EVERY_MS || last.level !== reading.level) {
      this.lastStored.set(scope, { ts: now, level: reading.level });
      rows.push({ scope, ts: now, score: reading.score, level: reading.level, components: reading.components });
    }
  }
}
