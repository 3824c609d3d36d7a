import type { Exchange, Order, Trade } from 'ccxt';
import type { Logger } from 'pino';
import type { Candles } from '../../domain/candles.ts';
import { AppError } from '../../domain/errors.ts';
import type { MarketInfo } from '../../domain/market.ts';
import { isTerminal, type Fill, type OrderReport, type OrderRequest } from '../../domain/orders.ts';
import { ExecutionError, type Balance, type Execution, type VenuePosition, type WithdrawalReport, type WithdrawalRequest } from '../../ports/execution.ts';
import type { MarketData } from '../../ports/market-data.ts';
import { assertCapabilities, type TradingMode } from './capabilities.ts';
import { createCcxtClient, type MarketType } from './ccxt-client.ts';
import { fetchClosedCandles } from './closed-candles.ts';
import { ErrorMapper } from './error-mapping.ts';
import { marketMatchesType, toBalances, toFill, toMarketInfo, toOrderReport } from './market-mapping.ts';
import { OrderRateBudget, defaultOrderRateBudget, type OrderRateBudgetOptions } from './order-rate-budget.ts';
import { RequestGate, gateRequests } from './request-gate.ts';
import { defaultRetryPolicy, withReadRetries, type RetryPolicy } from './read-retry.ts';

export interface CcxtExchangeOptions {
  /** ccxt exchange id (EXCHANGE), e.g. binance. */
  exchangeId: string;
  apiKey?: string;
  secret?: string;
  password?: string;
  marketType: MarketType;
  /** Use the venue's testnet (setSandboxMode) or, for Binance futures, its demo environment. */
  sandbox: boolean;
  /** EXCHANGE_URL: a proxy or test exchange that replaces scheme+host of every REST URL. */
  baseUrl?: string;
  /** Swap markets: leverage is never set above this. */
  maxLeverage: number;
  logger: Logger;
  /** Order placement budget; defaults per exchange (binance: 10/s, 100k/day, wait ≤ 5 s). */
  orderRateBudget?: Partial<Pick<OrderRateBudgetOptions, 'perSecond' | 'perDay' | 'maxWaitMs' | 'burst'>>;
  /** Read retries (tests inject `sleep`); default backoff 1/2/5/10 s. */
  retry?: Partial<RetryPolicy>;
  timeoutMs?: number;
  /** ccxt's request-weight throttling (default on). */
  enableRateLimit?: boolean;
  /** Clock (UTC ms), for the order budget and retryAt. */
  now?: () => number;
  /** Trades per fetchMyTrades page (default 1000, Binance's most). */
  tradePageSize?: number;
  /** The exchange-wide pause on 429/418 (tests inject an instant sleep). */
  requestGate?: { maxWaitMs?: number; sleep?: (ms: number) => Promise<void> };
}

/** The ccxt adapter: market data and execution for one exchange and market type. */
export interface CcxtExchange extends MarketData, Execution {
  readonly exchangeId: string;
  readonly marketType: MarketType;
  readonly environment: 'production' | 'sandbox' | 'demo';
  /** Throws AppError listing every ccxt capability (and credential) the mode needs but lacks. */
  checkCapabilities(mode: TradingMode): void;
  /** Every REST request passes this gate: 429/418 pause all of them; latency p50/p99. */
  readonly access: RequestGate;
  /** Swap only: set leverage for a symbol, capped at maxLeverage; returns the leverage applied. */
  setLeverage(symbol: string, leverage: number): Promise<number>;
  close(): Promise<void>;
}

/** Pages fetchMyTrades reads at most per call. */
const MAX_TRADE_PAGES = 20;
/** Distinct unknown order ids fetchMyTrades will resolve to clientOrderIds per call. */
const MAX_ORDER_LOOKUPS = 50;

class CcxtExchangeAdapter implements CcxtExchange {
  readonly exchangeId: string;
  readonly marketType: MarketType;
  fetchOpenInterest?: (symbol: string) => Promise<number | undefined>;
  private markets: Map<string, MarketInfo> | undefined;
  private loadingMarkets: Promise<Map<string, MarketInfo>> | undefined;
  private readonly clientIdByOrderId = new Map<string, string>();
  private readonly leverageBySymbol = new Map<string, number>();
  private readonly now: () => number;

