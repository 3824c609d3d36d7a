import type { DomainEvent } from '../domain/events.ts';
import type { TradingState, TradingStateName } from '../domain/trading-state.ts';
import type { Clock } from '../ports/clock.ts';
import type { TradingStore } from '../ports/store.ts';

/** How risk code announces events: the engine passes its bus's `publish` (risk/ never imports the bus). */
export type Publish = (event: DomainEvent) => void;

/**
 * The current trading state, persisted (a restart keeps a HALT) and announced on every change.
 * Automatic halts (IP ban) carry `haltedUntil` and lift themselves when it has passed.
 */
export class TradingStateHolder {
  private current: TradingState;

  private constructor(private readonly store: TradingStore, private readonly publish: Publish, private readonly clock: Clock, initial: TradingState) {
    this.current = initial;
  }

  static async load(store: TradingStore, publish: Publish, clock: Clock): Promise<TradingStateHolder> {
    const saved = await store.loadTradingState();
    const initial: TradingState = saved ?? { state: 'ACTIVE', reason: 'started', changedBy: 'system', changedAt: clock.now() };
    if (!saved) await store.saveTradingState(initial);
    return new TradingStateHolder(store, publish, clock, initial);
  }

  get(): TradingState {
    return this.current;
  }

  async set(state: TradingStateName, reason: string, by: string, haltedUntil?: number): Promise<TradingState> {
    const from = this.current.state;
    const next: TradingState = { state, reason, changedBy: by, changedAt: this.clock.now(), haltedUntil };
    await this.store.saveTradingState(next);
    this.current = next;
    if (from !== state) this.publish({ type: 'trading-state-changed', ts: next.changedAt, from, to: state, reason, by });
    return next;
  }

  /** Lift an automatic halt whose time has passed. */
  async expire(): Promise<void> {
    const c = this.current;
    if (c.state === 'HALTED' && c.haltedUntil !== undefined && c.haltedUntil <= this.clock.now()) {
      await this.set('ACTIVE', `automatic halt ended (${c.reason})`, 'system');
    }
  }
}
