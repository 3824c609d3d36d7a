import { resolve } from 'node:path';
import { TEST_API_KEY, TEST_API_SECRET } from './local-exchange/index.ts';
import { tempDataDir } from './spawn-bot.ts';

/**
 * The environment of a real `tradeops start` in live mode against the local Binance-compatible
 * exchange, driven by hand from its console: the test fixtures' `idle` strategy (it never trades by
 * itself), JSON logs at warn. `extra` adds or overrides variables.
 */
export function liveBotEnv(venueUrl: string, symbols: readonly string[], extra: Record<string, string> = {}): Record<string, string> {
  return {
    DATA_DIR: tempDataDir(),
    HTTP_PORT: '0',
    CONSOLE: 'true',
    LOG_FORMAT: 'json',
    LOG_LEVEL: 'warn',
    MODE: 'live',
    LIVE_TRADING_ACK: 'yes',
    EXCHANGE: 'binance',
    EXCHANGE_URL: venueUrl,
    EXCHANGE_API_KEY: TEST_API_KEY,
    EXCHANGE_API_SECRET: TEST_API_SECRET,
    SYMBOLS: symbols.join(','),
    TIMEFRAME: '1m',
    STRATEGIES_DIR: resolve(import.meta.dirname, '../fixtures/strategies'),
    STRATEGY: 'idle',
    ...extra,
  };
}
