import { describe, expect, it } from 'vitest';
import type { DomainEvent } from '../../../src/domain/events.ts';
import type { TradingState } from '../../../src/domain/trading-state.ts';
import type { TradingStore } from '../../../src/ports/store.ts';
import { TradingStateHolder } from '../../../src/risk/trading-state.ts';

/** The two store methods the holder uses, counting writes. */
function memoryStore(saved?: TradingState) {
  const s = { saved, writes: 0 };
  const store = {
    loadTradingState: async () => s.saved,
    saveTradingState: async (t: TradingState) => {
      s.writes++;
      s.saved = t;
    },
  } as unknown as TradingStore;
  return { s, store };
}

describe('TradingStateHolder', () => {
  it('first start: ACTIVE, stored once; a stored state is taken as it is and not written again', async () => {
    const fresh = memoryStore();
    const h = await TradingStateHolder.load(fresh.store, () => {}, { now: () => 1_000 });
    expect(h.get()).toEqual({ state: 'ACTIVE', reason: 'started', changedBy: 'system', changedAt: 1_000 });
    expect(fresh.s.writes).toBe(1);

    const halted: TradingState = { state: 'HALTED', reason: 'kill-all', changedBy: 'telegram:1', changedAt: 500 };
    const stored = memoryStore(halted);
    const h2 = await TradingStateHolder.load(stored.store, () => {}, { now: () => 2_000 });
    expect(h2.get()).toEqual(halted);
    expect(stored.s.writes).toBe(0);
  });

  it('a change is stored before it is announced; the same state again is stored but not announced', async () => {
    const { s, store } = memoryStore();
    const events: DomainEvent[] = [];
    const h = await TradingStateHolder.load(store, (e) => void events.push(e), { now: () => 5 });
    await h.set('REDUCING', 'news', 'console:console');
    expect(s.saved).toMatchObject({ state: 'REDUCING', reason: 'news', changedBy: 'console:console' });
    expect(events).toEqual([{ type: 'trading-state-changed', ts: 5, from: 'ACTIVE', to: 'REDUCING', reason: 'news', by: 'console:console' }]);
    await h.set('REDUCING', 'still news', 'console:console');
    expect(events).toHaveLength(1);
    expect(h.get().reason).toBe('still news');
  });

  it('expire() lifts only an automatic halt whose time has passed', async () => {
    let now = 10_000;
    const clock = { now: () => now };
    const at = async (t: TradingState) => TradingStateHolder.load(memoryStore(t).store, () => {}, clock);

    // A manual halt (no end) stays.
    const manual = await at({ state: 'HALTED', reason: 'stop', changedBy: 'admin', changedAt: 0 });
    await manual.expire();
    expect(manual.get().state).toBe('HALTED');
    // An automatic halt not over yet stays.
    const banned = await at({ state: 'HALTED', reason: 'IP ban', changedBy: 'system', changedAt: 0, haltedUntil: 20_000 });
    await banned.expire();
    expect(banned.get().state).toBe('HALTED');
    // REDUCING with an end in the past is not a halt: it stays.
    const reducing = await at({ state: 'REDUCING', reason: 'x', changedBy: 'system', changedAt: 0, haltedUntil: 5_000 });
    await reducing.expire();
    expect(reducing.get().state).toBe('REDUCING');
    // The ban's end reached (exactly): ACTIVE again, saying why.
    now = 20_000;
    await banned.expire();
    expect(banned.get()).toMatchObject({ state: 'ACTIVE', reason: 'automatic halt ended (IP ban)', changedBy: 'system' });
  });
});