  constructor(
    private readonly ex: Exchange,
    readonly environment: 'production' | 'sandbox' | 'demo',
    private readonly mapper: ErrorMapper,
    private readonly policy: RetryPolicy,
    private readonly budget: OrderRateBudget,
    private readonly log: Logger,
    private readonly o: CcxtExchangeOptions,
    readonly access: RequestGate,
  ) {
    this.exchangeId = o.exchangeId;
    this.marketType = o.marketType;
    this.now = o.now ?? Date.now;
    if (o.marketType === 'swap' && this.has('fetchOpenInterest')) {
      this.fetchOpenInterest = async (symbol) => {
        await this.ensureMarket(symbol);
        const oi = await this.read('fetchOpenInterest', () => this.ex.fetchOpenInterest(symbol));
        const amount = oi.openInterestAmount;
        return typeof amount === 'number' && Number.isFinite(amount) ? amount : undefined;
      };
    }
  }

  private has(capability: string): boolean {
    const v = (this.ex.has as Record<string, unknown>)[capability];
    return v === true || v === 'emulated';
  }

  private read<T>(op: string, fn: () => Promise<T>, onNotFound?: () => T | Promise<T>): Promise<T> {
    return withReadRetries({ op, mapper: this.mapper, policy: this.policy, logger: this.log }, fn, onNotFound);
  }

  checkCapabilities(mode: TradingMode): void {
    const required = (this.ex.requiredCredentials ?? {}) as Record<string, boolean>;
    const values: Record<string, unknown> = { apiKey: this.o.apiKey, secret: this.o.secret, password: this.o.password };
    // Credentials tradeops cannot supply (uid, privateKey, walletAddress, …) count as missing too.
    const missingCredentials = Object.keys(required).filter((k) => required[k] === true && !values[k]);
    assertCapabilities({ exchangeId: this.exchangeId, has: this.ex.has as Record<string, unknown>, marketType: this.marketType, mode, missingCredentials });
  }

  async loadMarkets(): Promise<ReadonlyMap<string, MarketInfo>> {
    if (this.markets) return this.markets;
    this.loadingMarkets ??= this.read('loadMarkets', () => this.ex.loadMarkets())
      .then((all) => {
        const map = new Map<string, MarketInfo>();
        for (const m of Object.values(all)) {
          if (!m || !marketMatchesType(m, this.marketType)) continue;
          const info = toMarketInfo(m, this.ex.precisionMode ?? 4);
          if (info) map.set(info.symbol, info);
        }
        this.markets = map;
        return map;
      })
      .finally(() => {
        this.loadingMarkets = undefined;
      });
    return this.loadingMarkets;
  }

  market(symbol: string): MarketInfo | undefined {
    return this.markets?.get(symbol);
  }

  private async ensureMarket(symbol: string): Promise<MarketInfo> {
    const markets = await this.loadMarkets();
    const m = markets.get(symbol);
    if (!m) throw new ExecutionError('rejected', `${this.exchangeId}: no ${this.marketType} market "${symbol}" (symbols look like ${this.marketType === 'spot' ? 'BTC/USDT' : 'BTC/USDT:USDT'})`);
    return m;
  }

  /** The venue's clock, so "closed" means closed at the exchange even when our clock drifts. */
  private async venueNow(): Promise<number> {
    if (!this.has('fetchTime')) return this.now();
    const t = await this.read('fetchTime', () => this.ex.fetchTime());
    return typeof t === 'number' && t > 0 ? t : this.now();
  }

  private ohlcvPageLimit(): number {
    const features = (this.ex as unknown as { features?: Record<string, any> }).features;
    const section = this.marketType === 'spot' ? features?.spot : (features?.swap?.linear ?? features?.swap);
    const limit = section?.fetchOHLCV?.limit;
    return typeof limit === 'number' && limit > 0 ? limit : 500;
  }

  async fetchCandles(symbol: string, timeframe: string, since: number | undefined, limit: number): Promise<Candles> {
    await this.ensureMarket(symbol);
    const now = await this.venueNow();
    return fetchClosedCandles({ timeframe, since, limit, now, pageLimit: this.ohlcvPageLimit() }, (from, pageLimit) =>
      this.read('fetchCandles', () => this.ex.fetchOHLCV(symbol, timeframe, from, pageLimit)),
    );
  }

