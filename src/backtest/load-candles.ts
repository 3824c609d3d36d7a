import type { Database } from '../adapters/db/client.ts';
import type { Candles } from '../domain/candles.ts';
import { AppError } from '../domain/errors.ts';
import { alignTs, timeframeToMs } from '../domain/timeframe.ts';

export interface CandleRequest {
  exchange: string;
  symbol: string;
  timeframe: string;
  /** Inclusive bounds on the candle open time (UTC ms). */
  from?: number;
  to?: number;
}

/** Stored candles of one market, ascending, as columns (empty when none are stored); `to` is inclusive. */
export async function loadStoredCandles(database: Pick<Database, 'db' | 'kind'>, req: CandleRequest): Promise<Candles> {
  // Loaded here, not at the top: a file backtest never touches the database layer (drizzle-orm).
  const { CandleStore } = await import('../adapters/db/repositories/candles.ts');
  return new CandleStore(database).load(req.exchange, req.symbol, req.timeframe, req.from, req.to === undefined ? undefined : req.to + 1);
}

/** Candles the simulated market of the sim exchange yields at most in one backtest. */
export const MAX_SIM_CANDLES = 2_000_000;

export interface SimHistoryRequest {
  seed: number;
  symbol: string;
  timeframe: string;
  from?: number;
  to?: number;
  /** Without from/to: this many candles ending now (the bot's sim keeps 20,000). */
  defaultCount: number;
  marketType?: 'spot' | 'swap';
  now?: () => number;
}

/**
 * Candles from the sim exchange's seeded synthetic market (EXCHANGE=sim and nothing stored): the
 * closed history of a sim started so that it covers [from, to] (default: `defaultCount` candles up
 * to now). Same seed, same range → same candles.
 */
export async function simHistoryCandles(req: SimHistoryRequest): Promise<Candles> {
  const tf = timeframeToMs(req.timeframe);
  const now = req.now ?? Date.now;
  const end = req.to !== undefined ? alignTs(req.to, tf) + tf : alignTs(now(), tf);
  const start = req.from !== undefined ? alignTs(req.from, tf) + (alignTs(req.from, tf) < req.from ? tf : 0) : end - req.defaultCount * tf;
  const count = Math.floor((end - start) / tf);
  if (count < 1) throw new AppError('BAD_REQUEST', 'the requested period holds no candle (check --from and --to)');
  if (count > MAX_SIM_CANDLES) throw new AppError('BAD_REQUEST', `the requested period holds ${count} candles; the simulated market yields at most ${MAX_SIM_CANDLES} per backtest`);
  const { createSimExchange } = await import('../adapters/exchange/sim/index.ts');
  const sim = await createSimExchange({
    symbols: [req.symbol],
    timeframe: req.timeframe,
    seed: req.seed,
    speed: 0,
    historyCandles: count,
    cash: 0,
    feeBps: 0,
    slippageBps: 0,
    marketType: req.marketType ?? 'spot',
    startTs: start,
    now: () => 0,
  });
  try {
    return await sim.fetchCandles(req.symbol, req.timeframe, start, count);
  } finally {
    await sim.close();
  }
}
