import { canTransition, isTerminal, type Fill, type OrderReport, type OrderStatus } from '../domain/orders.ts';
import type { FillEffect, Portfolio } from '../domain/portfolio.ts';
import { AppError } from '../domain/errors.ts';
import type { Logger } from '../logger.ts';
import type { FillRecord, OrderRecord, TradingStore } from '../ports/store.ts';
import type { EventBus } from './bus.ts';

/** What an order was for, as stored with it (record.intent). */
export interface OrderIntent {
  kind?: 'entry' | 'exit';
  stopLoss?: number;
  takeProfit?: number;
}

export interface SettleDeps {
  portfolio: Portfolio;
  store: TradingStore;
  bus: EventBus;
  logger: Logger;
  /** Account id the fills and positions are stored under. */
  exchange: string;
}

export interface SettleResult {
  /** Status stored after this report. */
  status: OrderStatus;
  /** Fills accounted now (new trade ids within the order's amount). */
  fills: Fill[];
  /** Fills refused because they would fill the order beyond its amount. */
  refused: Fill[];
  /** True when the venue reports more filled than the fills received show (fills still to fetch). */
  missingFills: boolean;
}

/** Relative tolerance for amount comparisons (venue decimals vs floating point). */
const AMOUNT_EPS = 1e-9;

/**
 * Account a venue report of one order: its status, the fills it brings and the position and cash
 * those fills move are written in ONE transaction (TradingStore.applyOrderUpdate), so a crash can
 * never leave an order `filled` without its fills or a fill without its position.
 *
 * - fills are deduplicated by exchange trade id (against storage and within the report);
 * - a fill that would take the order beyond its amount is refused and logged (an over-fill is a venue
 *   or mapping bug; accounting it would invent a position);
 * - a report that says more is filled than its fills show is not stored as final: the order stays
 *   open-ended (`unknown` / `partially_filled`) so the next settlement fetches the missing fills.
 *
 * Memory (the Portfolio) is changed first and rolled back if the transaction fails, so memory and
 * storage never disagree.
 */
export async function settleReport(record: OrderRecord, report: OrderReport, deps: SettleDeps): Promise<SettleResult> {
  const { portfolio, store, bus, exchange } = deps;
  const logger = deps.logger.child({ strategy: record.strategy, symbol: record.symbol, clientOrderId: record.clientOrderId });
  const known = await store.fillsOfOrder(record.clientOrderId);
  const seen = new Set(known.map((f) => f.tradeId));
  let filledQty = known.reduce((s, f) => s + f.amount, 0);
  const cap = record.amount * (1 + AMOUNT_EPS) + 1e-12;
  const accepted: Fill[] = [];
  const refused: Fill[] = [];
  for (const fill of [...report.fills].sort((a, b) => a.ts - b.ts)) {
    if (seen.has(fill.tradeId)) continue;
    seen.add(fill.tradeId);
    if (filledQty + fill.amount > cap) {
      refused.push(fill);
      logger.error({ tradeId: fill.tradeId, amount: fill.amount, alreadyFilled: filledQty, orderAmount: record.amount }, 'over-fill refused: this fill would exceed the order amount');
      continue;
    }
    filledQty += fill.amount;
    accepted.push({ ...fill, clientOrderId: record.clientOrderId, symbol: record.symbol });
  }

  const missingFills = report.filled > filledQty * (1 + AMOUNT_EPS) + 1e-12;
  const status = targetStatus(record.status, report.status, missingFills);
  const statusChanges = status !== record.status;
  if (!statusChanges && accepted.length === 0 && isTerminal(record.status)) {
    return { status, fills: [], refused, missingFills };
  }
  if (statusChanges && !canTransition(record.status, status)) {
    throw new AppError('INTERNAL', `illegal order transition ${record.status} → ${status}`);
  }

  const intent = (record.intent ?? {}) as OrderIntent;
  const checkpoint = portfolio.checkpoint(record.symbol);
  const effects: Array<FillEffect & { feeQuote: number }> = [];
  const records: FillRecord[] = [];
  for (const fill of accepted) {
    const net = netOfFee(fill);
    const effect = portfolio.applyFill(fill.symbol, fill.side, net.quantity, fill.price, net.feeQuote, fill.ts);
    if (intent.kind === 'entry' && effect.after) portfolio.setProtection(fill.symbol, intent.stopLoss, intent.takeProfit);
    effects.push({ ...effect, feeQuote: net.feeQuote });
    records.push({ ...fill, exchange, realizedPnl: effect.realizedPnl });
  }
  const reason = missingFills ? `the exchange reports ${report.filled} filled (${report.status}); fills to fetch: ${filledQty} accounted` : report.reason;
  try {
    await store.applyOrderUpdate({
      clientOrderId: record.clientOrderId,
      expectedStatus: record.status,
      patch: {
        status: isTerminal(record.status) ? undefined : status,
        exchangeOrderId: report.exchangeOrderId || undefined,
        filled: Math.max(report.filled, filledQty),
        avgPrice: report.avgPrice,
        fee: report.fee,
        feeCurrency: report.feeCurrency,
        price: report.price,
        reason,
      },
      fills: records,
      positionAfter: portfolio.get(record.symbol),
      cashAfter: portfolio.cash,
    });
  } catch (err) {
    portfolio.rollback(checkpoint);
    throw err;
  }
  if (statusChanges) logger.info({ from: record.status, to: status, filled: Math.max(report.filled, filledQty), avgPrice: report.avgPrice }, `order ${status}`);
  for (const f of accepted) logger.info({ tradeId: f.tradeId, side: f.side, amount: f.amount, price: f.price, fee: f.fee, feeCurrency: f.feeCurrency }, 'fill');
  accepted.forEach((fill, i) => publishFillEvents(bus, fill, effects[i]!, record));
  return { status: isTerminal(record.status) ? record.status : status, fills: accepted, refused, missingFills };
}

