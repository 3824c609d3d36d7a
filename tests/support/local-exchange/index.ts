/**
 * Local Binance-compatible exchange for the test suite (spot /api/v3 and USDⓈ-M /fapi). See server.ts.
 *
 *     const ex = await start();
 *     ex.state.setPrice('BTC/USDT', 51_000);
 *     ex.faults.add('POST /api/v3/order', { recordThenFail: 'hang' });
 *     await ex.close();
 */
export { start, type LocalExchange, type LocalExchangeOptions, type RecordedRequest } from './server.ts';
export { FAULTS, FaultQueue, binanceError, seededRandom, type Fault } from './faults.ts';
export { ExchangeState, DEFAULT_SPOT_BALANCES } from './state.ts';
export { DEFAULT_MARKETS, spotExchangeInfo, futuresExchangeInfo, type LocalMarketSpec } from './markets.ts';
export { TEST_API_KEY, TEST_API_SECRET } from './signing.ts';
export { SPOT_FEE_RATE } from './spot-book.ts';
export { FUTURES_MAKER_FEE, FUTURES_TAKER_FEE, DEFAULT_LEVERAGE } from './futures-book.ts';
