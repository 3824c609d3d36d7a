import type { OrderSide } from './orders.ts';

export interface Position {
  symbol: string;
  /** Signed: > 0 long, < 0 short. */
  quantity: number;
  entryPrice: number;
  realizedPnl: number;
  openedAt: number;
  stopLoss?: number;
  takeProfit?: number;
}

export interface FillEffect {
  /** P&L realised by this fill (before fees). */
  realizedPnl: number;
  /** Quantity that closed an existing position (≥ 0). */
  closedQuantity: number;
  /** Position before and after (undefined = flat). */
  before?: Position;
  after?: Position;
}

const EPS = 1e-12;

/**
 * Positions and cash of one account in its quote currency, margin-style: cash moves by realised
 * P&L and fees; equity = cash + Σ (mark − entry) × quantity. For a spot long this equals the usual
 * cash + value of coins, and the same arithmetic serves linear perpetuals (long and short).
 * Pure: no I/O, fed with fills by the engine (live/paper) and the backtester alike.
 */
export class Portfolio {
  private readonly positions = new Map<string, Position>();

  constructor(public cash: number) {}

  get(symbol: string): Position | undefined {
    return this.positions.get(symbol);
  }

  all(): Position[] {
    return [...this.positions.values()];
  }

  /** Capture one symbol's position and the cash, to undo a fill that turned out to be a duplicate. */
  checkpoint(symbol: string): { symbol: string; cash: number; position: Position | undefined } {
    const p = this.positions.get(symbol);
    return { symbol, cash: this.cash, position: p ? { ...p } : undefined };
  }

  rollback(cp: { symbol: string; cash: number; position: Position | undefined }): void {
    this.cash = cp.cash;
    if (cp.position) this.positions.set(cp.symbol, { ...cp.position });
    else this.positions.delete(cp.symbol);
  }

  /** Restore a position from storage. */
  restore(p: Position): void {
    if (Math.abs(p.quantity) > EPS) this.positions.set(p.symbol, { ...p });
    else this.positions.delete(p.symbol);
  }

  /** Book a fill and say what it did: the realised P&L, the quantity it closed, copies of the position before and after. */
  applyFill(symbol: string, side: OrderSide, quantity: number, price: number, fee: number, ts: number): FillEffect {
    const before = this.positions.get(symbol);
    if (!before) {
      const pnl = this.bookFill(symbol, side, quantity, price, fee, ts);
      return { realizedPnl: pnl, closedQuantity: 0, after: { ...this.positions.get(symbol)! } };
    }
    const snapshot = { ...before };
    const q = before.quantity;
    const dq = side === 'buy' ? quantity : -quantity;
    const closedQuantity = Math.sign(q) === Math.sign(dq) ? 0 : Math.min(Math.abs(dq), Math.abs(q));
    const pnl = this.bookFill(symbol, side, quantity, price, fee, ts);
    const after = this.positions.get(symbol);
    return { realizedPnl: pnl, closedQuantity, before: snapshot, after: after ? { ...after } : undefined };
  }

  /**
   * {@link applyFill} without the account of what changed: books the fill and returns the P&L it
   * realised (before fees). For callers that need only that number (the backtest's broker, the sim's
   * margin account): no copies of the position per fill.
   */
  bookFill(symbol: string, side: OrderSide, quantity: number, price: number, fee: number, ts: number): number {
    const before = this.positions.get(symbol);
    const dq = side === 'buy' ? quantity : -quantity;
    this.cash -= fee;
    if (!before) {
      this.positions.set(symbol, { symbol, quantity: dq, entryPrice: price, realizedPnl: -fee, openedAt: ts });
      return 0;
    }
    const q = before.quantity;
    if (Math.sign(q) === Math.sign(dq)) {
      const nq = q + dq;
      before.entryPrice = (before.entryPrice * q + price * dq) / nq;
      before.quantity = nq;
      before.realizedPnl -= fee;
      return 0;
    }
    const closing = Math.min(Math.abs(dq), Math.abs(q));
    const pnl = (price - before.entryPrice) * closing * Math.sign(q);
    this.cash += pnl;
    const nq = q + dq;
    if (Math.abs(nq) <= EPS * Math.max(1, Math.abs(q))) {
      this.positions.delete(symbol);
      return pnl;
    }
    if (Math.sign(nq) === Math.sign(q)) {
      before.quantity = nq;
      before.realizedPnl += pnl - fee;
      return pnl;
    }
    // Flipped: the remainder opens a new position at this price.
    this.positions.set(symbol, { symbol, quantity: nq, entryPrice: price, realizedPnl: 0, openedAt: ts });
    return pnl;
  }

  unrealizedPnl(marks: ReadonlyMap<string, number>): number {
    let u = 0;
    for (const p of this.positions.values()) {
      const m = marks.get(p.symbol);
      if (m !== undefined) u += (m - p.entryPrice) * p.quantity;
    }
    return u;
  }

  equity(marks: ReadonlyMap<string, number>): number {
    return this.cash + this.unrealizedPnl(marks);
  }

  /** Quote currency tied up in positions at entry prices (spot: coins bought; swap: notional). */
  lockedNotional(): number {
    let n = 0;
    for (const p of this.positions.values()) n += Math.abs(p.quantity) * p.entryPrice;
    return n;
  }

  setProtection(symbol: string, stopLoss: number | undefined, takeProfit: number | undefined): void {
    const p = this.positions.get(symbol);
    if (!p) return;
    p.stopLoss = stopLoss;
    p.takeProfit = takeProfit;
  }
}
