import type { TradingState, TradingStateName } from '../domain/trading-state.ts';
import type { EventBus } from '../engine/bus.ts';
import type { Clock } from '../ports/clock.ts';
import type { TradingStore } from '../ports/store.ts';

/**
 * The current trading state, persisted (a restart keeps a HALT) and announced on every change.
 * Automatic halts (IP ban) carry `haltedUntil` and lift themselves when it has passed.
 */
export class TradingStateHolder {
  private current: TradingState;

  private constructor(private readonly store: TradingStore, private readonly bus: EventBus, private readonly clock: Clock, initial: TradingState) {
    this.current = initial;
  }

  static async load(store: TradingStore, bus: EventBus, clock: Clock): Promise<TradingStateHolder> {
    const saved = await store.loadTradingState();
    const initial: TradingState = saved ?? { state: 'ACTIVE', reason: 'started', changedBy: 'system', changedAt: clock.now() };
    if (!saved) await store.saveTradingState(initial);
    return new TradingStateHolder(store, bus, clock, initial);
  }

  get(): TradingState {
    return this.current;
  }

  async set(state: TradingStateName, reason: string, by: string, haltedUntil?: number): Promise<TradingState> {
    const from = this.current.state;
    const next: TradingState = { state, reason, changedBy: by, changedAt: this.clock.now(), haltedUntil };
    await this.store.saveTradingState(next);
    this.current = next;
    if (from !== state) this.bus.publish({ type: 'trading-state-changed', ts: next.changedAt, from, to: state, reason, by });
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
