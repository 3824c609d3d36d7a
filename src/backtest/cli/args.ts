import { parseArgs } from 'node:util';
import { AppError } from '../../domain/errors.ts';
import { isTimeframe } from '../../domain/timeframe.ts';
import { parseSweepSpec, parseParamValue, type SweepAxis } from '../sweep.ts';

export const BACKTEST_HELP = `Usage: tradeops backtest --strategy NAME [--param k=v …]
                         (--data FILE | --symbol S --timeframe TF [--from DATE] [--to DATE])
                         [options]

Backtest a strategy on a candle file or on stored candles, on the same engine as live trading.

Data:
  --data FILE            candle file: CSV or JSON, every format import-candles reads
  --symbol S             market, e.g. BTC/USDT (with --data: only a label)
  --exchange NAME        whose stored candles (default: EXCHANGE; fetch them with fetch-data)
  --timeframe TF         1m, 5m, 1h, 1d, … (with --data: inferred from the file when absent)
  --from DATE, --to DATE period (ISO date/time in UTC, or epoch milliseconds), inclusive
  --lower FILE           lower-timeframe candles of the same market: decide whether stop-loss or
                         take-profit came first when one candle touches both

Strategy:
  --strategy NAME        rsi-bb, sma-cross, breakout, composite, or a file in STRATEGIES_DIR
  --param k=v            strategy parameter (repeatable); values are JSON when they parse

Execution model:
  --cash N               starting quote balance (default 10000)
  --fee F                per fill: 0.1% or 10bps (default 0.1%)
  --slippage S           market fills, e.g. 5bps or 0.05% (default 0)
  --spread S             bid–ask spread, half paid per fill (default 0)
  --fill MODEL           next-open (default) or close
  --sizing S             all-in (default), fixed:AMOUNT, percent:P, kelly, kelly:F; kelly sizes
                         each entry as ORDER_SIZING=kelly does live (KELLY_*, TARGET_VOLATILITY,
                         MAX_POSITION_PCT) from this run's own closed trades so far
  --lot STEP             quantity step, e.g. 1 for shares (default: any fraction)
  --allow-short          allow short positions (margin-style account)
  --risk                 the live risk layer: pre-flight limits, protections (COOLDOWN_MINUTES,
                         STOPLOSS_GUARD, MAX_DRAWDOWN_PCT and DAILY_LOSS_PCT halt the run) and
                         the panic score gating entries at PANIC_THRESHOLD
  --no-panic-gate        with --risk: compute the panic score but do not gate on it; the report
                         counts the entries gating at PANIC_THRESHOLD would have denied
  --periods-per-year N   annualise with N return periods a year (default from the data: 252 for
                         daily bars without weekends, 365 for crypto, 12 for monthly bars)

Output:
  --json                 print exactly one JSON object on stdout (metrics; files when --out)
  --out DIR              write trades.csv, equity.csv, equity.png, trades.png, report.html
  --monte-carlo N        bootstrap the trades N times: percentiles of final equity and drawdown
  --save                 store the run of a --data file in the database too (runs on stored
                         candles are always stored)

Optimisation:
  --sweep k=a..b:step    sweep a parameter (repeatable; also k=a,b,c); runs on worker threads
  --rank METRIC          sweep ranking: sharpe (default), sortino, calmar, returnPct, cagrPct, …
  --top N                sweep rows shown (default 10); a heatmap.png for two params with --out
  --workers N            worker threads (default: the CPU count)
  --walk-forward FOLDS   walk-forward folds over the sweep grid (in-sample 75 %, then out-of-sample)
  --queue                run it as jobs on the database job queue — a sweep as one job per
                         parameter set (one per fold with --walk-forward), a single run as one job:
                         every \`tradeops worker\` and bot on the same PostgreSQL takes them; on the
                         embedded database this process works them itself (--workers threads).
                         A single queued run's report is written by the worker (its
                         DATA_DIR/backtests); --out and --monte-carlo need a local run

  -h, --help             show this help

A run on stored candles, or on a file with --save, is stored in the database (backtest_runs) so
chat can list and show it; a file backtest without --save opens no database at all.
Exit codes: 0 done, 2 bad arguments, strategy, parameters or data, 1 anything else.
`;

