/** The port contracts, run against the simulated exchange (synthetic market, frozen clock). */
import { createSimExchange, type SimExchangeOptions } from '../../../src/adapters/exchange/sim/index.ts';
import { describeExecutionContract } from '../../contract/execution.contract.ts';
import { describeMarketDataContract } from '../../contract/market-data.contract.ts';

const NOW = Date.UTC(2024, 4, 1, 12, 0, 0);

async function sim(extra: Partial<SimExchangeOptions> = {}) {
  return createSimExchange({
    symbols: ['BTC/USDT'],
    timeframe: '1m',
    seed: 42,
    // Frozen simulated time: closed candles do not change under the suite's feet.
    speed: 0,
    historyCandles: 5_000,
    cash: 100_000,
    assets: { BTC: 1 },
    feeBps: 10,
    slippageBps: 0,
    marketType: 'spot',
    now: () => NOW,
    ...extra,
  });
}

describeMarketDataContract('sim spot (synthetic market)', async () => {
  const ex = await sim();
  const first = await ex.fetchCandles('BTC/USDT', '1m', 0, 1);
  return {
    marketData: ex,
    symbol: 'BTC/USDT',
    timeframe: '1m',
    historyStart: first.ts[0]!,
    setPrice: (p) => ex.setPrice('BTC/USDT', p),
    now: () => ex.clock.now(),
    close: () => ex.close(),
  };
});

describeMarketDataContract('sim swap, 5m (synthetic market, accelerated clock)', async () => {
  let real = NOW;
  const ex = await sim({ symbols: ['BTC/USDT:USDT'], marketType: 'swap', timeframe: '5m', speed: 10, now: () => (real += 1) });
  const first = await ex.fetchCandles('BTC/USDT:USDT', '5m', 0, 1);
  return {
    marketData: ex,
    symbol: 'BTC/USDT:USDT',
    timeframe: '5m',
    historyStart: first.ts[0]!,
    setPrice: (p) => ex.setPrice('BTC/USDT:USDT', p),
    now: () => ex.clock.now(),
    close: () => ex.close(),
  };
});

describeExecutionContract('sim spot (synthetic market)', async () => {
  // The suite reads trades "since one minute ago" on the wall clock: this sim's frozen clock stands
  // at the next minute boundary of the real time, so its fills are stamped within that minute.
  const minute = 60_000;
  const history = 5_000;
  const ex = await sim({ now: Date.now, startTs: Math.floor(Date.now() / minute) * minute + minute - history * minute, historyCandles: history });
  await ex.loadMarkets();
  return {
    execution: ex,
    symbol: 'BTC/USDT',
    initialPrice: 50_000,
    setPrice: (p) => ex.setPrice('BTC/USDT', p),
    close: () => ex.close(),
  };
});
