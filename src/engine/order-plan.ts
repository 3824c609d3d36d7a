import type { OrderReport } from '../domain/orders.ts';

/** What to send: the risk gate's PlannedOrder fits, and so do manual orders. */
export interface OrderPlan {
  kind: 'entry' | 'exit';
  symbol: string;
  side: 'buy' | 'sell';
  positionSide?: 'long' | 'short';
  quantity: number;
  reduceOnly: boolean;
  stopLoss?: number;
  takeProfit?: number;
  reason: string;
  /** Default market. A limit order needs `price`. */
  type?: 'market' | 'limit';
  price?: number;
}

export type SubmitOutcome =
  | { kind: 'placed'; clientOrderId: string; report: OrderReport }
  /** `retryAt`: refused for now before anything was sent (rate-limit pause, IP ban); may be sent again from then. */
  | { kind: 'rejected'; clientOrderId: string; reason: string; retryAt?: number }
  | { kind: 'unknown'; clientOrderId: string; reason: string; retryAt?: number };
