import { AppError } from './errors.ts';

export type OrderSide = 'buy' | 'sell';
export type OrderType = 'market' | 'limit';

/**
 * Order lifecycle as tradeops tracks it. `pending` is written to the database *before* the request
 * leaves (write-ahead); `unknown` means the request may or may not have reached the venue and must be
 * settled by looking the order up by clientOrderId before anything is resent.
 */
export type OrderStatus =
  | 'pending'
  | 'submitted'
  | 'unknown'
  | 'open'
  | 'partially_filled'
  | 'filled'
  | 'canceled'
  | 'rejected'
  | 'expired'
  | 'denied';

const TRANSITIONS: Record<OrderStatus, readonly OrderStatus[]> = {
  pending: ['submitted', 'unknown', 'open', 'partially_filled', 'filled', 'rejected', 'denied', 'canceled', 'expired'],
  submitted: ['open', 'partially_filled', 'filled', 'canceled', 'rejected', 'expired', 'unknown'],
  unknown: ['open', 'partially_filled', 'filled', 'canceled', 'rejected', 'expired'],
  open: ['partially_filled', 'filled', 'canceled', 'expired'],
  partially_filled: ['partially_filled', 'filled', 'canceled', 'expired'],
  filled: [],
  canceled: [],
  rejected: [],
  expired: [],
  denied: [],
};

export const TERMINAL_STATUSES: readonly OrderStatus[] = ['filled', 'canceled', 'rejected', 'expired', 'denied'];

export function isTerminal(status: OrderStatus): boolean {
  return TERMINAL_STATUSES.includes(status);
}

export function canTransition(from: OrderStatus, to: OrderStatus): boolean {
  if (from === to && !isTerminal(from)) return true;
  return TRANSITIONS[from].includes(to);
}

/** An illegal transition is a bug in tradeops, never a user error: it throws. */
export function assertTransition(from: OrderStatus, to: OrderStatus): void {
  if (!canTransition(from, to)) {
    throw new AppError('INTERNAL', `illegal order transition ${from} → ${to}`);
  }
}

/** What the engine asks an execution venue to do. Amounts/prices are already rounded to the market. */
export interface OrderRequest {
  clientOrderId: string;
  symbol: string;
  side: OrderSide;
  type: OrderType;
  amount: number;
  price?: number;
  reduceOnly?: boolean;
}

export interface Fill {
  tradeId: string;
  clientOrderId: string;
  symbol: string;
  side: OrderSide;
  price: number;
  amount: number;
  fee: number;
  feeCurrency: string;
  ts: number;
  liquidity?: 'maker' | 'taker';
}

/** The venue's view of one order. */
export interface OrderReport {
  clientOrderId: string;
  exchangeOrderId: string;
  symbol: string;
  side: OrderSide;
  type: OrderType;
  status: Exclude<OrderStatus, 'pending' | 'submitted' | 'unknown' | 'denied'>;
  amount: number;
  filled: number;
  price?: number;
  avgPrice?: number;
  fee: number;
  feeCurrency?: string;
  fills: Fill[];
  ts: number;
  reason?: string;
}

/** Characters Binance (the strictest common venue) allows in a clientOrderId, 36 at most. */
export const CLIENT_ORDER_ID_PATTERN = /^[.A-Za-z0-9:/_-]{1,36}$/;

/** Unique, venue-safe clientOrderId: prefix + base36 time + random. */
export function newClientOrderId(prefix = 'to', now = Date.now(), random: () => number = Math.random): string {
  const rnd = Math.floor(random() * 36 ** 8).toString(36).padStart(8, '0');
  return `${prefix}-${now.toString(36)}-${rnd}`;
}
