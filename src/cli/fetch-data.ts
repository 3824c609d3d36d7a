import { parseArgs } from 'node:util';
import { SIM_HISTORY_CANDLES } from '../app/build-exchange.ts';
import type { Config } from '../config.ts';
import { loadConfig } from '../config.ts';
import { timestampFromValue } from '../domain/candle-parsing/parse-timestamp.ts';
import { AppError } from '../domain/errors.ts';
import { timeframeToMs } from '../domain/timeframe.ts';
import { createLogger, registerSecrets } from '../logger.ts';
import { openCandleDatabase } from '../market-data/candle-database.ts';
import { fetchMissingCandles, type FetchCandlesResult } from '../market-data/fetch-candles.ts';
import { formatBlock, formatGaps, formatRange } from '../market-data/summary-format.ts';
import type { MarketData } from '../ports/market-data.ts';
import { reportCliError } from './report-error.ts';
import { envOf, type CliIo } from './io.ts';
import { createProgressBar, formatCount, formatDuration } from './progress-bar.ts';

export const FETCH_DATA_HELP = `Usage: tradeops fetch-data --symbol SYMBOL --timeframe TF [options]

Download candles from an exchange into the database. Incremental: it starts after the newest
stored candle (with nothing stored and no --since, one year back). Every page is saved as it
arrives, so an interrupted download (Ctrl-C, a crash, a network failure) continues where it
stopped when you run the same command again. Re-fetched candles are never duplicated.

Options:
  --exchange NAME      sim or a ccxt exchange id, e.g. binance (default: EXCHANGE)
  --symbol SYMBOL      e.g. BTC/USDT (swap markets: BTC/USDT:USDT) (required)
  --timeframe TF       1m, 5m, 15m, 1h, 4h, 1d, … (required)
  --since DATE         first candle: 2024-01-01, 2024-01-01T12:00Z, epoch s/ms, or 30d / 12h / 2w ago
  --until DATE         stop before this time (default: the last closed candle)
  --page-size N        candles per request (default 1000)
  --database-url URL   PostgreSQL server (default: DATABASE_URL)
  --data-dir DIR       embedded database directory (default: DATA_DIR or ./data)
  -h, --help           show this help

The exchange's REST API is used through EXCHANGE_URL when set (a proxy or gateway), with
EXCHANGE_MARKET (spot or swap). No API key is needed: candles are public.
Exit codes: 0 done, 2 bad arguments, 130 interrupted (run again to continue), 1 other errors.
`;

const RELATIVE = /^([1-9][0-9]*)([mhdw])$/;
const UNIT_MS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** `--since`/`--until`: a date, an epoch, or a duration back from the venue's now. */
export function parseWhen(option: string, text: string, now: number): number {
  const rel = RELATIVE.exec(text.trim());
  if (rel) return now - Number(rel[1]) * UNIT_MS[rel[2]!]!;
  const ts = timestampFromValue(text);
  if (!Number.isFinite(ts)) {
    throw new AppError('BAD_REQUEST', `--${option} "${text}" is not a date: use 2024-01-01, 2024-01-01T12:00:00Z, an epoch in seconds or ms, or 30d / 12h / 2w for that long ago`);
  }
  return ts;
}

interface Venue {
  marketData: MarketData;
  now: () => number;
  close(): Promise<void>;
}

/** The sim serves its seeded history (or SIM_DATA); anything else is ccxt (through EXCHANGE_URL when set). */
async function openVenue(exchange: string, symbol: string, timeframe: string, config: Config, io: CliIo): Promise<Venue> {
  if (exchange === 'sim') {
    const { createSimExchange } = await import('../adapters/exchange/sim/index.ts');
    const sim = await createSimExchange({
      symbols: [symbol],
      timeframe,
      seed: config.SIM_SEED,
      speed: config.SIM_SPEED,
      historyCandles: SIM_HISTORY_CANDLES,
      cash: config.PAPER_CASH,
      feeBps: config.SIM_FEE_BPS,
      slippageBps: config.SIM_SLIPPAGE_BPS,
      marketType: config.EXCHANGE_MARKET,
      dataFile: config.SIM_DATA,
      leverage: config.MAX_LEVERAGE,
    });
    return { marketData: sim, now: () => sim.clock.now(), close: () => sim.close() };
  }
  const { createCcxtExchange } = await import('../adapters/exchange/ccxt-exchange.ts');
  const verbose = config.LOG_LEVEL === 'debug' || config.LOG_LEVEL === 'trace';
  const logger = createLogger({ level: verbose ? config.LOG_LEVEL : 'warn', format: 'json', destination: io.stderr as never });
  // Candles are public: no credentials are handed to the adapter at all.
  const venue = await createCcxtExchange({
    exchangeId: exchange,
    marketType: config.EXCHANGE_MARKET,
    sandbox: config.EXCHANGE_SANDBOX,
    baseUrl: config.EXCHANGE_URL,
    maxLeverage: config.MAX_LEVERAGE,
    logger,
  });
  try {
    venue.checkCapabilities('paper');
  } catch (err) {
    await venue.close();
    throw err;
  }
  return { marketData: venue, now: () => Date.now(), close: () => venue.close() };
}

/** `tradeops fetch-data`. */
export async function runFetchDataCommand(argv: string[], io: CliIo): Promise<number> {
  try {
    return await fetchData(argv, io);
  } catch (err) {
    return reportCliError(err, io);
  }
}

