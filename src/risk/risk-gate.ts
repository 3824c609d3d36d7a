import type { DomainEvent } from '../domain/events.ts';
import type { Logger } from '../logger.ts';
import type { DecisionRecord } from '../ports/store.ts';
import { preflightInputHash } from './input-hash.ts';
import { DEFAULT_PREFLIGHT, runPreflight, type Denial, type PreflightContext, type PreflightRule } from './preflight/index.ts';
import type { RiskState } from './risk-state.ts';

export interface RiskGateDeps {
  state: RiskState;
  /** Where denial alerts go (the engine's event bus in the app, a list in tests). */
  publish(event: DomainEvent): void;
  /** Persist a decision (the trading store's `insertDecision`). */
  record(decision: DecisionRecord): Promise<void>;
  /** Least time between two alerts for the same symbol and reason codes (default 5 min). */
  alertIntervalMs?: number;
  rules?: readonly PreflightRule[];
  /** Every denial is logged (warn) with its strategy, symbol, source and reason codes. */
  logger?: Pick<Logger, 'warn'>;
}

export type Verdict = { approved: true; denials: [] } | { approved: false; denials: Denial[] };

/**
 * The gate between every intent and the order manager: runs the pre-flight chain, and treats a
 * denial as data — stored with a hash of its inputs, counted per reason code (/status, /metrics) and
 * alerted at most once per interval for the same symbol and reasons. A denial never reaches the
 * exchange: nothing here holds an exchange port.
 */
export class RiskGate {
  private readonly counts = new Map<string, number>();
  private readonly lastAlert = new Map<string, number>();
  private total = 0;

  constructor(private readonly d: RiskGateDeps) {}

  get state(): RiskState {
    return this.d.state;
  }

  check(ctx: PreflightContext): Verdict {
    const denials = runPreflight(ctx, this.d.rules ?? DEFAULT_PREFLIGHT);
    return denials.length === 0 ? { approved: true, denials: [] } : { approved: false, denials };
  }

  /** An approved order is about to be sent: it counts for the order rate and the duplicate-intent rule. */
  approved(ctx: PreflightContext, ts: number): void {
    this.d.state.recordOrder(ts);
    if (ctx.kind === 'entry') this.d.state.recordIntent(ctx.source ?? 'strategy', ctx.symbol, ctx.side, ctx.risk?.snapshot.candleTs);
  }

  /** Store, count and (rate-limited) alert a denial. Returns the input hash it was stored with. */
  async denied(ctx: PreflightContext, denials: readonly Denial[], meta: { ts: number; strategy: string; intent: unknown; describe: string }): Promise<string> {
    const inputHash = preflightInputHash(ctx);
    this.total++;
    for (const x of denials) this.counts.set(x.code, (this.counts.get(x.code) ?? 0) + 1);
    await this.d.record({ ts: meta.ts, strategy: meta.strategy, symbol: ctx.symbol, intent: meta.intent, verdict: 'denied', reasons: [...denials], source: ctx.source ?? 'strategy', inputHash });
    this.d.logger?.warn({ strategy: meta.strategy, symbol: ctx.symbol, source: ctx.source ?? 'strategy', intent: meta.describe, codes: denials.map((x) => x.code), inputHash }, `order denied: ${denials.map((x) => `${x.code}: ${x.message}`).join('; ')}`);
    const key = `${ctx.symbol}|${denials.map((x) => x.code).sort().join(',')}`;
    const last = this.lastAlert.get(key);
    if (last === undefined || meta.ts - last >= (this.d.alertIntervalMs ?? 300_000)) {
      this.lastAlert.set(key, meta.ts);
      this.d.publish({ type: 'order-denied', ts: meta.ts, symbol: ctx.symbol, reasons: denials.map((x) => `${x.code}: ${x.message}`), intent: meta.describe });
    }
    return inputHash;
  }

  /** Denials since start, per reason code. */
  denialCounts(): ReadonlyMap<string, number> {
    return this.counts;
  }

  get deniedTotal(): number {
    return this.total;
  }
}
