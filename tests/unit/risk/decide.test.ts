import { describe, expect, it } from 'vitest';
import type { MarketInfo } from '../../../src/domain/market.ts';
import type { Position } from '../../../src/domain/portfolio.ts';
import type { TradingState } from '../../../src/domain/trading-state.ts';
import { decide, type DecideInput } from '../../../src/risk/decide.ts';
import { parseSizing } from '../../../src/risk/sizing.ts';

const market: MarketInfo = { symbol: 'BTC/USDT', base: 'BTC', quote: 'USDT', type: 'spot', amountStep: 0.001, priceStep: 0.01, minAmount: 0.001, minNotional: 5, contractSize: 1, makerFee: 0.0008, takerFee: 0.001 };
const active: TradingState = { state: 'ACTIVE', reason: 'started', changedBy: 'system', changedAt: 0 };
const long: Position = { symbol: 'BTC/USDT', quantity: 0.5, entryPrice: 100, realizedPnl: 0, openedAt: 0 };

function input(over: Partial<DecideInput>): DecideInput {
  return { symbol: 'BTC/USDT', intents: [], position: undefined, price: 100, equity: 1000, available: 1000, market, sizing: parseSizing('percent:10'), tradingState: active, allowShort: false, ...over };
}

describe('decide', () => {
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
