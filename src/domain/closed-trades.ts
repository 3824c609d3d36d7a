import type { Fill } from './orders.ts';
import { quoteOf } from './market.ts';

/**
 * One round trip: a position opened from flat and brought back to flat (or flipped). What `/trades`
 * and `/performance` show; freqtrade calls it a closed trade.
 */
export interface ClosedTrade {
  symbol: string;
  side: 'long' | 'short';
  entryTs: number;
  exitTs: number;
  /** Average entry and exit prices (volume-weighted over the fills of each leg). */
  entryPrice: number;
  exitPrice: number;
  quantity: number;
  /** Net of every fee of both legs, in the quote currency. */
  pnl: number;
  /** `pnl` against the entry value, in percent. */
  pnlPct: number;
  fees: number;
  /** The exit order's reason (`stop-loss`, `strategy exit`, `manual close` …); `—` when unknown. */
  exitReason: string;
}

type TradeFill = Pick<Fill, 'clientOrderId' | 'symbol' | 'side' | 'price' | 'amount' | 'fee' | 'feeCurrency' | 'ts'>;

interface Open {
  side: 'long' | 'short';
  entryTs: number;
  qty: number;
  entryValue: number;
  exitQty: number;
  exitValue: number;
  fees: number;
}

/** Relative remainder below which a position counts as flat (float noise, not coins). */
const DUST = 1e-9;

/** A fee in the quote currency: fees charged in the base coin are valued at the fill's price. */
function quoteFee(f: TradeFill): number {
  if (!f.fee) return 0;
  const quote = quoteOf(f.symbol);
  return !f.feeCurrency || f.feeCurrency === quote ? f.fee : f.fee * f.price;
}

/**
 * A spot buy whose fee is taken from the coins bought delivers `amount − fee` coins for the price
 * of `amount` (the position, and the sell that closes it, are net of that fee): the fill is read as
 * fewer coins at a higher price, the same cost, and no separate fee.
 */
function netOfCoinFee(f: TradeFill): TradeFill {
  const base = f.symbol.split('/')[0];
  if (f.side !== 'buy' || !f.fee || f.feeCurrency !== base || !(f.fee < f.amount)) return f;
  const amount = f.amount - f.fee;
  return { ...f, amount, price: (f.price * f.amount) / amount, fee: 0 };
}

/**
 * Rebuild closed trades from fills in time order (any order in, sorted here). A fill that takes a
 * position through zero closes the trade with the part it needs and opens the opposite one with the
 * rest; its fee is shared pro rata. Positions still open are not returned. `reasonOf` names an
 * order's reason by clientOrderId. Newest exit first.
 */
export function closedTrades(fills: readonly TradeFill[], reasonOf: (clientOrderId: string) => string | undefined = () => undefined): ClosedTrade[] {
  const sorted = [...fills].sort((a, b) => a.ts - b.ts);
  const open = new Map<string, Open>();
  const out: ClosedTrade[] = [];
  for (const raw of sorted) {
    if (!(raw.amount > 0)) continue;
    const f = netOfCoinFee(raw);
    const dir = f.side === 'buy' ? 1 : -1;
    const fee = quoteFee(f);
    let rest = f.amount;
    const cur = open.get(f.symbol);
    if (cur) {
      const reduces = (cur.side === 'long' && dir < 0) || (cur.side === 'short' && dir > 0);
      if (!reduces) {
        cur.qty += rest;
        cur.entryValue += rest * f.price;
        cur.fees += fee;
        continue;
      }
      const remaining = cur.qty - cur.exitQty;
      const used = Math.min(rest, remaining);
      cur.exitQty += used;
      cur.exitValue += used * f.price;
      cur.fees += (fee * used) / f.amount;
      rest -= used;
      if (cur.qty - cur.exitQty <= DUST * cur.qty) {
        const entryPrice = cur.entryValue / cur.qty;
        const exitPrice = cur.exitValue / cur.exitQty;
        const gross = (exitPrice - entryPrice) * cur.qty * (cur.side === 'long' ? 1 : -1);
        const pnl = gross - cur.fees;
        out.push({
          symbol: f.symbol,
          side: cur.side,
          entryTs: cur.entryTs,
          exitTs: f.ts,
          entryPrice,
          exitPrice,
          quantity: cur.qty,
          pnl,
          pnlPct: cur.entryValue > 0 ? (pnl / cur.entryValue) * 100 : 0,
          fees: cur.fees,
          exitReason: reasonOf(f.clientOrderId) ?? '—',
        });
        open.delete(f.symbol);
      }
      if (rest <= DUST * f.amount) continue;
    }
    open.set(f.symbol, { side: dir > 0 ? 'long' : 'short', entryTs: f.ts, qty: rest, entryValue: rest * f.price, exitQty: 0, exitValue: 0, fees: (fee * rest) / f.amount });
  }
  return out.reverse();
}

/** Per-symbol results of closed trades (`/performance`), best total first. */
export interface SymbolPerformance {
  symbol: string;
  trades: number;
  wins: number;
  pnl: number;
  /** Mean of the trades' `pnlPct`. */
  avgPct: number;
}

export function performanceBySymbol(trades: readonly ClosedTrade[]): SymbolPerformance[] {
  const by = new Map<string, SymbolPerformance>();
  for (const t of trades) {
    const p = by.get(t.symbol) ?? { symbol: t.symbol, trades: 0, wins: 0, pnl: 0, avgPct: 0 };
    p.trades++;
    if (t.pnl > 0) p.wins++;
    p.pnl += t.pnl;
    p.avgPct += t.pnlPct;
    by.set(t.symbol, p);
  }
  return [...by.values()].map((p) => ({ ...p, avgPct: p.avgPct / p.trades })).sort((a, b) => b.pnl - a.pnl || a.symbol.localeCompare(b.symbol));
}
