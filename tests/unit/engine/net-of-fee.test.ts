import { describe, expect, it } from 'vitest';
import type { Fill } from '../../../src/domain/orders.ts';
import { netOfFee } from '../../../src/engine/fill-processor.ts';

const fill = (over: Partial<Fill>): Fill => ({ tradeId: 't', clientOrderId: 'c', symbol: 'BTC/USDT', side: 'buy', price: 50_000, amount: 0.01, fee: 0, feeCurrency: 'USDT', ts: 0, ...over });

describe('netOfFee', () => {
  it('a buy whose fee is taken in the base coin holds less, and the fee is valued in quote', () => {
    expect(netOfFee(fill({ fee: 0.00001, feeCurrency: 'BTC' }))).toEqual({ quantity: 0.00999, feeQuote: 0.5 });
  });
  it('a sell whose fee is taken in the base coin gives up more than it sold', () => {
    expect(netOfFee(fill({ side: 'sell', fee: 0.00001, feeCurrency: 'BTC' }))).toEqual({ quantity: 0.01001, feeQuote: 0.5 });
  });
  it('a quote (or BNB, or unknown) fee leaves the quantity alone', () => {
    expect(netOfFee(fill({ fee: 0.5, feeCurrency: 'USDT' }))).toEqual({ quantity: 0.01, feeQuote: 0.5 });
    expect(netOfFee(fill({ fee: 0.5, feeCurrency: '' }))).toEqual({ quantity: 0.01, feeQuote: 0.5 });
    expect(netOfFee(fill({ symbol: 'BTC/USDT:USDT', fee: 0.2, feeCurrency: 'USDT' }))).toEqual({ quantity: 0.01, feeQuote: 0.2 });
  });
});
