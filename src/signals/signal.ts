/** What a signal asks for, after aliases are resolved and values checked. */
export type SignalAction = 'buy' | 'sell' | 'close' | 'close_all';

export interface Signal {
  /** Idempotency key: the sender's `id`, or a hash of the raw body when it sent none. */
  id: string;
  /** Sender time (epoch ms) when given. */
  time?: number;
  /** Tag of the sender's strategy (audit and alerts only). */
  strategy?: string;
  /** Exchange symbol (BTC/USDT); absent only for close_all. */
  symbol?: string;
  action: SignalAction;
  /** Quote-currency amount to commit. */
  amount?: number;
  /** Percent of equity to commit (0 < p ≤ 100). */
  percent?: number;
  /** Base-currency quantity (3Commas `currency_type: base`), turned into a quote amount at the price. */
  baseAmount?: number;
  price?: number;
  stopLoss?: number;
  takeProfit?: number;
  /** Seconds of lag this signal tolerates (never more than SIGNAL_MAX_LAG). */
  maxLag?: number;
}

/** A refusal of the HTTP intake: status, a machine-readable reason and the field at fault. */
export class SignalRefusal extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 409 | 413 | 429 | 503,
    readonly reason: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'SignalRefusal';
  }
}
