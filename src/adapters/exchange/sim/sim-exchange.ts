import { randomBytes } from 'node:crypto';
import type { Candles } from '../../../domain/candles.ts';
import { inferStepMs } from '../../../domain/candle-gaps.ts';
import { AppError } from '../../../domain/errors.ts';
import type { MarketInfo } from '../../../domain/market.ts';
import type { Fill, OrderReport, OrderRequest } from '../../../domain/orders.ts';
import type { Position } from '../../../domain/portfolio.ts';
import { resample } from '../../../domain/resample.ts';
import { timeframeToMs } from '../../../domain/timeframe.ts';
import type { Clock } from '../../../ports/clock.ts';
import type { Balance, Execution, WithdrawalReport, WithdrawalRequest } from '../../../ports/execution.ts';
import type { MarketData } from '../../../ports/market-data.ts';
import { MarginAccount } from './accounts.ts';
import { MatchingEngine } from './matching-engine.ts';
import { buildSimMarkets, SIM_QUOTE } from './sim-markets.ts';
import { SimTimeline } from './sim-timeline.ts';

export interface SimExchangeOptions {
  exchangeId?: string;
  /** Configured symbols (listed besides the fixed sim markets; SIM_DATA replays for these). */
  symbols: readonly string[];
  timeframe: string;
  seed: number;
  /** SIM_SPEED: simulated candles per second of real time (0 freezes the market). */
  speed: number;
  /** Closed candles that exist at start (strategies warm up at once; /backtest can use them). */
  historyCandles: number;
  /** PAPER_CASH: starting quote balance (USDT). */
  cash: number;
  /** Spot: other assets the paper account starts with, e.g. { BTC: 0.1 }. */
  assets?: Readonly<Record<string, number>>;
  /** Swap: open positions the paper account starts with (restored after a restart). */
  positions?: readonly Position[];
  /** Taker fee in basis points. */
  feeBps: number;
  /** Maker fee in basis points (default: 75 % of the taker fee). */
  makerFeeBps?: number;
  slippageBps: number;
  marketType: 'spot' | 'swap';
  /** SIM_DATA: replay this candle file (any import-candles format) for the configured symbols. */
  dataFile?: string;
  /** Paper mode on a real venue: prices, candles and markets come from here; fills happen in the sim. */
  priceSource?: MarketData;
  /** Real clock (UTC ms), injectable for tests. */
  now?: () => number;
  /** Open time of the first synthetic candle (default: history ends at the real start time). */
  startTs?: number;
  /** Swap leverage (default 1). */
  leverage?: number;
  /** Share of a candle's volume resting orders may take per candle (default 0.1). */
  maxVolumeShare?: number;
  /** Continue a stored market (see {@link SimMarketState}); ignored when it was made by other settings. */
  resume?: SimMarketState;
}

/**
 * Where the simulated market is: stored by the bot and given back at the next start, so a restarted
 * paper account sees the same price path and market time (its open positions keep their value).
 */
export interface SimMarketState {
  seed: number;
  timeframe: string;
  /** SIM_DATA file, when one is replayed. */
  dataFile?: string;
  /** Open time of candle 0 of the primary series. */
  startTs: number;
  /** Candles of the primary series that had passed (fractional). */
  position: number;
}

export interface SimExchange extends MarketData, Execution {
  readonly exchangeId: string;
  /** Simulated time (the real clock when filling against a real venue's prices). */
  readonly clock: Clock;
  /**
   * Pin the price of a symbol (demos, drills such as a sudden crash, tests): from now on fetchPrice
   * returns it, market orders fill at it and resting limit orders are matched against it — they are
   * when this resolves. `undefined` returns the symbol to its market. Candles are not rewritten.
   */
  setPrice(symbol: string, price: number | undefined): Promise<void>;
  /** Where the market is now (undefined when prices come from a real venue). */
  marketState(): SimMarketState | undefined;
  /** True when `resume` was applied: the market continued where it had stopped. */
  readonly resumed: boolean;
  close(): Promise<void>;
}

/**
 * The simulated exchange (`EXCHANGE=sim`, paper trading): market data from a seeded synthetic market,
 * a replayed candle file or a real venue (`priceSource`), and execution through the sim's
 * {@link MatchingEngine}. Resting orders are matched lazily, on every call, against the candles that
 * closed since the previous call (or the live price from `priceSource`), so no timer runs.
 */