  async fetchPrice(symbol: string): Promise<number> {
    await this.ensureMarket(symbol);
    const t = await this.read('fetchPrice', () => this.ex.fetchTicker(symbol));
    const mid = t.bid && t.ask ? (t.bid + t.ask) / 2 : undefined;
    const price = t.last ?? t.close ?? mid;
    if (typeof price !== 'number' || !(price > 0)) throw new ExecutionError('retryable', `${this.exchangeId} fetchPrice: the ticker of ${symbol} has no price`);
    return price;
  }

  async setLeverage(symbol: string, leverage: number): Promise<number> {
    if (this.marketType !== 'swap' || !this.has('setLeverage')) {
      throw new ExecutionError('unsupported', `${this.exchangeId}: leverage applies to swap markets on exchanges that support setLeverage`);
    }
    await this.ensureMarket(symbol);
    const applied = Math.max(1, Math.min(Math.floor(leverage), this.o.maxLeverage));
    if (applied !== leverage) this.log.warn({ symbol, requested: leverage, applied, maxLeverage: this.o.maxLeverage }, 'leverage capped');
    await this.read('setLeverage', () => this.ex.setLeverage(applied, symbol));
    this.leverageBySymbol.set(symbol, applied);
    return applied;
  }

  async placeOrder(req: OrderRequest): Promise<OrderReport> {
    await this.ensureMarket(req.symbol);
    let amount: number;
    let price: number | undefined;
    try {
      amount = Number(this.ex.amountToPrecision(req.symbol, req.amount));
      if (req.type === 'limit') {
        if (req.price === undefined) throw new ExecutionError('rejected', `${this.exchangeId} placeOrder: a limit order needs a price`);
        price = Number(this.ex.priceToPrecision(req.symbol, req.price));
      }
    } catch (err) {
      throw this.mapper.map(err, 'placeOrder', 'read');
    }
    if (!(amount > 0)) throw new ExecutionError('rejected', `${this.exchangeId} placeOrder: amount ${req.amount} rounds to 0 for ${req.symbol}`);
    // Venue leverage defaults (binance: 20x) may exceed our cap: set it before the first order.
    if (this.marketType === 'swap' && !this.leverageBySymbol.has(req.symbol) && this.has('setLeverage')) await this.setLeverage(req.symbol, this.o.maxLeverage);
    await this.budget.take();
    const params: Record<string, unknown> = { clientOrderId: req.clientOrderId };
    if (req.reduceOnly && this.marketType === 'swap') params.reduceOnly = true;
    let order: Order;
    try {
      // Never retried: a lost answer must be settled by fetchOrder(clientOrderId), not by a resend.
      order = await this.ex.createOrder(req.symbol, req.type, req.side, amount, price, params);
    } catch (err) {
      const mapped = this.mapper.map(err, 'placeOrder', 'create');
      const kind = mapped instanceof ExecutionError ? mapped.kind : 'error';
      this.log[kind === 'rejected' ? 'warn' : 'error']({ clientOrderId: req.clientOrderId, symbol: req.symbol, kind, error: mapped.message }, 'order placement failed');
      throw mapped;
    }
    this.remember(order, req.clientOrderId);
    this.log.debug({ clientOrderId: req.clientOrderId, symbol: req.symbol, status: order.status }, 'order placed');
    return this.withFills(order, req.clientOrderId, req.symbol);
  }

  async cancelOrder(clientOrderId: string, symbol: string): Promise<OrderReport> {
    await this.ensureMarket(symbol);
    const op = 'cancelOrder';
    const cancelled = await this.read<Order | undefined>(
      op,
      () => this.ex.cancelOrder(undefined as unknown as string, symbol, { clientOrderId }),
      () => undefined,
    );
    if (cancelled) return toOrderReport(cancelled, clientOrderId, this.now());
    // Unknown to the venue as an open order: already filled/canceled (e.g. a retried cancel), or never existed.
    const existing = await this.fetchOrder(clientOrderId, symbol);
    if (existing && isTerminal(existing.status)) return existing;
    throw new ExecutionError('rejected', `${this.exchangeId} ${op}: no open order ${clientOrderId} on ${symbol}`);
  }

