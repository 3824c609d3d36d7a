import type { EventBus } from '../engine/bus.ts';
import type { OrderManager } from '../engine/order-manager.ts';
import type { ReconcileFindings, Reconciler } from '../engine/reconciler.ts';
import type { Logger } from '../logger.ts';

/** Wait before retry n of a reconciliation that could not finish. */
export const RECONCILE_BACKOFF_MS: readonly number[] = [5_000, 15_000, 60_000, 300_000];
const HOLD = 'reconcile';

export interface ReconcileRun {
  at: number;
  ok: boolean;
  findings?: ReconcileFindings;
  error?: string;
}

/**
 * Runs reconciliation at start (before any order), every `intervalMs`, and on demand (/reconcile).
 * While the last run failed, new orders are held (OrderManager.hold) and a retry is scheduled with
 * backoff; the first failure of a streak alerts. Runs never overlap: a request while one runs waits
 * for it and then runs again.
 */
export class ReconcileService {
  private running: Promise<ReconcileRun> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private failures = 0;
  private stopped = true;
  last: ReconcileRun | undefined;

  constructor(private readonly d: { reconciler: Reconciler; orders: OrderManager; bus: EventBus; logger: Logger; intervalMs: number; now: () => number; backoffMs?: readonly number[] }) {}

  /** Run now (after any run in progress). Never throws: a failure is in the returned run. */
  async runNow(): Promise<ReconcileRun> {
    while (this.running) await this.running.catch(() => undefined);
    this.running = this.once().finally(() => (this.running = undefined));
    return this.running;
  }

  private async once(): Promise<ReconcileRun> {
    const { orders, logger, bus } = this.d;
    const at = this.d.now();
    try {
      const findings = await this.d.reconciler.run();
      this.failures = 0;
      orders.release(HOLD);
      this.last = { at, ok: true, findings };
      this.schedule(this.d.intervalMs);
      return this.last;
    } catch (err) {
      const error = err instanceof Error ? err.message : String(err);
      orders.hold(HOLD, `reconciliation with the exchange did not finish: ${error}`);
      const backoff = this.d.backoffMs ?? RECONCILE_BACKOFF_MS;
      const delay = backoff[Math.min(this.failures, backoff.length - 1)]!;
      if (this.failures === 0) {
        bus.publish({ type: 'reconciliation', ts: at, severity: 'critical', lines: [`could not reconcile with the exchange: ${error}`, `no new orders until it succeeds; retrying in ${Math.round(delay / 1000)} s`] });
      }
      this.failures++;
      logger.error({ err, attempt: this.failures, retryInMs: delay }, 'reconciliation failed; orders held');
      this.last = { at, ok: false, error };
      this.schedule(delay);
      return this.last;
    }
  }

  /** Start periodic runs (the first run is the caller's `runNow`). */
  start(): void {
    this.stopped = false;
    this.schedule(this.last?.ok === false ? 0 : this.d.intervalMs);
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.runNow(), ms);
    this.timer.unref();
  }
}
