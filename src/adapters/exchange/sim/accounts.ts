import type { MarketInfo } from '../../../domain/market.ts';
import type { OrderSide } from '../../../domain/orders.ts';
import { Portfolio } from '../../../domain/portfolio.ts';
import type { Balance } from '../../../ports/execution.ts';

/** Tolerance for float dust when comparing a cost with a balance (a relative 1e-9 plus 1e-9). */
export function exceeds(needed: number, free: number): boolean {
  return needed > free * (1 + 1e-9) + 1e-9;
}

/**
 * The money side of the sim venue. Orders reserve what they may spend when they start resting, the
 * reservation is released as they fill or are canceled, and fills move balances.
 */
export interface SimAccount {
  /** Why an order of `qty` at `price` (fee rate `feeRate`) cannot be paid for now, or undefined. */
  shortfall(m: MarketInfo, side: OrderSide, qty: number, price: number, feeRate: number, reduceOnly: boolean): string | undefined;
  /** Reserve funds for a resting order; returns the amount reserved (caller checked `shortfall`). */
  reserve(m: MarketInfo, side: OrderSide, qty: number, price: number, feeRate: number): number;
  /** Give back part of a reservation (fill or cancel). */
  release(m: MarketInfo, side: OrderSide, amount: number): void;
  /** Book a fill; returns the P&L it realised (margin accounts; 0 for spot). */
  applyFill(m: MarketInfo, side: OrderSide, qty: number, price: number, fee: number, ts: number): number;
  /** Last known price per symbol, for margin valuations. */
  mark(symbol: string, price: number): void;
  balances(): Record<string, Balance>;
  /** Take `amount` of `asset` out of the account (a withdrawal); returns why not, or undefined when done. */
  withdraw(asset: string, amount: number): string | undefined;
}

/** Spot: one balance per asset; buying spends quote, selling needs the coins. */
export class SpotAccount implements SimAccount {
  private readonly free = new Map<string, number>();
  private readonly used = new Map<string, number>();

  constructor(quote: string, cash: number, assets: Readonly<Record<string, number>> = {}) {
    this.free.set(quote, cash);
    this.used.set(quote, 0);
    for (const [asset, amount] of Object.entries(assets)) if (asset !== quote) this.free.set(asset, amount);
  }

  private get(map: Map<string, number>, asset: string): number {
    return map.get(asset) ?? 0;
  }

  shortfall(m: MarketInfo, side: OrderSide, qty: number, price: number, feeRate: number): string | undefined {
    if (side === 'buy') {
      const needed = qty * price * (1 + feeRate);
      const free = this.get(this.free, m.quote);
      return exceeds(needed, free) ? `insufficient balance: needs ${needed.toFixed(8)} ${m.quote}, free ${free.toFixed(8)}` : undefined;
    }
    const free = this.get(this.free, m.base);
    return exceeds(qty, free) ? `insufficient balance: needs ${qty} ${m.base}, free ${free}` : undefined;
  }

  reserve(m: MarketInfo, side: OrderSide, qty: number, price: number, feeRate: number): number {
    const asset = side === 'buy' ? m.quote : m.base;
    const amount = Math.min(side === 'buy' ? qty * price * (1 + feeRate) : qty, this.get(this.free, asset));
    this.free.set(asset, this.get(this.free, asset) - amount);
    this.used.set(asset, this.get(this.used, asset) + amount);
    return amount;
  }

  release(m: MarketInfo, side: OrderSide, amount: number): void {
    const asset = side === 'buy' ? m.quote : m.base;
    this.used.set(asset, this.get(this.used, asset) - amount);
    this.free.set(asset, this.get(this.free, asset) + amount);
  }

  applyFill(m: MarketInfo, side: OrderSide, qty: number, price: number, fee: number): number {
    const cost = qty * price;
    const q = this.get(this.free, m.quote);
    const b = this.get(this.free, m.base);
    if (side === 'buy') {
      this.free.set(m.quote, q - cost - fee);
      this.free.set(m.base, b + qty);
    } else {
      this.free.set(m.quote, q + cost - fee);
      this.free.set(m.base, b - qty);
    }
    return 0;
  }

  mark(): void {}

