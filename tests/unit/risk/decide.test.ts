import { describe, expect, it } from 'vitest';
import type { MarketInfo } from '../../../src/domain/market.ts';
import type { Position } from '../../../src/domain/portfolio.ts';
import type { TradingState } from '../../../src/domain/trading-state.ts';
import { decide, type DecideInput } from '../../../src/risk/decide.ts';
import type { PreflightContext, PreflightRule } from '../../../src/risk/preflight/index.ts';
import { parseSizing } from '../../../src/risk/sizing.ts';

const market: MarketInfo = { symbol: 'BTC/USDT', base: 'BTC', quote: 'USDT', type: 'spot', amountStep: 0.001, priceStep: 0.01, minAmount: 0.001, minNotional: 5, contractSize: 1, makerFee: 0.0008, takerFee: 0.001 };
const active: TradingState = { state: 'ACTIVE', reason: 'started', changedBy: 'system', changedAt: 0 };
const long: Position = { symbol: 'BTC/USDT', quantity: 0.5, entryPrice: 100, realizedPnl: 0, openedAt: 0 };

function input(over: Partial<DecideInput>): DecideInput {
  return { symbol: 'BTC/USDT', intents: [], position: undefined, price: 100, equity: 1000, available: 1000, market, sizing: parseSizing('percent:10'), tradingState: active, allowShort: false, ...over };
}

describe('decide', () => {
  it('an exit with nothing held is denied even by a rule chain without the position rule (never an order of 0)', () => {
    for (const rules of [[], undefined]) {
      const [d] = decide(input({ intents: [{ kind: 'exit', reason: 'x' }], rules }));
      expect(d!.verdict).toBe('denied');
      expect(d!.order).toBeUndefined();
      expect(d!.denials).toEqual([{ code: 'NO_POSITION', message: 'no open position on BTC/USDT to exit' }]);
    }
  });

  it('sizes an entry from equity, rounded down to the lot, fee included', () => {
    const [d] = decide(input({ intents: [{ kind: 'enter', side: 'long', stopLoss: 90 }] }));
    expect(d!.verdict).toBe('approved');
    // 10 % of 1000 = 100 USDT at 100 × 1.001 → 0.999 → floor to 0.001 lot
    expect(d!.order).toMatchObject({ kind: 'entry', side: 'buy', quantity: 0.999, stopLoss: 90, reduceOnly: false });
  });

  it('exits the whole position, then enters the other way on the same candle', () => {
    const ds = decide(input({ intents: [{ kind: 'exit', reason: 'x' }, { kind: 'enter', side: 'short' }], position: long, allowShort: true, available: 950 }));
    expect(ds.map((d) => d.verdict)).toEqual(['approved', 'approved']);
    expect(ds[0]!.order).toMatchObject({ kind: 'exit', side: 'sell', quantity: 0.5, reduceOnly: true });
    expect(ds[1]!.order).toMatchObject({ kind: 'entry', side: 'sell', positionSide: 'short' });
  });

  it('denies with reason codes instead of throwing', () => {
    const cases: Array<[Partial<DecideInput>, string]> = [
      [{ intents: [{ kind: 'exit' }] }, 'NO_POSITION'],
      [{ intents: [{ kind: 'enter', side: 'long' }], position: long }, 'ALREADY_IN_POSITION'],
      [{ intents: [{ kind: 'enter', side: 'short' }] }, 'SHORT_NOT_ALLOWED'],
      [{ intents: [{ kind: 'enter', side: 'long' }], equity: 30, available: 30 }, 'BELOW_MIN_NOTIONAL'],
      [{ intents: [{ kind: 'enter', side: 'long' }], tradingState: { ...active, state: 'REDUCING', reason: 'paused' } }, 'NO_NEW_ENTRIES'],
      [{ intents: [{ kind: 'exit' }], position: long, tradingState: { ...active, state: 'HALTED', reason: 'stop' } }, 'HALTED'],
    ];
    for (const [over, code] of cases) {
      const [d] = decide(input(over));
      expect(d!.verdict, code).toBe('denied');
      expect(d!.denials.map((x) => x.code)).toContain(code);
      expect(d!.order).toBeUndefined();
    }
  });

  it('lets a paused (REDUCING) account still exit', () => {
    const [d] = decide(input({ intents: [{ kind: 'exit' }], position: long, tradingState: { ...active, state: 'REDUCING', reason: 'paused' } }));
    expect(d!.verdict).toBe('approved');
  });

  it('never sizes an entry beyond what is available', () => {
    const [d] = decide(input({ intents: [{ kind: 'enter', side: 'long' }], sizing: parseSizing('percent:100'), equity: 1000, available: 400 }));
    expect(d!.verdict).toBe('approved');
    expect(d!.order!.quantity * 100 * 1.001).toBeLessThanOrEqual(400);
  });
});

describe('parseSizing', () => {
  it('parses the four kinds and refuses the rest', () => {
    expect(parseSizing('all-in')).toEqual({ kind: 'all-in' });
    expect(parseSizing('fixed:250')).toEqual({ kind: 'fixed', quote: 250 });
    expect(parseSizing('percent:12.5')).toEqual({ kind: 'percent', pct: 12.5 });
    expect(parseSizing('kelly').kind).toBe('kelly');
    for (const bad of ['percent:0', 'percent:101', 'fixed:-1', 'fixed:abc', 'half']) expect(() => parseSizing(bad)).toThrow(/sizing/);
  });
});