  async fetchOrder(clientOrderId: string, symbol: string): Promise<OrderReport | undefined> {
    await this.ensureMarket(symbol);
    const order = await this.read<Order | undefined>(
      'fetchOrder',
      () => this.ex.fetchOrder(undefined as unknown as string, symbol, { clientOrderId }),
      () => undefined,
    );
    if (!order) return undefined;
    this.remember(order, clientOrderId);
    return this.withFills(order, clientOrderId, symbol);
  }

  async fetchOpenOrders(symbol?: string): Promise<OrderReport[]> {
    if (symbol !== undefined) await this.ensureMarket(symbol);
    const orders = await this.read('fetchOpenOrders', () => this.ex.fetchOpenOrders(symbol));
    return orders.map((o) => {
      this.remember(o, o.clientOrderId ?? undefined);
      return toOrderReport(o, o.clientOrderId ?? undefined, this.now());
    });
  }

  async fetchBalances(): Promise<Record<string, Balance>> {
    return toBalances(await this.read('fetchBalances', () => this.ex.fetchBalance()));
  }

  /** Open swap positions of `symbols`, signed (one-way mode: ccxt's `contracts` with its `side`). */
  async fetchPositions(symbols: readonly string[]): Promise<VenuePosition[]> {
    if (this.marketType !== 'swap' || !this.has('fetchPositions')) {
      throw new ExecutionError('unsupported', `${this.exchangeId}: positions are read on swap markets of exchanges that support fetchPositions`);
    }
    for (const s of symbols) await this.ensureMarket(s);
    const wanted = new Set(symbols);
    const positions = await this.read('fetchPositions', () => this.ex.fetchPositions([...symbols]));
    return positions
      .filter((p) => typeof p.symbol === 'string' && wanted.has(p.symbol) && Number(p.contracts ?? 0) !== 0)
      .map((p) => {
        const contracts = Math.abs(Number(p.contracts));
        return { symbol: String(p.symbol), quantity: p.side === 'short' ? -contracts : contracts, entryPrice: typeof p.entryPrice === 'number' ? p.entryPrice : undefined };
      });
  }

  async fetchMyTrades(symbol: string, since?: number): Promise<Fill[]> {
    await this.ensureMarket(symbol);
    // From `since`: page forward (Binance answers at most 1000 trades a call) so reconciliation sees them all.
    const pageSize = this.o.tradePageSize ?? 1000;
    const trades: Trade[] = [];
    const seen = new Set<string>();
    let cursor = since;
    for (let page = 0; page < MAX_TRADE_PAGES; page++) {
      const from = cursor;
      const batch = await this.read('fetchMyTrades', () => this.ex.fetchMyTrades(symbol, from, from === undefined ? undefined : pageSize));
      for (const t of batch) if (!seen.has(String(t.id))) (seen.add(String(t.id)), trades.push(t));
      const last = batch.at(-1)?.timestamp;
      if (from === undefined || batch.length < pageSize || typeof last !== 'number' || last < from) break;
      cursor = last === from ? last + 1 : last;
    }
    // Binance trade lists carry the order id only: map it to our clientOrderId (cache, then lookup).
    const unknown = [...new Set(trades.map((t) => String(t.order ?? '')).filter((id) => id !== '' && !this.clientIdByOrderId.has(id)))];
    for (const id of unknown.slice(0, MAX_ORDER_LOOKUPS)) {
      const o = await this.read<Order | undefined>('fetchMyTrades.order', () => this.ex.fetchOrder(id, symbol), () => undefined);
      if (o) this.remember(o, o.clientOrderId ?? undefined);
    }
    return trades.map((t) => toFill(t, this.clientIdByOrderId.get(String(t.order ?? '')) ?? '', this.now()));
  }

