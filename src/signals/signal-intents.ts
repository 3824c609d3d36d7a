import type { Sizing } from '../risk/sizing.ts';
import type { Intent } from '../strategies/strategy.ts';
import type { Signal } from './signal.ts';

/** What a signal means for one symbol given the position held there. */
export interface SignalPlan {
  symbol: string;
  intents: Intent[];
  /** Sizing of the entry; undefined = the configured sizing. */
  sizing?: Sizing;
  /** Quote amount the entry would commit (for the source's cap), when it can be known before the gate. */
  quote?: number;
}

/**
 * buy: close a short, or enter long when not short; sell: close a long, or enter short when not long
 * (the risk gate refuses shorts where they are not allowed); close: exit the symbol's position; close_all: exit every
 * position. Entries carry the signal's size, stop-loss and take-profit.
 */
export function planSignal(signal: Signal, o: { positionOf: (symbol: string) => number; openSymbols: readonly string[]; price: number; equity: number; defaultPct: number }): SignalPlan[] {
  const reason = `signal ${signal.id}${signal.strategy ? ` (${signal.strategy})` : ''}`;
  if (signal.action === 'close_all') return o.openSymbols.map((symbol) => ({ symbol, intents: [{ kind: 'exit', reason }] }));
  const symbol = signal.symbol!;
  const q = o.positionOf(symbol);
  if (signal.action === 'close') return [{ symbol, intents: [{ kind: 'exit', reason }] }];
  const side = signal.action === 'buy' ? 'long' : 'short';
  // The opposite side held: the signal closes it and stops there; reversing takes a second signal, so
  // one alert can never both close and re-open with money the close has not yet freed.
  if ((side === 'long' && q < 0) || (side === 'short' && q > 0)) return [{ symbol, intents: [{ kind: 'exit', reason }] }];
  const intents: Intent[] = [];
  let sizing: Sizing | undefined;
  let quote = (o.equity * o.defaultPct) / 100;
  if (signal.amount !== undefined) {
    sizing = { kind: 'fixed', quote: signal.amount };
    quote = signal.amount;
  } else if (signal.percent !== undefined) {
    sizing = { kind: 'percent', pct: signal.percent };
    quote = (o.equity * signal.percent) / 100;
  } else if (signal.baseAmount !== undefined) {
    quote = signal.baseAmount * o.price;
    sizing = { kind: 'fixed', quote };
  }
  intents.push({ kind: 'enter', side, stopLoss: signal.stopLoss, takeProfit: signal.takeProfit, reason });
  return [{ symbol, intents, sizing, quote }];
}
