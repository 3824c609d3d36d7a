import type { Config } from '../config.ts';
import type { Logger } from '../logger.ts';
import type { Clock } from '../ports/clock.ts';
import type { Execution } from '../ports/execution.ts';
import type { MarketData } from '../ports/market-data.ts';

/** The three ports that differ between modes, plus how to release them. */
export interface ExchangeBundle {
  marketData: MarketData;
  execution: Execution;
  clock: Clock;
  close(): Promise<void>;
}

/** Closed candles the simulated market has at start: enough for any warm-up and for chat backtests. */
export const SIM_HISTORY_CANDLES = 20_000;

/**
 * Pick the exchange adapters for the configured mode:
 * - paper + sim: the simulated exchange for data and fills, on its accelerated clock;
 * - paper + real venue: ccxt for prices, the simulated matching engine for fills, real clock;
 * - live: ccxt for both (after checking the venue offers every capability live trading needs).
 * ccxt and the sim load lazily, so a path that does not use one never pays for it.
 */
export async function buildExchange(config: Config, logger: Logger): Promise<ExchangeBundle> {
  const { createSimExchange } = await import('../adapters/exchange/sim/index.ts');
  const simOptions = {
    symbols: config.SYMBOLS,
    timeframe: config.TIMEFRAME,
    seed: config.SIM_SEED,
    speed: config.SIM_SPEED,
    historyCandles: SIM_HISTORY_CANDLES,
    cash: config.PAPER_CASH,
    feeBps: config.SIM_FEE_BPS,
    slippageBps: config.SIM_SLIPPAGE_BPS,
    marketType: config.EXCHANGE_MARKET,
    leverage: config.MAX_LEVERAGE,
  } as const;
  if (config.EXCHANGE === 'sim') {
    const sim = await createSimExchange({ ...simOptions, dataFile: config.SIM_DATA });
    return { marketData: sim, execution: sim, clock: sim.clock, close: () => sim.close() };
  }
  const { createCcxtExchange } = await import('../adapters/exchange/ccxt-exchange.ts');
  const venue = await createCcxtExchange({
    exchangeId: config.EXCHANGE,
    apiKey: config.EXCHANGE_API_KEY,
    secret: config.EXCHANGE_API_SECRET,
    password: config.EXCHANGE_API_PASSWORD,
    marketType: config.EXCHANGE_MARKET,
    sandbox: config.EXCHANGE_SANDBOX,
    baseUrl: config.EXCHANGE_URL,
    maxLeverage: config.MAX_LEVERAGE,
    logger: logger.child({ component: 'exchange' }),
  });
  try {
    await venue.checkCapabilities(config.MODE);
  } catch (err) {
    await venue.close();
    throw err;
  }
  const realClock: Clock = { now: () => Date.now() };
  if (config.MODE === 'live') {
    return { marketData: venue, execution: venue, clock: realClock, close: () => venue.close() };
  }
  const paper = await createSimExchange({ ...simOptions, exchangeId: `paper-${config.EXCHANGE}`, priceSource: venue });
  return {
    marketData: paper,
    execution: paper,
    clock: realClock,
    close: async () => {
      await paper.close();
      await venue.close();
    },
  };
}