describe('decide: the orders it plans', () => {
  const short: Position = { ...long, quantity: -0.5 };

  it('an approved exit: whole position, reduce-only, not all-in, the side that closes it, no denials', () => {
    const [l] = decide(input({ intents: [{ kind: 'exit' }], position: long }));
    expect(l).toMatchObject({ verdict: 'approved', denials: [] });
    expect(l!.order).toEqual({ kind: 'exit', symbol: 'BTC/USDT', side: 'sell', positionSide: 'long', quantity: 0.5, allIn: false, reduceOnly: true, reason: 'strategy exit' });
    expect(l!.context).toMatchObject({ kind: 'exit', side: 'long', quantity: 0.5 });
    const [s] = decide(input({ intents: [{ kind: 'exit', reason: 'take-profit' }], position: short }));
    expect(s!.order).toEqual({ kind: 'exit', symbol: 'BTC/USDT', side: 'buy', positionSide: 'short', quantity: 0.5, allIn: false, reduceOnly: true, reason: 'take-profit' });
    expect(s!.context).toMatchObject({ kind: 'exit', side: 'short', quantity: 0.5 });
  });

  it('an exit with nothing held is judged as a long exit of 0', () => {
    const [d] = decide(input({ intents: [{ kind: 'exit' }] }));
    expect(d!.context).toMatchObject({ kind: 'exit', side: 'long', quantity: 0 });
  });

  it('an approved entry: the strategy reason or "strategy entry", all-in flagged only for all-in sizing, no denials', () => {
    const [p] = decide(input({ intents: [{ kind: 'enter', side: 'long', takeProfit: 130 }] }));
    expect(p).toMatchObject({ verdict: 'approved', denials: [] });
    expect(p!.order).toEqual({ kind: 'entry', symbol: 'BTC/USDT', side: 'buy', positionSide: 'long', quantity: 0.999, allIn: false, reduceOnly: false, stopLoss: undefined, takeProfit: 130, reason: 'strategy entry' });
    const [a] = decide(input({ intents: [{ kind: 'enter', side: 'long', reason: 'breakout' }], sizing: parseSizing('all-in') }));
    expect(a!.order).toMatchObject({ allIn: true, reason: 'breakout', quantity: 9.99 });
  });

  it('message intents are not orders', () => {
    expect(decide(input({ intents: [{ kind: 'message', text: 'hello' }] }))).toEqual([]);
  });

  it('uses the rules it is given instead of the default chain', () => {
    const [d] = decide(input({ intents: [{ kind: 'enter', side: 'short' }], allowShort: false, rules: [] }));
    expect(d!.verdict).toBe('approved');
    const [n] = decide(input({ intents: [{ kind: 'enter', side: 'long' }], rules: [() => ({ code: 'NOPE', message: 'no' })] }));
    expect(n!.denials).toEqual([{ code: 'NOPE', message: 'no' }]);
  });

  it('a long exit frees its value at the current price for the entry after it', () => {
    // 0.5 × 200 = 100 free → 100 / (200 × 1.001) = 0.4995… → 0.499
    const ds = decide(input({ intents: [{ kind: 'exit' }, { kind: 'enter', side: 'long' }], position: long, price: 200, available: 0, sizing: parseSizing('all-in') }));
    expect(ds.map((d) => d.order?.quantity)).toEqual([0.5, 0.499]);
  });

  it('a short exit frees its margin at the entry price for the entry after it', () => {
    // 0.5 × 100 (entry) = 50 free → 50 / (200 × 1.001) = 0.2497… → 0.249
    const ds = decide(input({ intents: [{ kind: 'exit' }, { kind: 'enter', side: 'long' }], position: short, price: 200, available: 0, sizing: parseSizing('all-in') }));
    expect(ds.map((d) => d.order?.quantity)).toEqual([0.5, 0.249]);
  });

  it('contracts: an entry is sized in contracts of contractSize units, and a second entry only gets what the first left', () => {
    const contracts: MarketInfo = { ...market, contractSize: 2 };
    const ds = decide(input({ intents: [{ kind: 'enter', side: 'long' }, { kind: 'enter', side: 'long' }], market: contracts, sizing: parseSizing('fixed:600') }));
    // 600 / (100 × 2 × 1.001) = 2.997…; it costs 2.997 × 200.2 = 599.9994, leaving 400.0006 → 1.998
    expect(ds.map((d) => d.order?.quantity)).toEqual([2.997, 1.998]);
  });
  it('each intent is judged on its own context: the position and funds the intents before it left', () => {
    const seen: PreflightContext[] = [];
    const record: PreflightRule = (ctx) => {
      seen.push(ctx);
      return undefined;
    };
    const ds = decide(input({ intents: [{ kind: 'exit' }, { kind: 'enter', side: 'long' }], position: long, price: 200, available: 10, equity: 110, rules: [record], sizing: parseSizing('all-in'), source: 'manual' }));
    expect(seen).toHaveLength(2);
    expect(seen[0]).toEqual({ kind: 'exit', side: 'long', symbol: 'BTC/USDT', quantity: 0.5, price: 200, position: long, market, tradingState: active, allowShort: false, available: 10, equity: 110, risk: undefined, source: 'manual' });
    // After the exit: flat, and its value (0.5 × 200) is available.
    expect(seen[1]).toMatchObject({ kind: 'entry', side: 'long', position: undefined, available: 110, quantity: 0.549 });
    expect(ds[0]!.context).toBe(seen[0]);
    expect(seen[1]).not.toBe(seen[0]);
  });
});
