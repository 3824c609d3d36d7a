import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { readCandleFileDetailed } from '../adapters/files/candle-file-reader.ts';
import { AppError } from '../domain/errors.ts';
import { loadConfig } from '../config.ts';
import { openCandleDatabase } from '../market-data/candle-database.ts';
import { checkSeriesStep, countMisaligned, parseSeriesTimeframe, seriesGaps } from '../market-data/series-timeframe.ts';
import { rangeAfterWrite } from '../market-data/range-after-write.ts';
import { formatBlock, formatGaps, formatRange } from '../market-data/summary-format.ts';
import { reportCliError } from './report-error.ts';
import { envOf, type CliIo } from './io.ts';
import { createProgressBar, formatCount } from './progress-bar.ts';

export const IMPORT_CANDLES_HELP = `Usage: tradeops import-candles FILE --symbol SYMBOL --timeframe TF [options]

Import a candle file into the database (the candles table), for backtests and warm-up.

Formats (picked from the content):
  CSV with a header: a time column (date, timestamp, time, open_time, datetime, ts, or an unnamed
    first column) and open, high, low, close, volume in any case; header-less Binance dumps too.
    Times: ISO dates (no zone = UTC) or epoch seconds / milliseconds / microseconds.
  JSON: [[ms, open, high, low, close, volume], …] (freqtrade, ccxt), a list of records, or pandas
    "columns" objects.

A malformed file is refused with the line and the reason, and nothing is imported. The file's step
must be the timeframe. Importing the same file again changes nothing.

Options:
  --symbol SYMBOL      market symbol the candles belong to, e.g. BTC/USDT (required)
  --timeframe TF       1m, 5m, 1h, 4h, 1d, 1w … or 1M for monthly files (required)
  --exchange NAME      exchange the candles are stored under (default: EXCHANGE, i.e. sim)
  --replace            overwrite stored candles whose values differ (default: keep them)
  --database-url URL   PostgreSQL server (default: DATABASE_URL)
  --data-dir DIR       embedded database directory (default: DATA_DIR or ./data)
  -h, --help           show this help

Exit codes: 0 imported, 2 refused (bad arguments or file), 1 other errors.
`;

/** Files above this many candles get a progress bar on a terminal. */
const PROGRESS_MIN_ROWS = 20_000;

/** `tradeops import-candles`: parse the whole file first (refuse before writing), then upsert it in one transaction. */
export async function runImportCandlesCommand(argv: string[], io: CliIo): Promise<number> {
  try {
    return await importCandles(argv, io);
  } catch (err) {
    return reportCliError(err, io);
  }
}

async function importCandles(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      symbol: { type: 'string' },
      timeframe: { type: 'string' },
      exchange: { type: 'string' },
      replace: { type: 'boolean' },
      'database-url': { type: 'string' },
      'data-dir': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    io.stdout.write(IMPORT_CANDLES_HELP);
    return 0;
  }
  if (positionals.length !== 1) throw new AppError('BAD_REQUEST', `expected exactly one FILE, got ${positionals.length} (see tradeops import-candles --help)`);
  const file = positionals[0]!;
  const symbol = values.symbol?.trim();
  if (!symbol || /\s/.test(symbol)) throw new AppError('BAD_REQUEST', '--symbol is required, e.g. --symbol BTC/USDT');
  if (!values.timeframe) throw new AppError('BAD_REQUEST', '--timeframe is required, e.g. --timeframe 1m');
  const tf = parseSeriesTimeframe(values.timeframe);

  const env = { ...(await envOf(io)) };
  if (values['database-url']) env.DATABASE_URL = values['database-url'];
  if (values['data-dir']) env.DATA_DIR = values['data-dir'];
  const config = loadConfig(env);
  const exchange = values.exchange?.trim() || config.EXCHANGE;
  if (/\s/.test(exchange)) throw new AppError('BAD_REQUEST', `--exchange must be one word, got "${exchange}"`);

  // Everything that can refuse the file happens before the database is touched.
  const name = basename(file);
  const parsed = await readCandleFileDetailed(file);
  const candles = parsed.candles;
  checkSeriesStep(candles, tf, name);
  const gaps = seriesGaps(candles, tf);
  const misaligned = countMisaligned(candles, tf);

  const opened = await openCandleDatabase(config);
  try {
    const bar = io.stdout.isTTY && candles.length >= PROGRESS_MIN_ROWS
      ? createProgressBar(io.stdout, { label: `importing ${name}`, total: candles.length, unit: 'candles' })
      : undefined;
    const before = await opened.store.range(exchange, symbol, tf.label);
    const result = await opened.store.upsert(exchange, symbol, tf.label, candles, {
      onConflict: values.replace ? 'update' : 'keep',
      onProgress: (done, total) => bar?.update(done, total),
    });
    bar?.finish();
    const stored = rangeAfterWrite(before, candles, result.inserted);

    const present = result.updated + result.unchanged;
    let written = `${formatCount(result.inserted)} inserted, ${formatCount(present)} already stored`;
    if (values.replace) written += ` (${formatCount(result.updated)} updated)`;
    const rows: Array<[string, string | string[]]> = [
      ['range', candles.length > 0 ? formatRange(candles.ts[0]!, candles.ts[candles.length - 1]!) : 'empty'],
      ['candles', `${formatCount(candles.length)} in the file: ${written}`],
      ['gaps', formatGaps(gaps)],
    ];
    const notes: string[] = [];
    if (parsed.stats.duplicatesDropped > 0) notes.push(`${formatCount(parsed.stats.duplicatesDropped)} duplicate rows dropped`);
    if (parsed.stats.reordered) notes.push('rows were out of order and have been sorted');
    if (misaligned > 0) notes.push(`${formatCount(misaligned)} candles do not open on a UTC ${tf.label} boundary`);
    if (notes.length > 0) rows.push(['notes', notes]);
    if (stored) rows.push(['stored', `${formatCount(stored.count)} candles, ${formatRange(stored.first, stored.last)}`]);
    io.stdout.write(`Imported ${name} (${parsed.format}) into ${exchange} ${symbol} ${tf.label} — ${opened.database.kind} ${opened.database.location}\n`);
    io.stdout.write(formatBlock(rows));
    return 0;
  } finally {
    await opened.close();
  }
}