export interface BacktestArgs {
  help: boolean;
  strategy?: string;
  params: Record<string, unknown>;
  data?: string;
  lower?: string;
  symbol?: string;
  /** Stored candles of this exchange (default EXCHANGE). */
  exchange?: string;
  timeframe?: string;
  from?: number;
  to?: number;
  cash: number;
  fee: string;
  slippage: string;
  spread: string;
  fill: 'next-open' | 'close';
  sizing: string;
  lot: number;
  allowShort: boolean;
  /** --risk: the configured risk limits, protections and panic gate. */
  risk: boolean;
  /** false with --no-panic-gate: the panic score is reported, not gated on. */
  panicGate: boolean;
  /** Annualisation override (--periods-per-year). */
  periodsPerYear?: number;
  json: boolean;
  out?: string;
  sweep: SweepAxis[];
  rank: string;
  top: number;
  workers?: number;
  walkForward?: number;
  monteCarlo?: number;
  /** Store the run in backtest_runs (always true for stored candles). */
  save: boolean;
  /** Run the sweep or walk-forward as jobs on the database job queue. */
  queue: boolean;
}

const bad = (msg: string) => new AppError('BAD_REQUEST', msg);

function num(name: string, v: string | undefined, check: (n: number) => boolean, what: string): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n) || !check(n)) throw bad(`--${name} "${v}" is not valid: expected ${what}`);
  return n;
}

/** `2024-01-31`, `2024-01-31T12:00`, `2024-01-31 12:00:00` (UTC) or epoch milliseconds. */
export function parseDate(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const t = v.trim();
  if (/^[0-9]{10,13}$/.test(t)) return Number(t.length === 10 ? Number(t) * 1000 : t);
  const m = /^([0-9]{4}-[0-9]{2}-[0-9]{2})(?:[T ]([0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]+)?)?))?(Z)?$/.exec(t);
  const ms = m ? Date.parse(`${m[1]}T${m[2] ?? '00:00:00'}Z`) : NaN;
  if (!Number.isFinite(ms)) throw bad(`--${name} "${v}" is not a date: use YYYY-MM-DD, YYYY-MM-DDTHH:MM (UTC) or epoch milliseconds`);
  return ms;
}

