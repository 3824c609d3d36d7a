import type { DomainEvent } from '../domain/events.ts';
import { AppError } from '../domain/errors.ts';
import type { Logger } from '../logger.ts';
import { ExecutionError, type Execution } from '../ports/execution.ts';
import type { RiskStore } from '../ports/risk-store.ts';
import { planSweep, utcDayStart, type SweepPlan, type SweepSettings } from '../risk/sweep-plan.ts';

export interface TreasurySweepDeps {
  execution: Execution;
  riskStore: RiskStore;
  settings: SweepSettings;
  /** The quote currency swept (the traded symbols' quote). */
  currency: string;
  /** spot | swap: a futures wallet is not what ccxt's withdraw takes from. */
  marketType: 'spot' | 'swap';
  publish(event: DomainEvent): void;
  /** Wall clock (the UTC day of SWEEP_MAX_PER_DAY). */
  now(): number;
  /** After money left: take it out of the account tradeops keeps (cash), so it is never spent twice. */
  debit(amount: number): Promise<void>;
  logger: Logger;
}

export interface SweepOutcome {
  plan: SweepPlan;
  /** sent = the venue took the withdrawal; dry-run = recorded only; failed = refused; unknown = the answer was lost. */
  status: 'sent' | 'dry-run' | 'failed' | 'unknown';
  id?: string;
  txId?: string;
  detail: string;
}

/**
 * The treasury sweep: moves the free quote balance above SWEEP_KEEP to SWEEP_ADDRESS through the
 * execution port's withdraw, never more than SWEEP_MAX_PER_DAY a UTC day, one at a time. A real sweep
 * is stored `planned` before the request leaves (it then counts toward the daily cap even when the
 * answer is lost), every sweep — dry runs too — is stored and alerted.
 */
export function createTreasurySweep(d: TreasurySweepDeps) {
  let running: Promise<SweepOutcome> | undefined;

  async function plan(): Promise<SweepPlan> {
    if (d.marketType !== 'spot') {
      return { ...planSweep(d.settings, d.currency, 0, 0), blocked: 'sweeping works on a spot account (EXCHANGE_MARKET=spot): a futures wallet must be moved to spot first' };
    }
    const balances = await d.execution.fetchBalances();
    const swept = await d.riskStore.sweptSince(d.currency, utcDayStart(d.now()));
    return planSweep(d.settings, d.currency, balances[d.currency]?.free ?? 0, swept);
  }

  async function execute(by: string): Promise<SweepOutcome> {
    // Fresh numbers: the balance may have moved since the preview was confirmed.
    const p = await plan();
    if (p.blocked) throw new AppError('CONFLICT', p.blocked);
    const ts = d.now();
    const record = { ts, currency: p.currency, amount: p.amount, address: p.address!, network: p.network, dryRun: p.dryRun, requestedBy: by };
    if (p.dryRun) {
      await d.riskStore.insertSweep({ ...record, status: 'planned' });
      const detail = 'dry run: nothing was sent (SWEEP_ENABLED=false)';
      d.publish({ type: 'sweep', ts, currency: p.currency, amount: p.amount, address: p.address!, dryRun: true, ok: true, detail });
      return { plan: p, status: 'dry-run', detail };
    }
    const id = await d.riskStore.insertSweep({ ...record, status: 'planned' });
    try {
      const w = await d.execution.withdraw({ currency: p.currency, amount: p.amount, address: p.address!, network: p.network });
      await d.riskStore.updateSweep(id, { status: 'sent', txId: w.txId ?? w.id });
      await d.debit(p.amount);
      const detail = `withdrawal ${w.id} ${w.status}${w.network ? ` on ${w.network}` : ''}${w.fee !== undefined ? `, fee ${w.fee} ${p.currency}` : ''}`;
      d.logger.info({ sweepId: id, withdrawalId: w.id, amount: p.amount, currency: p.currency, by }, 'sweep sent');
      d.publish({ type: 'sweep', ts, currency: p.currency, amount: p.amount, address: p.address!, dryRun: false, ok: true, detail });
      return { plan: p, status: 'sent', id: w.id, txId: w.txId, detail };
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      const unknown = err instanceof ExecutionError && err.kind === 'unknown-outcome';
      // A lost answer may still have moved the money: the row stays planned and counts toward the cap.
      if (!unknown) await d.riskStore.updateSweep(id, { status: 'failed', error: message });
      const detail = unknown ? `outcome unknown (${message}): check the exchange's withdrawal history before sweeping again` : `refused: ${message}`;
      d.logger.error({ sweepId: id, amount: p.amount, currency: p.currency, by, error: message }, 'sweep failed');
      d.publish({ type: 'sweep', ts, currency: p.currency, amount: p.amount, address: p.address!, dryRun: false, ok: false, detail });
      return { plan: p, status: unknown ? 'unknown' : 'failed', detail };
    }
  }

  return {
    plan,
    /** Run one sweep (a second one while it runs is refused). */
    async sweep(by: string): Promise<SweepOutcome> {
      if (running) throw new AppError('CONFLICT', 'a sweep is already running; nothing new was sent');
      running = execute(by);
      try {
        return await running;
      } finally {
        running = undefined;
      }
    },
  };
}

export type TreasurySweep = ReturnType<typeof createTreasurySweep>;