  async withdraw(req: WithdrawalRequest): Promise<WithdrawalReport> {
    if (!this.has('withdraw')) throw new ExecutionError('unsupported', `${this.exchangeId} has no withdraw in ccxt`);
    let tx: { id?: string | null; currency?: string | null; amount?: number | null; address?: string | null; txid?: string | null; status?: string | null; fee?: { cost?: number | null } | null };
    try {
      // Never retried (like an order): a lost answer may still have moved the money.
      tx = await this.ex.withdraw(req.currency, req.amount, req.address, req.tag, req.network ? { network: req.network } : {});
    } catch (err) {
      const mapped = this.mapper.map(err, 'withdraw', 'create');
      this.log.error({ currency: req.currency, amount: req.amount, network: req.network, error: mapped.message }, 'withdrawal failed');
      throw mapped;
    }
    const status = tx.status === 'ok' ? 'ok' : tx.status === 'failed' || tx.status === 'canceled' ? 'failed' : 'pending';
    this.log.info({ id: tx.id, currency: req.currency, amount: req.amount, network: req.network, status }, 'withdrawal requested');
    return {
      id: String(tx.id ?? ''),
      currency: tx.currency ?? req.currency,
      amount: typeof tx.amount === 'number' ? tx.amount : req.amount,
      address: tx.address ?? req.address,
      network: req.network,
      txId: tx.txid ?? undefined,
      status,
      fee: typeof tx.fee?.cost === 'number' ? tx.fee.cost : undefined,
    };
  }

  async close(): Promise<void> {
    const closable = this.ex as unknown as { close?: () => Promise<unknown> };
    if (typeof closable.close === 'function') await closable.close();
  }

  private remember(order: Order, clientOrderId: string | undefined): void {
    if (order.id && clientOrderId) this.clientIdByOrderId.set(String(order.id), clientOrderId);
  }

  /** Venues whose order answers carry no fills (binance futures, order queries): fetch the order's trades. */
  private async withFills(order: Order, clientOrderId: string, symbol: string): Promise<OrderReport> {
    const report = toOrderReport(order, clientOrderId, this.now());
    if (report.filled <= 0 || report.fills.length > 0 || !order.id) return report;
    try {
      return toOrderReport(order, clientOrderId, this.now(), await this.orderTrades(String(order.id), symbol, report.ts));
    } catch (err) {
      this.log.warn({ clientOrderId, symbol, error: err instanceof Error ? err.message : String(err) }, 'could not fetch the fills of an order; reporting it without fills');
      return report;
    }
  }

  /** fetchOrderTrades where the venue has it (binance: spot only), else the account's trades since the order, filtered. */
  private async orderTrades(orderId: string, symbol: string, orderTs: number): Promise<Trade[]> {
    if (this.has('fetchOrderTrades')) {
      try {
        return await this.read('fetchOrderTrades', () => this.ex.fetchOrderTrades(orderId, symbol));
      } catch (err) {
        if (!(err instanceof ExecutionError && err.kind === 'unsupported')) throw err;
      }
    }
    // A little before the order's time: venue clocks and order/trade timestamps differ by a few ms.
    const trades = await this.read('fetchMyTrades', () => this.ex.fetchMyTrades(symbol, orderTs - 60_000));
    return trades.filter((t) => String(t.order ?? '') === orderId);
  }
}

/**
 * Create the ccxt adapter. Loads ccxt on first use (dynamic import). Markets are loaded lazily by
 * `loadMarkets()` (or the first call that needs them); `market()` answers from that cache.
 */
export async function createCcxtExchange(options: CcxtExchangeOptions): Promise<CcxtExchange> {
  if (!(options.maxLeverage >= 1)) throw new AppError('BAD_REQUEST', `maxLeverage must be at least 1 (got ${options.maxLeverage})`);
  const now = options.now ?? Date.now;
  const client = await createCcxtClient(options, now);
  const mapper = new ErrorMapper({ exchangeId: options.exchangeId, classes: client.classes, secrets: [options.apiKey, options.secret, options.password], now });
  const policy = defaultRetryPolicy(options.retry);
  const access = new RequestGate({ exchangeId: options.exchangeId, now, ...options.requestGate });
  gateRequests(client.exchange, access, (err) => mapper.classify(err));
  // A rate given without a burst means that rate as the burst too (the default burst fits the default rate only).
  const given = options.orderRateBudget;
  const burst = given?.burst ?? (given?.perSecond !== undefined ? given.perSecond : undefined);
  const budget = new OrderRateBudget({ ...defaultOrderRateBudget(options.exchangeId), ...given, ...(burst !== undefined ? { burst } : {}), now, sleep: policy.sleep });
  // The composition root names the component; the adapter adds which venue and market.
  const log = options.logger.child({ exchange: options.exchangeId, marketType: options.marketType });
  log.info({ environment: client.environment, proxied: options.baseUrl !== undefined }, 'exchange adapter ready');
  return new CcxtExchangeAdapter(client.exchange, client.environment, mapper, policy, budget, log, options, access);
}