/** Parse and check `tradeops backtest` arguments; every problem is a BAD_REQUEST naming the option. */
export function parseBacktestArgs(argv: string[]): BacktestArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        help: { type: 'boolean', short: 'h' },
        strategy: { type: 'string', short: 's' },
        param: { type: 'string', short: 'p', multiple: true },
        data: { type: 'string' },
        lower: { type: 'string' },
        symbol: { type: 'string' },
        exchange: { type: 'string' },
        timeframe: { type: 'string' },
        from: { type: 'string' },
        to: { type: 'string' },
        cash: { type: 'string' },
        fee: { type: 'string' },
        slippage: { type: 'string' },
        spread: { type: 'string' },
        fill: { type: 'string' },
        sizing: { type: 'string' },
        lot: { type: 'string' },
        'allow-short': { type: 'boolean' },
        risk: { type: 'boolean' },
        'no-panic-gate': { type: 'boolean' },
        'periods-per-year': { type: 'string' },
        json: { type: 'boolean' },
        out: { type: 'string' },
        sweep: { type: 'string', multiple: true },
        rank: { type: 'string' },
        top: { type: 'string' },
        workers: { type: 'string' },
        'walk-forward': { type: 'string' },
        'monte-carlo': { type: 'string' },
        save: { type: 'boolean' },
        queue: { type: 'boolean' },
      },
    });
  } catch (err) {
    throw bad(`${(err as Error).message} (see tradeops backtest --help)`);
  }
  const v = parsed.values;
  if (v.help) return { help: true, params: {}, cash: 0, fee: '', slippage: '', spread: '', fill: 'next-open', sizing: '', lot: 0, allowShort: false, risk: false, panicGate: true, json: false, sweep: [], rank: '', top: 0, save: false, queue: false };
  if (v['no-panic-gate'] && !v.risk) throw bad('--no-panic-gate goes with --risk');
  if (!v.strategy) throw bad('--strategy is required (see tradeops backtest --help)');
  if (v.data === undefined && v.symbol === undefined) throw bad('give --data FILE, or --symbol S with --timeframe TF');
  if (v.data === undefined && v.timeframe === undefined) throw bad('--symbol needs --timeframe (e.g. --timeframe 1h)');
  if (v.timeframe !== undefined && !isTimeframe(v.timeframe)) throw bad(`--timeframe "${v.timeframe}" is not valid: use e.g. 1m, 15m, 4h, 1d`);
  if (v.fill !== undefined && v.fill !== 'next-open' && v.fill !== 'close') throw bad(`--fill must be next-open or close, got "${v.fill}"`);
  const params: Record<string, unknown> = {};
  for (const p of v.param ?? []) {
    const eq = p.indexOf('=');
    if (eq <= 0) throw bad(`--param "${p}" is not valid: use name=value`);
    params[p.slice(0, eq).trim()] = parseParamValue(p.slice(eq + 1).trim());
  }
  const from = parseDate('from', v.from);
  const to = parseDate('to', v.to);
  if (from !== undefined && to !== undefined && to < from) throw bad('--to is before --from');
  const sweep = (v.sweep ?? []).map(parseSweepSpec);
  const walkForward = num('walk-forward', v['walk-forward'], (n) => Number.isInteger(n) && n >= 1 && n <= 50, 'a number of folds from 1 to 50');
  if (walkForward !== undefined && sweep.length === 0) throw bad('--walk-forward needs at least one --sweep parameter to optimise');
  if (v.queue && sweep.length === 0 && (v.out !== undefined || v['monte-carlo'] !== undefined)) {
    throw bad('--out and --monte-carlo need the trades in this process: run a single backtest without --queue (a queued run writes its report on the worker)');
  }
  return {
    help: false,
    strategy: v.strategy,
    params,
    data: v.data,
    lower: v.lower,
    symbol: v.symbol,
    exchange: v.exchange,
    timeframe: v.timeframe,
    from,
    to,
    cash: num('cash', v.cash, (n) => n > 0, 'a positive amount') ?? 10_000,
    fee: v.fee ?? '0.1%',
    slippage: v.slippage ?? '0',
    spread: v.spread ?? '0',
    fill: (v.fill as 'next-open' | 'close' | undefined) ?? 'next-open',
    sizing: v.sizing ?? 'all-in',
    lot: num('lot', v.lot, (n) => n >= 0, 'a step ≥ 0') ?? 0,
    allowShort: v['allow-short'] ?? false,
    risk: v.risk ?? false,
    panicGate: !v['no-panic-gate'],
    periodsPerYear: num('periods-per-year', v['periods-per-year'], (n) => n > 0 && n <= 1_000_000, 'a positive number such as 252 or 365'),
    json: v.json ?? false,
    out: v.out,
    sweep,
    rank: v.rank ?? 'sharpe',
    top: num('top', v.top, (n) => Number.isInteger(n) && n >= 1, 'a whole number ≥ 1') ?? 10,
    workers: num('workers', v.workers, (n) => Number.isInteger(n) && n >= 1 && n <= 64, 'a whole number from 1 to 64'),
    walkForward,
    monteCarlo: num('monte-carlo', v['monte-carlo'], (n) => Number.isInteger(n) && n >= 1 && n <= 1_000_000, 'a whole number of runs from 1 to 1,000,000'),
    save: v.data === undefined || (v.save ?? false) || (v.queue ?? false),
    queue: v.queue ?? false,
  };
}
