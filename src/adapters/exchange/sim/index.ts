export { createSimExchange, type SimExchange, type SimExchangeOptions, type SimMarketState } from './sim-exchange.ts';
export { MatchingEngine, type MatchingEngineOptions, type FillListener } from './matching-engine.ts';
export { buildSimMarkets, simBasePrice, simSymbol, SIM_QUOTE } from './sim-markets.ts';
export { SyntheticSeries } from './synthetic-market.ts';
export { SimTimeline } from './sim-timeline.ts';
