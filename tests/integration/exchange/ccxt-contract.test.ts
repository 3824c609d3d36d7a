/** The port contracts, run against the real ccxt client talking to the local Binance-compatible exchange. */
import { describeExecutionContract } from '../../contract/execution.contract.ts';
import { describeMarketDataContract } from '../../contract/market-data.contract.ts';
import { startHarness } from './harness.ts';

describeMarketDataContract('ccxt binance spot → local exchange', async () => {
  const h = await startHarness();
  return {
    marketData: h.adapter,
    symbol: 'BTC/USDT',
    timeframe: '1m',
    historyStart: h.local.state.candles.historyStart('1m'),
    setPrice: (p) => h.local.state.setPrice('BTC/USDT', p),
    now: () => h.local.state.now(),
    close: h.close,
  };
});

describeMarketDataContract('ccxt binance USDⓈ-M swap → local exchange', async () => {
  const h = await startHarness({ marketType: 'swap' });
  return {
    marketData: h.adapter,
    symbol: 'BTC/USDT:USDT',
    timeframe: '5m',
    historyStart: h.local.state.candles.historyStart('5m'),
    setPrice: (p) => h.local.state.setPrice('BTC/USDT:USDT', p),
    now: () => h.local.state.now(),
    close: h.close,
  };
});

describeExecutionContract('ccxt binance spot → local exchange', async () => {
  const h = await startHarness();
  await h.adapter.loadMarkets();
  return {
    execution: h.adapter,
    symbol: 'BTC/USDT',
    initialPrice: 50_000,
    setPrice: (p) => h.local.state.setPrice('BTC/USDT', p),
    close: h.close,
  };
});
