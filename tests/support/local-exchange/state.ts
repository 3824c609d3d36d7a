import type { CandleRow } from '../../../src/domain/candles.ts';
import { CandleSeries } from './candles.ts';
import { FuturesBook } from './futures-book.ts';
import { DEFAULT_MARKETS, type LocalMarketSpec } from './markets.ts';
import { SpotBook } from './spot-book.ts';
import { WithdrawalDesk } from './withdrawals.ts';

export interface LocalExchangeStateOptions {
  markets?: readonly LocalMarketSpec[];
  /** Seed of the generated candle series. */
  seed?: number;
  /** Intervals of candle history before the server started (per interval). */
  historyCandles?: number;
  /** Spot balances (free) to start with. */
  spotBalances?: Record<string, number>;
  /** USDⓈ-M wallet balance (USDT). */
  futuresWallet?: number;
}

export const DEFAULT_SPOT_BALANCES: Readonly<Record<string, number>> = { USDT: 10_000, BTC: 0.5, ETH: 5, LTC: 50, SOL: 20 };

/**
 * Everything the local exchange knows: clock, prices, candle series, the spot account and the
 * USDⓈ-M account. Tests drive it directly (set a price, seed candles, read balances).
 */
export class ExchangeState {
  readonly markets: readonly LocalMarketSpec[];
  readonly spotMarkets: ReadonlyMap<string, LocalMarketSpec>;
  readonly linearMarkets: ReadonlyMap<string, LocalMarketSpec>;
  readonly spot: SpotBook;
  readonly futures: FuturesBook;
  readonly candles: CandleSeries;
  /** Wallet withdrawals (sapi capital/withdraw). */
  readonly withdrawals: WithdrawalDesk;
  /** Added to the real clock: lets a test move the exchange's time. */
  timeOffsetMs = 0;
  private readonly prices = new Map<string, number>();
  private readonly basePrices = new Map<string, number>();
  private idCounter = 1_000_000;

  constructor(options: LocalExchangeStateOptions = {}) {
    this.markets = options.markets ?? DEFAULT_MARKETS;
    this.spotMarkets = new Map(this.markets.filter((m) => m.kind === 'spot').map((m) => [m.id, m]));
    this.linearMarkets = new Map(this.markets.filter((m) => m.kind === 'linear').map((m) => [m.id, m]));
    for (const m of this.markets) {
      if (!this.prices.has(m.id)) {
        this.prices.set(m.id, m.initialPrice);
        this.basePrices.set(m.id, m.initialPrice);
      }
    }
    const now = () => this.now();
    const nextId = () => ++this.idCounter;
    const price = (id: string) => this.priceOf(id);
    this.spot = new SpotBook(this.spotMarkets, price, now, nextId);
    this.futures = new FuturesBook(this.linearMarkets, price, now, nextId, options.futuresWallet ?? 10_000);
    for (const [asset, free] of Object.entries(options.spotBalances ?? DEFAULT_SPOT_BALANCES)) this.spot.balance(asset).free = free;
    this.withdrawals = new WithdrawalDesk(this.spot, now);
    this.candles = new CandleSeries(options.seed ?? 42, Date.now(), options.historyCandles ?? 3000);
  }

  now(): number {
    return Date.now() + this.timeOffsetMs;
  }

  /** Accepts a unified symbol (`BTC/USDT`, `BTC/USDT:USDT`) or a Binance id (`BTCUSDT`). */
  static idOf(symbol: string): string {
    if (!symbol.includes('/')) return symbol;
    const [pair] = symbol.split(':');
    return pair!.replace('/', '');
  }

  priceOf(symbolOrId: string): number {
    const p = this.prices.get(ExchangeState.idOf(symbolOrId));
    if (p === undefined) throw new Error(`local exchange: no market ${symbolOrId}`);
    return p;
  }

  /** Scale of the generated candles (the market's initial price). */
  basePrice(id: string): number {
    return this.basePrices.get(id) ?? this.priceOf(id);
  }

  /** Move the price of a market (spot and USDⓈ-M share it); resting limit orders that cross fill. */
  setPrice(symbolOrId: string, price: number): void {
    const id = ExchangeState.idOf(symbolOrId);
    if (!this.prices.has(id)) throw new Error(`local exchange: no market ${symbolOrId}`);
    this.prices.set(id, price);
    this.spot.match(id, price);
    this.futures.match(id, price);
  }

  /** Replace the candle series of a symbol/interval with exactly these rows. */
  setCandles(symbolOrId: string, interval: string, rows: readonly CandleRow[]): void {
    this.candles.set(ExchangeState.idOf(symbolOrId), interval, rows);
  }

  /** Free + locked spot balance of an asset. */
  spotTotal(asset: string): number {
    const b = this.spot.balance(asset);
    return b.free + b.locked;
  }
}