/**
 * The status to store for a venue report. A final report whose fills have not all arrived is kept
 * open-ended so settlement comes back for them.
 */
function targetStatus(from: OrderStatus, reported: OrderReport['status'], missingFills: boolean): OrderStatus {
  if (isTerminal(from)) return from;
  if (!missingFills) return reported;
  if (from === 'pending' || from === 'submitted' || from === 'unknown') return 'unknown';
  return 'partially_filled';
}

/** `effect.feeQuote`: the fill's fee in quote (a fee taken in the base coin valued at the fill price), as the ledger booked it. */
function publishFillEvents(bus: EventBus, fill: Fill, effect: FillEffect & { feeQuote: number }, record: OrderRecord): void {
  bus.publish({ type: 'fill', ts: fill.ts, fill });
  if (effect.closedQuantity > 0 && effect.before) {
    const side = effect.before.quantity > 0 ? 'long' : 'short';
    const basis = effect.before.entryPrice * effect.closedQuantity;
    bus.publish({
      type: 'exit',
      ts: fill.ts,
      symbol: fill.symbol,
      side,
      price: fill.price,
      quantity: effect.closedQuantity,
      pnl: effect.realizedPnl - effect.feeQuote,
      pnlPct: basis > 0 ? ((effect.realizedPnl - effect.feeQuote) / basis) * 100 : 0,
      reason: record.reason ?? 'exit',
      clientOrderId: fill.clientOrderId,
    });
  }
  const opened = effect.after && (!effect.before || Math.sign(effect.before.quantity) !== Math.sign(effect.after.quantity));
  if (opened && effect.after) {
    bus.publish({
      type: 'entry',
      ts: fill.ts,
      symbol: fill.symbol,
      side: effect.after.quantity > 0 ? 'long' : 'short',
      price: fill.price,
      quantity: Math.abs(effect.after.quantity),
      clientOrderId: fill.clientOrderId,
      strategy: record.strategy ?? 'manual',
      reason: record.reason,
    });
  }
}

/**
 * A fill's effect on the position: a fee charged in the base asset (Binance spot takes the buyer's
 * fee from the coins received) changes what is held — a buy of 1.23 with 0.00123 fee in base leaves
 * 1.22877 — and is valued in quote at the fill price. Any other fee currency is quote (or the
 * settlement asset) and leaves the quantity alone.
 */
export function netOfFee(fill: Fill): { quantity: number; feeQuote: number } {
  const base = fill.symbol.split('/')[0];
  if (!fill.feeCurrency || fill.feeCurrency !== base || fill.fee === 0) return { quantity: fill.amount, feeQuote: fill.fee };
  const quantity = fill.side === 'buy' ? fill.amount - fill.fee : fill.amount + fill.fee;
  return { quantity: roundQty(quantity), feeQuote: fill.fee * fill.price };
}

/** Strip float noise (1.23 − 0.00123 → 1.22877, not 1.2287700000000001). */
function roundQty(q: number): number {
  return Number(q.toPrecision(12));
}
