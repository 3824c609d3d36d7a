import type { Portfolio } from './portfolio.ts';

/**
 * The account as the exchange shows it, from the portfolio's ledger. `Portfolio` keeps one
 * margin-style ledger for every market (cash moves by realised P&L and fees), which is the wallet
 * balance of a linear perpetual account but not what a spot venue reports: there, buying coins spends
 * quote currency. Every figure people see (/status, /balance, /metrics, alerts, equity snapshots)
 * comes from here so they agree with each other and with the venue.
 */
export type AccountSummary =
  | {
      marketType: 'spot';
      quote: string;
      /** Free quote balance: what the venue shows as free (ledger cash less the cost of the coins held). */
      cash: number;
      /** Coins held, valued at the last price. */
      holdings: number;
      /** Of the holdings: value at the last price less their cost. */
      unrealizedPnl: number;
      /** cash + holdings. */
      equity: number;
    }
  | {
      marketType: 'swap';
      quote: string;
      /** Wallet balance: deposits + realised P&L − fees (what the venue calls wallet/cross balance). */
      walletBalance: number;
      unrealizedPnl: number;
      /** Initial margin of the open positions: Σ |quantity| × entry price / leverage. */
      marginUsed: number;
      /** equity − margin used: what new positions may commit. */
      marginAvailable: number;
      /** wallet balance + unrealised P&L (the margin balance). */
      equity: number;
    };

/** `marks`: last price per symbol (a position without one is valued at its entry price). */
export function accountSummary(portfolio: Portfolio, marks: ReadonlyMap<string, number>, o: { marketType: 'spot' | 'swap'; quote: string; leverage?: number }): AccountSummary {
  let cost = 0;
  let value = 0;
  let upnl = 0;
  for (const p of portfolio.all()) {
    const mark = marks.get(p.symbol) ?? p.entryPrice;
    cost += Math.abs(p.quantity) * p.entryPrice;
    value += p.quantity * mark;
    upnl += (mark - p.entryPrice) * p.quantity;
  }
  if (o.marketType === 'spot') {
    const cash = portfolio.cash - cost;
    return { marketType: 'spot', quote: o.quote, cash, holdings: value, unrealizedPnl: upnl, equity: cash + value };
  }
  const leverage = o.leverage && o.leverage > 0 ? o.leverage : 1;
  const equity = portfolio.cash + upnl;
  const marginUsed = cost / leverage;
  return { marketType: 'swap', quote: o.quote, walletBalance: portfolio.cash, unrealizedPnl: upnl, marginUsed, marginAvailable: equity - marginUsed, equity };
}

/** The cash figure of an account: free quote (spot) or wallet balance (swap). */
export function accountCash(a: AccountSummary): number {
  return a.marketType === 'spot' ? a.cash : a.walletBalance;
}

/** One labelled line, the same wherever it is shown. */
export function describeAccount(a: AccountSummary, money: (n: number) => string): string {
  const q = a.quote;
  if (a.marketType === 'spot') return `Equity ${money(a.equity)} ${q} = cash (free ${q}) ${money(a.cash)} + holdings ${money(a.holdings)} at last prices`;
  return `Equity ${money(a.equity)} ${q} = wallet ${money(a.walletBalance)} + unrealised ${money(a.unrealizedPnl)} · margin used ${money(a.marginUsed)} · available ${money(a.marginAvailable)}`;
}
