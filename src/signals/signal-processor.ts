import type { DomainEvent } from '../domain/events.ts';
import type { Serial } from '../engine/serial.ts';
import type { Sizing } from '../risk/sizing.ts';
import type { ExecutionResult } from '../engine/trading-engine.ts';
import type { Logger } from '../logger.ts';
import type { Intent } from '../strategies/strategy.ts';
import type { Signal } from './signal.ts';
import type { IntakePriority } from './intake-priority.ts';
import { planSignal } from './signal-intents.ts';
import type { SignalSource } from './sources.ts';

const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** The trading side a signal acts on: the same risk gate and order path as the strategy's intents. */
export interface SignalTarget {
  positionOf(symbol: string): number;
  openSymbols(): string[];
  equity(): number;
  markPrice(symbol: string): number | undefined;
  execute(symbol: string, intents: readonly Intent[], price: number, sizing?: Sizing): Promise<ExecutionResult[]>;
}

export type SignalOutcome = 'executed' | 'denied' | 'failed' | 'expired';

export interface SignalProcessorDeps {
  target: SignalTarget;
  /** Shared with the engine tick: one decision at a time. */
  serial: Serial;
  settle(source: string, id: string, outcome: SignalOutcome, detail: string, at: number): Promise<void>;
  publish(event: DomainEvent): void;
  now(): number;
  logger: Logger;
  maxLagSeconds: number;
  /** ORDER_SIZE_PCT: the entry size when a signal names none (for the source's cap). */
  defaultPct: number;
  /** Webhook requests in flight go first. */
  intake?: IntakePriority;
}

export interface QueuedSignal {
  source: SignalSource;
  signal: Signal;
  receivedAt: number;
}

/**
 * Accepted signals are answered at once and processed here, one after another, after the answer:
 * planned into intents, capped by the source's max_amount, sent through the risk gate, and the
 * outcome stored, alerted and logged. A signal that waited past its lag (a restart in between) expires.
 */
export class SignalProcessor {
  private queue: Promise<void> = Promise.resolve();
  private pending = 0;
  private stopped = false;

  constructor(private readonly d: SignalProcessorDeps) {}

  get backlog(): number {
    return this.pending;
  }

  enqueue(item: QueuedSignal): void {
    this.pending++;
    this.queue = this.queue
      // Before each signal, a turn of the event loop and, while webhook requests are in flight, a short
      // wait for them: the embedded database answers without real I/O, so a backlog processed as one
      // promise chain would hold the HTTP server off until it is empty (src/signals/intake-priority.ts).
      .then(() => (this.d.intake ? this.d.intake.quiet() : yieldToEventLoop()))
      .then(() => this.process(item))
      .catch((err) => this.d.logger.error({ err, signal: item.signal.id, source: item.source.name }, 'signal processing failed'))
      .finally(() => {
        this.pending--;
      });
  }

  /** Resolves when every queued signal has been processed. */
  async drain(): Promise<void> {
    while (this.pending > 0) await this.queue;
  }

  /**
   * Shutdown: finish the signal being processed, leave the rest. They are stored as received and
   * are processed at the next start (or expire there, past their lag) — a backlog never holds a
   * shutdown beyond the stop grace period.
   */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.drain();
  }

  private async process({ source, signal, receivedAt }: QueuedSignal): Promise<void> {
    if (this.stopped) return;
    const log = this.d.logger.child({ component: 'signals', source: source.name, signal: signal.id, symbol: signal.symbol, strategy: signal.strategy });
    const finish = async (outcome: SignalOutcome, detail: string) => {
      const ts = this.d.now();
      await this.d.settle(source.name, signal.id, outcome, detail, ts);
      this.d.publish({ type: 'signal', ts, source: source.name, signalId: signal.id, symbol: signal.symbol, action: signal.action, outcome, detail });
      log[outcome === 'failed' ? 'warn' : 'info']({ outcome, detail }, 'signal processed');
    };
    const lag = Math.min(signal.maxLag ?? Infinity, this.d.maxLagSeconds) * 1000;
    if (this.d.now() - (signal.time ?? receivedAt) > lag) return finish('expired', `not processed within ${lag / 1000} s of its time`);

    try {
      await this.d.serial.run(async () => {
        const t = this.d.target;
        const symbol = signal.symbol;
        const price = signal.price ?? (symbol ? t.markPrice(symbol) : undefined);
        if (symbol && price === undefined) return finish('failed', `no price for ${symbol} yet (send price, or wait for the first tick)`);
        const plans = planSignal(signal, { positionOf: (s) => t.positionOf(s), openSymbols: t.openSymbols(), price: price ?? 0, equity: t.equity(), defaultPct: this.d.defaultPct });
        if (plans.length === 0) return finish('denied', 'NO_POSITION: no open position to close');
        const lines: string[] = [];
        let worst: SignalOutcome = 'executed';
        for (const plan of plans) {
          if (source.maxAmount !== undefined && plan.quote !== undefined && plan.intents.some((i) => i.kind === 'enter') && plan.quote > source.maxAmount) {
            lines.push(`${plan.symbol}: SOURCE_MAX_AMOUNT: ${plan.quote.toFixed(2)} is above ${source.name}'s max_amount ${source.maxAmount}`);
            worst = worst === 'failed' ? worst : 'denied';
            continue;
          }
          const px = plan.symbol === symbol ? price! : (t.markPrice(plan.symbol) ?? price ?? 0);
          const results = await t.execute(plan.symbol, plan.intents, px, plan.sizing);
          for (const r of results) {
            const what = r.intent.kind === 'enter' ? `enter ${r.intent.side}` : r.intent.kind;
            if (r.verdict === 'denied') {
              worst = worst === 'failed' ? worst : 'denied';
              lines.push(`${plan.symbol} ${what} denied: ${r.reasons.join('; ')}`);
            } else if (r.order === 'placed') lines.push(`${plan.symbol} ${what}: order ${r.clientOrderId}`);
            else {
              worst = 'failed';
              lines.push(`${plan.symbol} ${what}: order ${r.clientOrderId} ${r.order}${r.reasons.length ? `: ${r.reasons.join('; ')}` : ''}`);
            }
          }
        }
        return finish(worst, lines.join('\n'));
      });
    } catch (err) {
      await finish('failed', err instanceof Error ? err.message : String(err));
    }
  }
}
