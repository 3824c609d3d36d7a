import { describe, expect, it } from 'vitest';
import { guessPair, mapSignalSymbol } from '../../../src/signals/symbol-mapping.ts';

describe('TradingView / 3Commas tickers onto the traded symbols', () => {
  const spot = ['BTC/USDT', 'ETH/USDT'];
  it.each([
    ['BINANCE:BTCUSDT', 'BTC/USDT'],
    ['BTCUSDT', 'BTC/USDT'],
    ['btc-usdt', 'BTC/USDT'],
    ['ETH_USDT', 'ETH/USDT'],
    ['BTC/USDT', 'BTC/USDT'],
    ['BYBIT:ETHUSDT.P', 'ETH/USDT'],
  ])('%s → %s', (ticker, symbol) => expect(mapSignalSymbol(ticker, spot)).toBe(symbol));
  it('maps a perpetual ticker onto the swap symbol', () => expect(mapSignalSymbol('BINANCE:BTCUSDT.P', ['BTC/USDT:USDT'])).toBe('BTC/USDT:USDT'));
  it('refuses what is not traded here rather than guessing', () => {
    expect(mapSignalSymbol('BINANCE:DOGEUSDT', spot)).toBeUndefined();
    expect(mapSignalSymbol('BTCUSD', spot)).toBeUndefined();
    expect(guessPair('BINANCE:DOGEUSDT')).toBe('DOGE/USDT');
  });
});