  withdraw(asset: string, amount: number): string | undefined {
    const free = this.get(this.free, asset);
    if (exceeds(amount, free)) return `insufficient balance: withdrawing ${amount} ${asset}, free ${free}`;
    this.free.set(asset, free - amount);
    return undefined;
  }

  balances(): Record<string, Balance> {
    const out: Record<string, Balance> = {};
    for (const asset of new Set([...this.free.keys(), ...this.used.keys()])) {
      const free = clean(this.get(this.free, asset));
      const used = clean(this.get(this.used, asset));
      out[asset] = { free, used, total: clean(free + used) };
    }
    return out;
  }
}

/**
 * Linear perpetuals, margin-style (cross margin in the quote currency): long and short, positions kept
 * by the shared {@link Portfolio}; opening exposure needs notional / leverage of free margin.
 */
export class MarginAccount implements SimAccount {
  readonly portfolio: Portfolio;
  private readonly marks = new Map<string, number>();
  private orderMargin = 0;

  constructor(private readonly quote: string, cash: number, private readonly leverage: number) {
    this.portfolio = new Portfolio(cash);
  }

  mark(symbol: string, price: number): void {
    this.marks.set(symbol, price);
  }

  private positionMargin(): number {
    return this.portfolio.lockedNotional() / this.leverage;
  }

  private freeMargin(): number {
    return this.portfolio.equity(this.marks) - this.positionMargin() - this.orderMargin;
  }

  /** Quantity of an order that opens (or adds to) exposure rather than reducing the position. */
  private openingQty(m: MarketInfo, side: OrderSide, qty: number): number {
    const pos = this.portfolio.get(m.symbol)?.quantity ?? 0;
    const reducing = (side === 'sell' && pos > 0) || (side === 'buy' && pos < 0) ? Math.abs(pos) : 0;
    return Math.max(0, qty - reducing);
  }

  shortfall(m: MarketInfo, side: OrderSide, qty: number, price: number, feeRate: number, reduceOnly: boolean): string | undefined {
    const opening = this.openingQty(m, side, qty);
    if (reduceOnly && opening > 1e-12) {
      return `reduceOnly order would open or increase a position (${opening} ${m.base} beyond the position)`;
    }
    // Reducing a position needs no margin (its fee comes out of the wallet): closing must always work.
    if (opening <= 1e-12) return undefined;
    const needed = (opening * price * m.contractSize) / this.leverage + qty * price * m.contractSize * feeRate;
    const free = this.freeMargin();
    return exceeds(needed, free) ? `insufficient margin: needs ${needed.toFixed(8)} ${m.quote}, free ${free.toFixed(8)}` : undefined;
  }

  reserve(m: MarketInfo, side: OrderSide, qty: number, price: number, feeRate: number): number {
    const opening = this.openingQty(m, side, qty);
    const amount = (opening * price * m.contractSize) / this.leverage + qty * price * m.contractSize * feeRate;
    this.orderMargin += amount;
    return amount;
  }

  release(_m: MarketInfo, _side: OrderSide, amount: number): void {
    this.orderMargin = Math.max(0, this.orderMargin - amount);
  }

  applyFill(m: MarketInfo, side: OrderSide, qty: number, price: number, fee: number, ts: number): number {
    this.marks.set(m.symbol, price);
    return this.portfolio.bookFill(m.symbol, side, qty * m.contractSize, price, fee, ts);
  }

  withdraw(asset: string, amount: number): string | undefined {
    if (asset !== this.quote) return `only ${this.quote} is held in a margin account, not ${asset}`;
    const free = this.freeMargin();
    if (exceeds(amount, free)) return `insufficient margin: withdrawing ${amount} ${asset}, free ${free.toFixed(8)}`;
    this.portfolio.cash -= amount;
    return undefined;
  }

  balances(): Record<string, Balance> {
    const total = this.portfolio.equity(this.marks);
    const used = this.positionMargin() + this.orderMargin;
    return { [this.quote]: { free: clean(total - used), used: clean(used), total: clean(total) } };
  }
}

/** Drop float dust so balances read as people expect (0.06, not 0.060000000000000005). */
function clean(x: number): number {
  return Math.abs(x) < 1e-10 ? 0 : Math.round(x * 1e10) / 1e10;
}