export async function createSimExchange(o: SimExchangeOptions): Promise<SimExchange> {
  const exchangeId = o.exchangeId ?? 'sim';
  const realNow = o.now ?? Date.now;
  const makerFeeBps = o.makerFeeBps ?? o.feeBps * 0.75;
  let markets: Map<string, MarketInfo>;
  let timeline: SimTimeline | undefined;
  let resumed = false;
  const source = o.priceSource;
  if (source) {
    markets = new Map();
    for (const [symbol, m] of await source.loadMarkets()) {
      markets.set(symbol, { ...m, takerFee: o.feeBps / 10_000, makerFee: makerFeeBps / 10_000 });
    }
  } else {
    markets = buildSimMarkets({ marketType: o.marketType, symbols: o.symbols, takerFeeBps: o.feeBps, makerFeeBps });
    const replay = o.dataFile ? await loadReplay(o.dataFile, o.timeframe) : undefined;
    const r = o.resume;
    resumed = r !== undefined && r.seed === o.seed && r.timeframe === o.timeframe && (r.dataFile ?? '') === (o.dataFile ?? '') && r.position >= 1 && Number.isFinite(r.startTs);
    timeline = new SimTimeline({
      seed: o.seed,
      timeframe: o.timeframe,
      speed: o.speed,
      historyCandles: o.historyCandles,
      now: realNow,
      replay,
      replaySymbols: o.symbols,
      startTs: resumed ? r!.startTs : o.startTs,
      resumeAt: resumed ? r!.position : undefined,
      priceStep: (s) => markets.get(s)?.priceStep ?? 0,
    });
  }
  const quote = [...markets.values()].find((m) => o.symbols.includes(m.symbol))?.quote ?? SIM_QUOTE;
  const engine = new MatchingEngine({
    markets,
    marketType: o.marketType,
    quote,
    cash: o.cash,
    assets: o.assets,
    positions: o.positions,
    slippageBps: o.slippageBps,
    leverage: o.leverage,
    maxVolumeShare: o.maxVolumeShare,
    // Order and trade ids must stay unique across restarts of a paper account (fills are stored by id).
    idPrefix: `${exchangeId}-${randomBytes(4).toString('hex')}`,
  });
  const clock: Clock = { now: () => (timeline ? timeline.now() : realNow()) };
  /** Per symbol: candles below this index have been matched against resting orders. */
  const matchedUpTo = new Map<string, number>();
  let closed = false;

  const alive = () => {
    if (closed) throw new AppError('UNAVAILABLE', `${exchangeId} exchange is closed`);
  };
  const marketOf = (symbol: string): MarketInfo => {
    const m = markets.get(symbol);
    if (!m) throw new AppError('NOT_FOUND', `unknown symbol ${symbol} on ${exchangeId}: listed are ${[...markets.keys()].join(', ')}`);
    return m;
  };
  /** Prices pinned with setPrice. */
  const pinned = new Map<string, number>();
  const priceOf = async (symbol: string): Promise<number> => pinned.get(symbol) ?? (source ? source.fetchPrice(symbol) : timeline!.price(symbol));

  /** Bring resting orders up to date with the market before answering anything. */
  const sync = async (): Promise<void> => {
    const symbols = engine.openSymbols();
    for (const s of symbols) {
      const p = pinned.get(s);
      if (p !== undefined) engine.matchPrice(s, clock.now(), p);
    }
    if (source) {
      for (const s of symbols) if (!pinned.has(s)) engine.matchPrice(s, realNow(), await source.fetchPrice(s));
      return;
    }
    const now = timeline!.now();
    for (const s of symbols) {
      if (pinned.has(s)) continue;
      const upTo = timeline!.closedCount(s, now);
      for (let k = matchedUpTo.get(s) ?? upTo; k < upTo && engine.hasOpenOrdersFor(s); k++) {
        const c = timeline!.candle(s, k);
        engine.matchCandle(s, c.ts, c.open, c.high, c.low, c.close, c.volume);
      }
    }
    for (const s of markets.keys()) if (matchedUpTo.has(s) || symbols.has(s)) matchedUpTo.set(s, timeline!.closedCount(s, now));
  };

  let withdrawals = 0;
  return {
    exchangeId,
    clock,
    async loadMarkets() {
      alive();
      return markets;
    },
    async fetchCandles(symbol: string, timeframe: string, since: number | undefined, limit: number): Promise<Candles> {
      alive();
      if (source) return source.fetchCandles(symbol, timeframe, since, limit);
      marketOf(symbol);
      return timeline!.candles(symbol, timeframe, since, limit);
    },
    async fetchPrice(symbol: string) {
      alive();
      if (!source) marketOf(symbol);
      return priceOf(symbol);
    },
    async fetchOpenInterest(symbol: string) {
      alive();
      return source?.fetchOpenInterest ? source.fetchOpenInterest(symbol) : undefined;
    },
    market(symbol: string) {
      return markets.get(symbol);
    },
    async placeOrder(req: OrderRequest): Promise<OrderReport> {
      alive();
      await sync();
      const ref = markets.has(req.symbol) ? await priceOf(req.symbol) : undefined;
      if (!source && !matchedUpTo.has(req.symbol)) matchedUpTo.set(req.symbol, timeline!.closedCount(req.symbol));
      return engine.placeOrder(req, clock.now(), ref);
    },
    async cancelOrder(clientOrderId: string, symbol: string) {
      alive();
      await sync();
      return engine.cancelOrder(clientOrderId, symbol, clock.now());
    },
    async fetchOrder(clientOrderId: string, symbol: string) {
      alive();
      await sync();
      return engine.fetchOrder(clientOrderId, symbol);
    },
    async fetchOpenOrders(symbol?: string) {
      alive();
      await sync();
      return engine.openOrders(symbol);
    },
    async fetchBalances(): Promise<Record<string, Balance>> {
      alive();
      await sync();
      if (engine.account instanceof MarginAccount) {
        for (const p of engine.account.portfolio.all()) engine.account.mark(p.symbol, await priceOf(p.symbol));
      }
      return engine.balances();
    },
    async fetchMyTrades(symbol: string, since?: number): Promise<Fill[]> {
      alive();
      await sync();
      return engine.trades(symbol, since);
    },
    async withdraw(req: WithdrawalRequest): Promise<WithdrawalReport> {
      alive();
      await sync();
      engine.withdraw(req.currency, req.amount);
      const id = `sim-w-${++withdrawals}`;
      // Nothing leaves a simulated account for real: the id stands in for the transaction too.
      return { id, currency: req.currency, amount: req.amount, address: req.address, network: req.network, txId: id, status: 'ok', fee: 0 };
    },
    async setPrice(symbol: string, price: number | undefined) {
      alive();
      marketOf(symbol);
      if (price === undefined) {
        pinned.delete(symbol);
        // Back on the market: resting orders match from the candles that close from now on.
        if (timeline) matchedUpTo.set(symbol, timeline.closedCount(symbol));
        return;
      }
      if (!(price > 0) || !Number.isFinite(price)) throw new AppError('BAD_REQUEST', `price must be a positive number, got ${price}`);
      pinned.set(symbol, price);
      await sync();
    },
    marketState() {
      if (!timeline) return undefined;
      const t = timeline.state();
      return { seed: o.seed, timeframe: o.timeframe, ...(o.dataFile ? { dataFile: o.dataFile } : {}), startTs: t.startTs, position: t.position };
    },
    get resumed() {
      return resumed;
    },
    async close() {
      closed = true;
    },
  };
}

/** Read SIM_DATA and bring it to the configured timeframe (resampled when the file is finer). */
async function loadReplay(path: string, timeframe: string): Promise<Candles> {
  const { readCandleFile } = await import('../../files/candle-file-reader.ts');
  const candles = await readCandleFile(path);
  const fileTf = inferStepMs(candles);
  const tf = timeframeToMs(timeframe);
  if (fileTf === undefined || fileTf === tf) return candles;
  if (fileTf < tf && tf % fileTf === 0) return resample(candles, fileTf, tf);
  throw new AppError('BAD_REQUEST', `SIM_DATA holds ${fileTf / 60_000}-minute candles, which cannot make TIMEFRAME=${timeframe} candles`);
}
