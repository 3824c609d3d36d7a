import type { SimMarketState } from '../adapters/exchange/sim/index.ts';
import type { TradingStore } from '../ports/store.ts';

/** Where the simulated market's state is kept: the key/value slot of strategy_state under a reserved name. */
const KEY = { name: 'sim:market', symbol: '*' } as const;
/**
 * Stored after every tick (one small upsert): after a crash the market resumes no earlier than the
 * last candle the engine saw, so the engine never meets a candle twice or a time that went back.
 */
const SAVE_EVERY_MS = 0;

function isState(v: unknown): v is SimMarketState {
  const s = v as Partial<SimMarketState> | undefined;
  return !!s && typeof s.seed === 'number' && typeof s.timeframe === 'string' && typeof s.startTs === 'number' && typeof s.position === 'number';
}

export async function loadSimMarketState(store: Pick<TradingStore, 'loadStrategyState'>): Promise<SimMarketState | undefined> {
  const v = await store.loadStrategyState(KEY.name, KEY.symbol);
  return isState(v) ? v : undefined;
}

/**
 * Keeps the simulated market's position stored so a restarted paper account continues on the same
 * price path and market time. `maybeSave` is called after every tick; `save` at shutdown.
 */
export function simMarketStateSaver(store: Pick<TradingStore, 'saveStrategyState'>, read: () => SimMarketState | undefined, wallNow: () => number = Date.now) {
  let last = -Infinity;
  const save = async () => {
    const s = read();
    if (!s) return;
    await store.saveStrategyState(KEY.name, KEY.symbol, s);
    last = wallNow();
  };
  return {
    save,
    async maybeSave() {
      if (wallNow() - last >= SAVE_EVERY_MS) await save();
    },
  };
}
