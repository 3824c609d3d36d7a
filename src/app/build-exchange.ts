import type { SimMarketState } from '../adapters/exchange/sim/index.ts';
import type { Config } from '../config.ts';
import type { ExchangeAccessSource } from './exchange-access.ts';
import type { Position } from '../domain/portfolio.ts';
import type { Logger } from '../logger.ts';
import type { Clock } from '../ports/clock.ts';
import type { Execution } from '../ports/execution.ts';
import type { MarketData } from '../ports/market-data.ts';

/** The three ports that differ between modes, plus how to release them. */
export interface ExchangeBundle {
  marketData: MarketData;
  execution: Execution;
  clock: Clock;
  /** The real venue's request gate (bans, rate limits, latency); none on the simulated exchange. */
  access?: ExchangeAccessSource;
  close(): Promise<void>;
  /** The simulated market's state (EXCHANGE=sim), to store it and continue after a restart. */
  simMarket?: { state(): SimMarketState | undefined; readonly resumed: boolean };
}

/** The id orders, fills and positions are stored under: paper accounts are kept apart from live ones. */
export function accountExchangeId(config: Pick<Config, 'EXCHANGE' | 'MODE'>): string {
  if (config.EXCHANGE === 'sim') return 'sim';
  return config.MODE === 'paper' ? `paper-${config.EXCHANGE}` : config.EXCHANGE;
}

/** A paper account as stored (margin-style cash + positions), to restore the simulated venue's balances. */
export interface PaperAccount {
  cash: number;
  positions: readonly Position[];
}

/**
 * The simulated venue keeps balances the spot way (quote coins + base coins) or the margin way
 * (cash + positions). Rebuild them from the stored account so a restart can still close what it holds.
 */
export function simBalancesOf(account: PaperAccount | undefined, marketType: 'spot' | 'swap', initialCash: number): { cash: number; assets?: Record<string, number>; positions?: readonly Position[] } {
  if (!account) return { cash: initialCash };
  if (marketType === 'swap') return { cash: account.cash, positions: account.positions };
  const assets: Record<string, number> = {};
  let quote = account.cash;
  for (const p of account.positions) {
    if (p.quantity <= 0) continue;
    const base = p.symbol.split('/')[0]!;
    assets[base] = (assets[base] ?? 0) + p.quantity;
    quote -= p.quantity * p.entryPrice;
  }
  return { cash: quote, assets };
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
export async function buildExchange(config: Config, logger: Logger, paperAccount?: PaperAccount, resume?: SimMarketState): Promise<ExchangeBundle> {
  const { createSimExchange } = await import('../adapters/exchange/sim/index.ts');
  const simOptions = {
    symbols: config.SYMBOLS,
    timeframe: config.TIMEFRAME,
    seed: config.SIM_SEED,
    speed: config.SIM_SPEED,
    historyCandles: SIM_HISTORY_CANDLES,
    ...simBalancesOf(paperAccount, config.EXCHANGE_MARKET, config.PAPER_CASH),
    feeBps: config.SIM_FEE_BPS,
    slippageBps: config.SIM_SLIPPAGE_BPS,
    marketType: config.EXCHANGE_MARKET,
    leverage: config.MAX_LEVERAGE,
  } as const;
  if (config.EXCHANGE === 'sim') {
    const sim = await createSimExchange({ ...simOptions, dataFile: config.SIM_DATA, resume });
    return { marketData: sim, execution: sim, clock: sim.clock, close: () => sim.close(), simMarket: { state: () => sim.marketState(), resumed: sim.resumed } };
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
    return { marketData: venue, execution: venue, clock: realClock, access: venue.access, close: () => venue.close() };
  }
  const paper = await createSimExchange({ ...simOptions, exchangeId: accountExchangeId(config), priceSource: venue });
  return {
    marketData: paper,
    execution: paper,
    clock: realClock,
    access: venue.access,
    close: async () => {
      await paper.close();
      await venue.close();
    },
  };
}
