import { ExecutionError } from '../../ports/execution.ts';

/**
 * Venues count orders separately from request weight (Binance spot: 100 orders / 10 s and a daily
 * cap; breaking them answers 429 and, repeated, an IP ban). ccxt's `enableRateLimit` only spaces
 * requests by weight, so order placement takes a token from this budget first: a short burst waits,
 * a sustained flood is refused with a clear reason instead of getting the account banned.
 */
export interface OrderRateBudgetOptions {
  /** Sustained orders per second (token refill rate). */
  perSecond: number;
  /**
   * Orders that may leave at once (bucket size; default `perSecond`). With the refill it must fit the
   * venue's window: burst + 10 × perSecond ≤ Binance spot's 100 orders per 10 s. A kill-all sends one
   * close per symbol at the same moment, so the burst is what lets 20 closes go out together.
   */
  burst?: number;
  /** Orders per UTC day. */
  perDay: number;
  /** Longest a placeOrder may wait for a token before it is refused. */
  maxWaitMs: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

const DAY_MS = 86_400_000;

/** Defaults per ccxt exchange id (conservative against each venue's documented order limits). */
export const DEFAULT_ORDER_RATE_BUDGETS: Readonly<Record<string, Pick<OrderRateBudgetOptions, 'perSecond' | 'perDay' | 'burst'>>> = {
  // Spot: 100 orders / 10 s → 50 at once, then 5 a second (50 + 10 × 5 = 100 in any 10 s).
  binance: { perSecond: 5, burst: 50, perDay: 100_000 },
  // USDⓈ-M / COIN-M: 300 orders / 10 s → 50 + 10 × 10 = 150 in any 10 s.
  binanceusdm: { perSecond: 10, burst: 50, perDay: 100_000 },
  binancecoinm: { perSecond: 10, burst: 50, perDay: 100_000 },
  bybit: { perSecond: 10, perDay: 100_000 },
  okx: { perSecond: 10, perDay: 100_000 },
  default: { perSecond: 5, perDay: 50_000 },
};

export function defaultOrderRateBudget(exchangeId: string): OrderRateBudgetOptions {
  const base = DEFAULT_ORDER_RATE_BUDGETS[exchangeId] ?? DEFAULT_ORDER_RATE_BUDGETS.default!;
  return { ...base, maxWaitMs: 5_000 };
}

/** Token bucket (per second) plus a per-UTC-day counter. */
export class OrderRateBudget {
  private tokens: number;
  private lastRefill: number;
  private day: number;
  private dayCount = 0;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly options: OrderRateBudgetOptions) {
    if (!(options.perSecond > 0) || !(options.perDay > 0)) throw new RangeError('order rate budget needs perSecond > 0 and perDay > 0');
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    this.tokens = options.burst ?? options.perSecond;
    this.lastRefill = this.now();
    this.day = Math.floor(this.lastRefill / DAY_MS);
  }

  /**
   * Take one order slot: resolves at once, or after a wait of at most `maxWaitMs`; otherwise throws
   * ExecutionError('rejected') with `retryAt`. Concurrent callers queue in call order, because a taken
   * token is debited immediately (the bucket may go negative while they wait).
   */
  async take(): Promise<void> {
    const now = this.now();
    const today = Math.floor(now / DAY_MS);
    if (today !== this.day) {
      this.day = today;
      this.dayCount = 0;
    }
    if (this.dayCount >= this.options.perDay) {
      const retryAt = (today + 1) * DAY_MS;
      throw new ExecutionError('rejected', `order rate budget exhausted: ${this.options.perDay} orders per UTC day already sent; next slot ${new Date(retryAt).toISOString()}`, { retryAt });
    }
    const rate = this.options.perSecond / 1000;
    this.tokens = Math.min(this.options.burst ?? this.options.perSecond, this.tokens + (now - this.lastRefill) * rate);
    this.lastRefill = now;
    this.tokens -= 1;
    const waitMs = this.tokens >= 0 ? 0 : Math.ceil(-this.tokens / rate);
    if (waitMs > this.options.maxWaitMs) {
      this.tokens += 1;
      throw new ExecutionError(
        'rejected',
        `order rate budget exhausted: more than ${this.options.perSecond} orders per second (a slot frees in ${waitMs} ms, longer than the ${this.options.maxWaitMs} ms allowed to wait)`,
        { retryAt: now + waitMs },
      );
    }
    this.dayCount += 1;
    if (waitMs > 0) await this.sleep(waitMs);
  }

  /** Orders counted today (UTC). */
  usedToday(): number {
    return Math.floor(this.now() / DAY_MS) === this.day ? this.dayCount : 0;
  }
}
