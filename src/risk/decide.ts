import type { MarketInfo } from '../domain/market.ts';
import { floorToStep } from '../domain/market.ts';
import type { Position } from '../domain/portfolio.ts';
import type { TradingState } from '../domain/trading-state.ts';
import { DEFAULT_PREFLIGHT, runPreflight, type Denial, type IntentSource, type PreflightContext, type PreflightRule } from './preflight/index.ts';
import type { RiskView } from './risk-view.ts';
import type { Intent } from '../strategies/strategy.ts';
import { entryQuoteAmount, type Sizing } from './sizing.ts';
import { positionRule } from './preflight/position-rule.ts';

/** An approved order, not yet sent: quantities are rounded to the market's lot. */
export interface PlannedOrder {
  kind: 'entry' | 'exit';
  symbol: string;
  side: 'buy' | 'sell';
  positionSide: 'long' | 'short';
  quantity: number;
  /** For `all-in` entries the executor re-sizes at the fill price from what is available then. */
  allIn: boolean;
  reduceOnly: boolean;
  stopLoss?: number;
  takeProfit?: number;
  reason: string;
}

export interface Decision {
  intent: Intent;
  verdict: 'approved' | 'denied';
  denials: Denial[];
  order?: PlannedOrder;
  /** What the verdict was decided on (stored as a hash with a denial). */
  context?: PreflightContext;
}

export interface DecideInput {
  symbol: string;
  intents: readonly Intent[];
  position: Position | undefined;
  /** Reference price (close of the decision candle). */
  price: number;
  equity: number;
  available: number;
  market: MarketInfo;
  sizing: Sizing;
  tradingState: TradingState;
  allowShort: boolean;
  rules?: readonly PreflightRule[];
  /** Limits and account/market facts for the risk-limit rules (absent: structural rules only). */
  risk?: RiskView;
  /** Who asked (default strategy). */
  source?: IntentSource;
}

/**
 * From a strategy's intents to approved orders or denials — the one path every mode uses (backtest,
 * paper, live). Intents are handled in order; an approved exit makes the position flat for the
 * intents after it (exit-then-reverse on one candle).
 */
export function decide(input: DecideInput): Decision[] {
  const out: Decision[] = [];
  let position = input.position;
  let available = input.available;
  const rules = input.rules ?? DEFAULT_PREFLIGHT;
  let context: PreflightContext | undefined;
  // An index loop: the intents are often a frozen array, which a for…of walks through the iterator.
  const intents = input.intents;
  for (let k = 0; k < intents.length; k++) {
    const intent = intents[k]!;
    if (intent.kind === 'message') continue;
    if (intent.kind === 'exit') {
      const q = position?.quantity ?? 0;
      const quantity = Math.abs(q);
      const side = q >= 0 ? 'long' : 'short';
      context = preflightContext(input, 'exit', side, quantity, position, available);
      const denials = runPreflight(context, rules);
      // Nothing held is never an exit order, whatever rule chain was given (a chain without the position rule included).
      if (quantity === 0 && denials.length === 0) denials.push(positionRule(context!)!);
      if (denials.length > 0) {
        out.push({ intent, verdict: 'denied', denials, context });
        continue;
      }
      out.push({
        intent,
        verdict: 'approved',
        // The rules' own (empty) list: no second empty array per approval.
        denials,
        context,
        order: { kind: 'exit', symbol: input.symbol, side: q > 0 ? 'sell' : 'buy', positionSide: side, quantity, allIn: false, reduceOnly: true, reason: intent.reason ?? 'strategy exit' },
      });
      available += quantity * (q > 0 ? input.price : position!.entryPrice);
      position = undefined;
      continue;
    }
    const quote = entryQuoteAmount(input.sizing, input.equity, available, intent.sizeFraction);
    const feeAdj = 1 + input.market.takerFee;
    const quantity = floorToStep(quote / (input.price * input.market.contractSize * feeAdj), input.market.amountStep);
    context = preflightContext(input, 'entry', intent.side, quantity, position, available);
    const denials = runPreflight(context, rules);
    if (denials.length > 0) {
      out.push({ intent, verdict: 'denied', denials, context });
      continue;
    }
    out.push({
      intent,
      verdict: 'approved',
      denials,
      order: {
        kind: 'entry',
        symbol: input.symbol,
        side: intent.side === 'long' ? 'buy' : 'sell',
        positionSide: intent.side,
        quantity,
        allIn: input.sizing.kind === 'all-in',
        reduceOnly: false,
        stopLoss: intent.stopLoss,
        takeProfit: intent.takeProfit,
        reason: intent.reason ?? 'strategy entry',
      },
    });
    available -= quantity * input.price * input.market.contractSize * feeAdj;
  }
  return out;
}

/**
 * What the rules judge one intent on. A function of its own rather than a closure in `decide`: a
 * closure is a new function object per call (and, where function names are kept, a name defined on it).
 */
function preflightContext(input: DecideInput, kind: 'entry' | 'exit', side: 'long' | 'short', quantity: number, position: Position | undefined, available: number): PreflightContext {
  return { kind, side, symbol: input.symbol, quantity, price: input.price, position, market: input.market, tradingState: input.tradingState, allowShort: input.allowShort, available, equity: input.equity, risk: input.risk, source: input.source };
}
