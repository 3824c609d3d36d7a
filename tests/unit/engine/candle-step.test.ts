import { describe, expect, it } from 'vitest';
import { candlesFromRows } from '../../../src/domain/candles.ts';
import type { MarketInfo } from '../../../src/domain/market.ts';
import type { Position } from '../../../src/domain/portfolio.ts';
import { candleStep, createCandleStepper, newStepResult, STOP_LOSS_EXIT, type GateInputs } from '../../../src/engine/candle-step.ts';
import type { DecideInput, Decision } from '../../../src/risk/decide.ts';
import type { Intent, StrategyInstance } from '../../../src/strategies/strategy.ts';

const H = 3_600_000;
const candles = candlesFromRows([100, 101, 102, 103].map((p, k) => ({ ts: k * H, open: p, high: p + 5, low: p - 5, close: p + 1, volume: 1 })));
const market: MarketInfo = { symbol: 'BTC/USDT', base: 'BTC', quote: 'USDT', type: 'spot', amountStep: 0, priceStep: 0, minAmount: 0, minNotional: 0, contractSize: 1, makerFee: 0, takerFee: 0 };
const gateInputs: GateInputs = {
  equity: 1_000,
  available: 900,
  market,
  sizing: { kind: 'all-in' },
  tradingState: { state: 'ACTIVE', reason: 'test', changedBy: 'test', changedAt: 0 },
  allowShort: false,
  rules: [],
  risk: undefined,
  source: 'strategy',
};

/** A strategy answering from a script (candle index → intents) and a gate that records what it was given. */
function rig(script: Record<number, readonly Intent[]>) {
  const inputs: DecideInput[] = [];
  const gate = (input: DecideInput): Decision[] => {
    inputs.push(input);
    return input.intents.map((intent) => ({ intent, verdict: 'denied' as const, denials: [{ code: 'TEST', message: 'test' }] }));
  };
  const strategy: StrategyInstance = { prepare: () => {}, onCandle: (ctx) => script[ctx.i] };
  const stepper = createCandleStepper({ symbol: 'BTC/USDT', timeframe: '1h', tfMs: H, strategy, allowShort: false, candles, gate });
  return { stepper, inputs };
}

describe('candleStep: the step result and the gate input', () => {
  it('a step that decides marks its result dirty; the next step that decides nothing resets every field', () => {
    const enter: Intent = { kind: 'enter', side: 'long', reason: 'script' };
    const { stepper } = rig({ 0: [{ kind: 'message', text: 'hello' }, enter] });
    const out = newStepResult();
    expect(out.dirty).toBe(false);
    candleStep(stepper, 0, undefined, undefined, true, gateInputs, out);
    expect(out.dirty).toBe(true);
    expect(out.messages).toEqual(['hello']);
    expect(out.decisions).toHaveLength(1);
    candleStep(stepper, 1, undefined, undefined, true, gateInputs, out);
    expect(out).toEqual({ decisions: [], messages: [], protective: 0, dirty: false });
  });

  it('the gate gets every gate input and the step’s own fields, and the strategy’s own list when it holds only trading intents', () => {
    const mine: readonly Intent[] = [{ kind: 'enter', side: 'long', reason: 'script' }];
    const { stepper, inputs } = rig({ 2: mine });
    const out = newStepResult();
    candleStep(stepper, 2, undefined, undefined, true, gateInputs, out);
    expect(inputs).toHaveLength(1);
    expect(inputs[0]!.intents).toBe(mine);
    expect(inputs[0]).toStrictEqual({ ...gateInputs, symbol: 'BTC/USDT', intents: mine, price: candles.close[2], position: undefined });
    expect(stepper.entrySignals).toBe(1);
  });

  it('messages leave the list sent to the gate, and a protective exit goes first', () => {
    const enter: Intent = { kind: 'enter', side: 'long', reason: 'script' };
    const exit: Intent = { kind: 'exit', reason: 'script' };
    const withMessage: readonly Intent[] = [{ kind: 'message', text: 'note' }, enter];
    const { stepper, inputs } = rig({ 1: withMessage, 3: [exit] });
    const out = newStepResult();
    candleStep(stepper, 1, undefined, undefined, true, gateInputs, out);
    expect(inputs[0]!.intents).toEqual([enter]);
    expect(out.messages).toEqual(['note']);
    // A long position whose stop (100) the candle's low (103 − 5) went through: the stop exits first.
    const position: Position = { symbol: 'BTC/USDT', quantity: 1, entryPrice: 110, realizedPnl: 0, openedAt: 0, stopLoss: 100 };
    candleStep(stepper, 3, position, { side: 'long', quantity: 1, entryPrice: 110, openedAt: 0 }, true, gateInputs, out);
    expect(inputs[1]!.intents).toEqual([STOP_LOSS_EXIT, exit]);
    expect(out.protective).toBe(-1);
    // Only messages: nothing goes to the gate.
    const quiet = rig({ 0: [{ kind: 'message', text: 'only this' }] });
    candleStep(quiet.stepper, 0, undefined, undefined, true, gateInputs, out);
    expect(quiet.inputs).toHaveLength(0);
    expect(out.messages).toEqual(['only this']);
    expect(out.decisions).toEqual([]);
  });
});
