import { cooldownAfterExit } from './protections/cooldown.ts';
import { EquityGuard } from './protections/equity-guard.ts';
import type { ProtectionConfig, ProtectionTrigger } from './protections/protection.ts';
import { stoplossGuard } from './protections/stoploss-guard.ts';
import { intentKey, type RiskLimits, type RiskView, type SymbolLock } from './risk-view.ts';

/** What the caller knows about the market at decision time (the rest the risk state keeps itself). */
export interface MarketFacts {
  now: number;
  openPositions: number;
  priceTs?: number;
  spreadPct?: number;
  candleTs?: number;
}

const MINUTE = 60_000;

/**
 * The risk layer's memory, pure and synchronous so the backtester runs it candle by candle exactly as
 * live trading does: equity peak and day start, orders sent in the last minute, intents approved per
 * candle, protection locks per symbol, the latest panic scores, and what protections fired.
 */
export class RiskState {
  private readonly orderTimes: number[] = [];
  private readonly seen = new Set<string>();
  private seenCandle = new Map<string, number>();
  private readonly locks = new Map<string, SymbolLock>();
  private readonly stops = new Map<string, number[]>();
  private readonly panic = new Map<string, number>();
  readonly equity: EquityGuard;
  /** Every protection that fired, newest last (bounded). */
  readonly triggers: ProtectionTrigger[] = [];

  constructor(
    readonly limits: RiskLimits,
    readonly protections: ProtectionConfig,
  ) {
    this.equity = new EquityGuard(protections);
  }

  view(symbol: string, f: MarketFacts): RiskView {
    this.pruneOrders(f.now);
    return {
      limits: this.limits,
      snapshot: {
        now: f.now,
        panicScore: this.panic.get(symbol) ?? this.panic.get('portfolio'),
        openPositions: f.openPositions,
        dayStartEquity: this.equity.dayStart,
        peakEquity: this.equity.peak,
        ordersLastMinute: this.orderTimes.length,
        priceTs: f.priceTs,
        spreadPct: f.spreadPct,
        candleTs: f.candleTs,
        seenIntents: this.seen,
        locks: this.locks,
      },
    };
  }

  /** An order left (or was approved to leave) at `ts`: counts toward MAX_ORDERS_PER_MINUTE. */
  recordOrder(ts: number): void {
    this.orderTimes.push(ts);
  }

  /** An entry was approved: the same source/symbol/side is a duplicate for the rest of this candle. */
  recordIntent(source: string, symbol: string, side: string, candleTs: number | undefined): void {
    if (candleTs === undefined) return;
    const key = intentKey(source, symbol, side, candleTs);
    this.seen.add(key);
    this.seenCandle.set(key, candleTs);
    // Keep only the newest candles' keys: memory stays bounded over a long backtest.
    if (this.seen.size > 1024) {
      const newest = Math.max(...this.seenCandle.values());
      for (const [k, c] of this.seenCandle) {
        if (c < newest) {
          this.seen.delete(k);
          this.seenCandle.delete(k);
        }
      }
    }
  }

  setPanic(scope: string, score: number): void {
    this.panic.set(scope, score);
  }

  panicScore(scope: string): number | undefined {
    return this.panic.get(scope);
  }

  /** Equity after a candle or tick; returns a halt when drawdown or the daily loss hits its limit. */
  observeEquity(ts: number, equity: number): ProtectionTrigger | undefined {
    return this.keep(this.equity.observe(ts, equity));
  }

  /** A position closed: cooldown lock, and the stop-loss guard when it was a stop. Returns what fired. */
  observeExit(symbol: string, ts: number, reason: string): ProtectionTrigger[] {
    const out: ProtectionTrigger[] = [];
    const p = this.protections;
    if (/stop/i.test(reason)) {
      let stops = this.stops.get(symbol);
      if (!stops) this.stops.set(symbol, (stops = []));
      const guard = stoplossGuard(symbol, stops, ts, p.stoplossGuardCount, p.stoplossWindowMs, p.stoplossLockMs);
      if (guard) out.push(guard);
    }
    const cool = cooldownAfterExit(symbol, ts, p.cooldownMs);
    if (cool) out.push(cool);
    for (const t of out) {
      if (t.kind === 'cooldown' || t.kind === 'stoploss-guard') {
        const cur = this.locks.get(symbol);
        if (!cur || cur.until < t.until) this.locks.set(symbol, { until: t.until, reason: t.reason });
      }
    }
    // The cooldown alone is routine; only the guard is news.
    for (const t of out) if (t.kind !== 'cooldown') this.keep(t);
    return out;
  }

  /** Locks still in force at `now`. */
  activeLocks(now: number): Array<{ symbol: string } & SymbolLock> {
    const out: Array<{ symbol: string } & SymbolLock> = [];
    for (const [symbol, l] of this.locks) {
      if (l.until > now) out.push({ symbol, ...l });
      else this.locks.delete(symbol);
    }
    return out;
  }

  private pruneOrders(now: number): void {
    while (this.orderTimes.length > 0 && this.orderTimes[0]! <= now - MINUTE) this.orderTimes.shift();
  }

  private keep<T extends ProtectionTrigger | undefined>(t: T): T {
    if (t) {
      this.triggers.push(t);
      if (this.triggers.length > 100) this.triggers.shift();
    }
    return t;
  }
}