async function fetchData(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      exchange: { type: 'string' },
      symbol: { type: 'string' },
      timeframe: { type: 'string' },
      since: { type: 'string' },
      until: { type: 'string' },
      'page-size': { type: 'string' },
      'database-url': { type: 'string' },
      'data-dir': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    io.stdout.write(FETCH_DATA_HELP);
    return 0;
  }
  if (positionals.length > 0) throw new AppError('BAD_REQUEST', `unexpected argument "${positionals[0]}" (see tradeops fetch-data --help)`);
  const symbol = values.symbol?.trim();
  if (!symbol || /\s/.test(symbol)) throw new AppError('BAD_REQUEST', '--symbol is required, e.g. --symbol BTC/USDT');
  if (!values.timeframe) throw new AppError('BAD_REQUEST', '--timeframe is required, e.g. --timeframe 1m');
  const timeframe = values.timeframe;
  const tfMs = timeframeToMs(timeframe);
  const pageSize = values['page-size'] === undefined ? undefined : Number(values['page-size']);
  if (pageSize !== undefined && !(Number.isInteger(pageSize) && pageSize >= 1 && pageSize <= 100_000)) {
    throw new AppError('BAD_REQUEST', `--page-size must be a whole number from 1 to 100000, got "${values['page-size']}"`);
  }

  const env = { ...(await envOf(io)) };
  if (values['database-url']) env.DATABASE_URL = values['database-url'];
  if (values['data-dir']) env.DATA_DIR = values['data-dir'];
  if (values.exchange) env.EXCHANGE = values.exchange.trim();
  const config = loadConfig(env);
  registerSecrets([config.EXCHANGE_API_KEY, config.EXCHANGE_API_SECRET, config.EXCHANGE_API_PASSWORD]);
  const exchange = config.EXCHANGE;

  const venue = await openVenue(exchange, symbol, timeframe, config, io);
  let opened: Awaited<ReturnType<typeof openCandleDatabase>> | undefined;
  const abort = new AbortController();
  const onSigint = () => abort.abort();
  process.once('SIGINT', onSigint);
  let fetched = 0;
  try {
    const markets = await venue.marketData.loadMarkets();
    if (!markets.has(symbol)) {
      const base = symbol.split('/')[0] ?? symbol;
      const near = [...markets.keys()].filter((s) => s.startsWith(`${base}/`)).slice(0, 5);
      throw new AppError('NOT_FOUND', `${exchange} (${config.EXCHANGE_MARKET}) has no market ${symbol}${near.length ? `; listed: ${near.join(', ')}` : ''}`);
    }
    const now = venue.now();
    const since = values.since === undefined ? undefined : parseWhen('since', values.since, now);
    const until = values.until === undefined ? undefined : parseWhen('until', values.until, now);
    opened = await openCandleDatabase(config);
    const store = opened.store;

    const started = Date.now();
    const bar = createProgressBar(io.stdout, { label: `fetching ${exchange} ${symbol} ${timeframe}`, unit: 'candles' });
    let result: FetchCandlesResult;
    try {
      result = await fetchMissingCandles({
        marketData: venue.marketData,
        store,
        exchange,
        symbol,
        timeframe,
        since,
        until,
        now: venue.now,
        pageLimit: pageSize,
        signal: abort.signal,
        onProgress: (p) => {
          fetched = p.fetched;
          bar.update(p.done, p.total);
        },
      });
    } finally {
      bar.finish();
    }

    const windowFrom = since;
    const windowTo = until;
    const stored = await store.range(exchange, symbol, timeframe, windowFrom, windowTo);
    const where = `${opened.database.kind} ${opened.database.location}`;
    if (result.segments.length === 0) {
      io.stdout.write(`Up to date: ${exchange} ${symbol} ${timeframe} — nothing to fetch (${where})\n`);
    } else {
      const verb = result.interrupted ? 'Interrupted' : 'Fetched';
      io.stdout.write(`${verb} ${exchange} ${symbol} ${timeframe}: ${formatCount(result.pages)} page${result.pages === 1 ? '' : 's'} in ${formatDuration(Date.now() - started)} (${where})\n`);
    }
    const rows: Array<[string, string | string[]]> = [
      ['new', `${formatCount(result.inserted)} candles stored, ${formatCount(result.updated)} updated, ${formatCount(result.unchanged)} already there`],
    ];
    if (stored) {
      rows.push(['range', formatRange(stored.first, stored.last)]);
      rows.push(['candles', `${formatCount(stored.count)} stored${since !== undefined || until !== undefined ? ' in the requested range' : ''}`]);
      rows.push(['gaps', formatGaps(await store.gaps(exchange, symbol, timeframe, tfMs, windowFrom, windowTo))]);
    } else {
      rows.push(['candles', `none stored${since !== undefined || until !== undefined ? ' in the requested range' : ''}: the exchange has no ${timeframe} candles there`]);
    }
    io.stdout.write(formatBlock(rows));
    if (result.interrupted) {
      io.stdout.write('Stopped before the end — run the same command again to continue.\n');
      return 130;
    }
    return 0;
  } catch (err) {
    if (fetched > 0) io.stderr.write(`${formatCount(fetched)} candles were stored before the failure; run the same command again to continue.\n`);
    throw err;
  } finally {
    process.removeListener('SIGINT', onSigint);
    await opened?.close();
    await venue.close();
  }
}
