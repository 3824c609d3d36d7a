/** Shared set-up for the ccxt adapter tests: a local exchange, a captured logger, an adapter wired to both. */
import { pino, type Logger } from 'pino';
import { createCcxtExchange, type CcxtExchange, type CcxtExchangeOptions } from '../../../src/adapters/exchange/ccxt-exchange.ts';
import { start, TEST_API_KEY, TEST_API_SECRET, type LocalExchange, type LocalExchangeOptions } from '../../support/local-exchange/index.ts';

export interface CapturedLogger {
  logger: Logger;
  /** Every JSON line the logger wrote. */
  lines: string[];
}

/** A pino logger at trace level writing into memory, so tests can scan every line. */
export function captureLogger(): CapturedLogger {
  const lines: string[] = [];
  const logger = pino({ level: 'trace' }, { write: (line: string) => void lines.push(line) });
  return { logger, lines };
}

export interface Harness {
  local: LocalExchange;
  adapter: CcxtExchange;
  log: CapturedLogger;
  /** Every sleep the adapter asked for (retry backoff, order budget), in ms; no real waiting. */
  sleeps: number[];
  close(): Promise<void>;
}

export interface HarnessOptions {
  marketType?: 'spot' | 'swap';
  local?: LocalExchangeOptions;
  adapter?: Partial<CcxtExchangeOptions>;
}

/** Start a local exchange and a ccxt adapter pointed at it (EXCHANGE_URL), with instant sleeps. */
export async function startHarness(o: HarnessOptions = {}): Promise<Harness> {
  const local = await start(o.local);
  const log = captureLogger();
  const sleeps: number[] = [];
  const adapter = await createCcxtExchange({
    exchangeId: 'binance',
    apiKey: o.local?.apiKey ?? TEST_API_KEY,
    secret: o.local?.secret ?? TEST_API_SECRET,
    marketType: o.marketType ?? 'spot',
    sandbox: false,
    baseUrl: local.url,
    maxLeverage: 5,
    logger: log.logger,
    timeoutMs: 2_000,
    enableRateLimit: false,
    requestGate: { sleep: async () => {} },
    ...o.adapter,
    retry: {
      sleep: async (ms) => {
        sleeps.push(ms);
      },
      ...o.adapter?.retry,
    },
  });
  return {
    local,
    adapter,
    log,
    sleeps,
    close: async () => {
      await adapter.close();
      await local.close();
    },
  };
}
