/**
 * ccxt structures → tradeops domain types. Only this folder sees ccxt's shapes; the engine gets
 * MarketInfo, OrderReport, Fill and Balance.
 */
import type { Balances, Market, Order, Trade } from 'ccxt';
import type { MarketInfo } from '../../domain/market.ts';
import type { Fill, OrderReport, OrderSide, OrderType } from '../../domain/orders.ts';
import type { Balance } from '../../ports/execution.ts';

/** ccxt precision modes (ccxt exports them as TICK_SIZE = 4, DECIMAL_PLACES = 2, SIGNIFICANT_DIGITS = 3). */
export const PRECISION_MODE = { DECIMAL_PLACES: 2, SIGNIFICANT_DIGITS: 3, TICK_SIZE: 4 } as const;

/** Step implied by a ccxt precision value; 0 when it cannot be known (significant digits). */
export function precisionToStep(precision: number | undefined, precisionMode: number): number {
  if (precision === undefined || precision === null || !Number.isFinite(precision)) return 0;
  if (precisionMode === PRECISION_MODE.TICK_SIZE) return precision;
  if (precisionMode === PRECISION_MODE.DECIMAL_PLACES) return 10 ** -precision;
  return 0;
}

const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/** A ccxt market → MarketInfo; undefined for types tradeops does not trade (futures, options, inverse). */
export function toMarketInfo(m: Market, precisionMode: number): MarketInfo | undefined {
  if (!m || (m.type !== 'spot' && m.type !== 'swap')) return undefined;
  const amountStep = precisionToStep(num(m.precision?.amount), precisionMode);
  const priceStep = precisionToStep(num(m.precision?.price), precisionMode);
  return {
    symbol: m.symbol,
    base: m.base,
    quote: m.quote,
    type: m.type,
    amountStep,
    priceStep,
    minAmount: num(m.limits?.amount?.min) ?? amountStep,
    minNotional: num(m.limits?.cost?.min) ?? 0,
    contractSize: m.type === 'swap' ? (num(m.contractSize) ?? 1) : 1,
    makerFee: num(m.maker) ?? 0,
    takerFee: num(m.taker) ?? 0,
  };
}

/** Should a loaded market be offered for the configured market type? Swaps: linear USDT perpetuals only. */
export function marketMatchesType(m: Market, marketType: 'spot' | 'swap'): boolean {
  if (!m || m.active === false) return false;
  if (marketType === 'spot') return m.type === 'spot';
  return m.type === 'swap' && m.linear === true && m.settle === 'USDT';
}

type CcxtFee = { cost?: number; currency?: string } | undefined;

/** Sum the fees in one currency (the first one seen); mixed-currency fees keep only that one. */
function sumFees(fees: readonly CcxtFee[]): { fee: number; currency?: string } {
  let currency: string | undefined;
  let fee = 0;
  for (const f of fees) {
    if (!f || num(f.cost) === undefined || !f.currency) continue;
    currency ??= f.currency;
    if (f.currency === currency) fee += f.cost!;
  }
  return { fee, currency };
}

function orderFees(o: Order): CcxtFee[] {
  const list = (o as Order & { fees?: CcxtFee[] }).fees;
  if (Array.isArray(list) && list.length > 0) return list;
  return o.fee ? [o.fee as CcxtFee] : [];
}

/** A ccxt trade → Fill for the order `clientOrderId`; fees summed in one currency. */
export function toFill(t: Trade, clientOrderId: string, fallbackTs: number): Fill {
  const fees = (t as Trade & { fees?: CcxtFee[] }).fees;
  const { fee, currency } = sumFees(Array.isArray(fees) && fees.length > 0 ? fees : [t.fee as CcxtFee]);
  const fill: Fill = {
    tradeId: String(t.id ?? ''),
    clientOrderId,
    symbol: String(t.symbol ?? ''),
    side: t.side === 'sell' ? 'sell' : 'buy',
    price: num(t.price) ?? 0,
    amount: num(t.amount) ?? 0,
    fee,
    feeCurrency: currency ?? '',
    ts: num(t.timestamp) ?? fallbackTs,
  };
  if (t.takerOrMaker === 'maker' || t.takerOrMaker === 'taker') fill.liquidity = t.takerOrMaker;
  return fill;
}

function toStatus(o: Order): OrderReport['status'] {
  const filled = num(o.filled) ?? 0;
  switch (o.status) {
    case 'closed':
      return 'filled';
    case 'canceled':
    case 'cancelled':
      return 'canceled';
    case 'expired':
      return 'expired';
    case 'rejected':
      return 'rejected';
    default:
      return filled > 0 ? 'partially_filled' : 'open';
  }
}

/**
 * A ccxt order → OrderReport. `clientOrderId` is the id tradeops gave the order: venues answer a
 * cancel with the cancel request's own id, and some omit it, so the caller's value wins when known.
 * `trades`, when given, replaces the order's embedded trades (venues whose order answer has no fills).
 */
export function toOrderReport(o: Order, clientOrderId: string | undefined, now: number, trades?: readonly Trade[]): OrderReport {
  const cid = clientOrderId ?? String(o.clientOrderId ?? '');
  const ts = num(o.timestamp) ?? num(o.lastUpdateTimestamp) ?? now;
  const fills = (trades ?? o.trades ?? []).map((t) => toFill({ ...t, symbol: t.symbol ?? o.symbol, side: t.side ?? o.side }, cid, ts));
  const fromOrder = sumFees(orderFees(o));
  const fromFills = sumFees(fills.map((f) => ({ cost: f.fee, currency: f.feeCurrency })));
  const { fee, currency } = fromOrder.currency !== undefined ? fromOrder : fromFills;
  const filled = num(o.filled) ?? 0;
  const type: OrderType = o.type === 'market' ? 'market' : 'limit';
  const side: OrderSide = o.side === 'sell' ? 'sell' : 'buy';
  const report: OrderReport = {
    clientOrderId: cid,
    exchangeOrderId: String(o.id ?? ''),
    symbol: String(o.symbol ?? ''),
    side,
    type,
    status: toStatus(o),
    amount: num(o.amount) ?? filled,
    filled,
    fee,
    fills,
    ts,
  };
  const price = num(o.price);
  if (type === 'limit' && price !== undefined && price > 0) report.price = price;
  const average = num(o.average) ?? (filled > 0 && num(o.cost) !== undefined ? o.cost! / filled : undefined);
  if (average !== undefined && average > 0) report.avgPrice = average;
  if (currency !== undefined) report.feeCurrency = currency;
  return report;
}

/** ccxt balances → `{ CODE: { free, used, total } }`, dropping ccxt's aggregate keys. */
export function toBalances(b: Balances): Record<string, Balance> {
  const out: Record<string, Balance> = {};
  const skip = new Set(['info', 'free', 'used', 'total', 'timestamp', 'datetime', 'debt']);
  for (const [code, value] of Object.entries(b)) {
    if (skip.has(code) || value === null || typeof value !== 'object') continue;
    const v = value as { free?: unknown; used?: unknown; total?: unknown };
    const free = num(v.free);
    const used = num(v.used);
    const total = num(v.total) ?? (free ?? 0) + (used ?? 0);
    out[code] = { free: free ?? Math.max(0, total - (used ?? 0)), used: used ?? Math.max(0, total - (free ?? 0)), total };
  }
  return out;
}
