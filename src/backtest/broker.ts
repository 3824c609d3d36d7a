import { MatchingEngine } from '../adapters/exchange/sim/matching-engine.ts';
import type { MarketInfo } from '../domain/market.ts';
import type { OrderSide } from '../domain/orders.ts';
import { Portfolio, type Position } from '../domain/portfolio.ts';
import type { PlannedOrder } from '../risk/decide.ts';
import { ExecutionError } from '../ports/execution.ts';
import { affordableQuantity } from '../risk/sizing.ts';
import type { PositionSnapshot } from '../strategies/strategy.ts';
import type { BacktestRisk } from './backtest-risk.ts';
import type { BacktestTrade } from './types.ts';

export interface BrokerOptions {
  market: MarketInfo;
  cash: number;
  /** Slippage plus half the spread, bps: what every market fill pays. */
  costBps: number;
  allowShort: boolean;
}

/**
 * The backtest's side of the venue: sends planned orders to the sim's {@link MatchingEngine} as
 * market orders at a reference price, books the fills in a {@link Portfolio} (the same accounting
 * as live) and keeps the round-trip trades. Also mirrors the open position in plain fields so the
 * per-candle loop reads numbers, not objects.
 */
export class BacktestBroker {
  readonly portfolio: Portfolio;
  readonly trades: BacktestTrade[] = [];
  readonly denials: Record<string, number> = {};
  /** Signed quantity of the open position (0 = flat) and its entry price. */
  qty = 0;
  entry = 0;
  /** The open position as the portfolio holds it (stop-loss and take-profit included), undefined when flat. */
  position: Position | undefined;
  /** What the strategy sees as `ctx.position` (one object per trade). */
  snapshot: PositionSnapshot | undefined;
  private readonly engine: MatchingEngine;
  private readonly symbol: string;
  private readonly slip: number;
  private open: { index: number; ts: number; price: number; qty: number; fee: number; side: 'long' | 'short'; reason: string; sl?: number; tp?: number } | undefined;
  private seq = 0;

  constructor(private readonly o: BrokerOptions) {
    this.symbol = o.market.symbol;
    this.portfolio = new Portfolio(o.cash);
    this.slip = o.costBps / 10_000;
    this.engine = new MatchingEngine({
      markets: new Map([[o.market.symbol, o.market]]),
      marketType: o.allowShort ? 'swap' : 'spot',
      quote: o.market.quote,
      cash: o.cash,
      slippageBps: o.costBps,
      maxVolumeShare: Infinity,
      idPrefix: 'bt',
      // The broker books every fill from the report: the venue's order and fill history is not needed.
      history: false,
    });
  }

  /** Quote currency free for a new entry: cash less what open positions hold (spot coins / 1× margin). */
  available(): number {
    return this.portfolio.cash - this.portfolio.lockedNotional();
  }

  deny(code: string): void {
    this.denials[code] = (this.denials[code] ?? 0) + 1;
  }

  /**
   * Execute a planned order at `ref` (before costs) on candle `i`. All-in entries — and any entry the
   * cash can no longer pay at the fill price — are sized at the fill price, rounded down to the lot.
   */
  execute(order: PlannedOrder, ref: number, i: number, ts: number): void {
    if (order.kind === 'exit') {
      if (this.qty !== 0) this.close(ref, i, ts, order.reason);
      return;
    }
    if (this.qty !== 0) return this.deny('POSITION_OPEN_AT_FILL');
    const m = this.o.market;
    const side: OrderSide = order.positionSide === 'long' ? 'buy' : 'sell';
    const slip = side === 'buy' ? this.slip : -this.slip;
    const affordable = affordableQuantity(this.available(), ref, m, slip);
    const qty = order.allIn ? affordable : Math.min(order.quantity, affordable);
    if (!(qty > 0) || qty < m.minAmount || (m.minNotional > 0 && qty * ref * (1 + slip) < m.minNotional)) return this.deny('TOO_SMALL_AT_FILL');
    const f = this.send(side, qty, ref, ts, false);
    if (!f) return;
    this.open = { index: i, ts, price: f.price, qty: f.qty, fee: f.fee, side: order.positionSide, reason: order.reason, sl: order.stopLoss, tp: order.takeProfit };
    this.portfolio.setProtection(this.symbol, order.stopLoss, order.takeProfit);
    this.snapshot = { side: order.positionSide, quantity: f.qty, entryPrice: f.price, openedAt: ts };
  }

  /** {@link execute}, and a position the order closes feeds the protections (cooldown, stop-loss guard). */
  fillOrder(order: PlannedOrder, ref: number, i: number, ts: number, risk: BacktestRisk | undefined): void {
    const before = this.trades.length;
    this.execute(order, ref, i, ts);
    if (risk !== undefined && this.trades.length > before) risk.onExit(ts, this.trades[before]!.exitReason);
  }

  /** Close the whole position at `ref` (before costs). */
  close(ref: number, i: number, ts: number, reason: string, openAtEnd = false): void {
    const open = this.open;
    if (!open || this.qty === 0) return;
    const side: OrderSide = this.qty > 0 ? 'sell' : 'buy';
    const f = this.send(side, Math.abs(this.qty), ref, ts, true);
    if (!f) return;
    const pnl = f.realized - open.fee - f.fee;
    const value = open.price * open.qty * this.o.market.contractSize;
    const trade: BacktestTrade = {
      symbol: this.symbol,
      side: open.side,
      entryIndex: open.index,
      exitIndex: i,
      entryTs: open.ts,
      exitTs: ts,
      entryPrice: open.price,
      exitPrice: f.price,
      quantity: open.qty,
      pnl,
      returnPct: value > 0 ? (pnl / value) * 100 : 0,
      fees: open.fee + f.fee,
      entryReason: open.reason,
      exitReason: reason,
      openAtEnd,
    };
    if (open.sl !== undefined) trade.stopLoss = open.sl;
    if (open.tp !== undefined) trade.takeProfit = open.tp;
    this.trades.push(trade);
    this.open = undefined;
    this.snapshot = undefined;
  }

  private send(side: OrderSide, qty: number, ref: number, ts: number, reduceOnly: boolean): { price: number; qty: number; fee: number; realized: number } | undefined {
    let report;
    try {
      report = this.engine.placeOrder({ clientOrderId: `bt-${++this.seq}`, symbol: this.symbol, side, type: 'market', amount: qty, reduceOnly }, ts, ref);
    } catch (err) {
      if (err instanceof ExecutionError && err.kind === 'rejected') {
        this.deny('REJECTED_BY_VENUE');
        return undefined;
      }
      throw err;
    }
    let realized = 0;
    let fee = 0;
    let filled = 0;
    let cost = 0;
    for (const f of report.fills) {
      realized += this.portfolio.bookFill(this.symbol, f.side, f.amount, f.price, f.fee, f.ts);
      fee += f.fee;
      filled += f.amount;
      cost += f.amount * f.price;
    }
    const p = this.portfolio.get(this.symbol);
    this.position = p;
    this.qty = p ? p.quantity : 0;
    this.entry = p ? p.entryPrice : 0;
    // One fill (every market fill here): its own price, not a float average of one.
    const price = report.fills.length === 1 ? report.fills[0]!.price : filled > 0 ? cost / filled : ref;
    return { price, qty: filled, fee, realized };
  }
}
