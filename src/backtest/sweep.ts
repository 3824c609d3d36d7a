import { AppError } from '../domain/errors.ts';
import type { BacktestMetrics } from './metrics-types.ts';
import type { BacktestResult } from './types.ts';
import type { PortableOptions } from './worker/protocol.ts';
import type { WorkerPool } from './worker/worker-pool.ts';

/** One swept parameter: `fast=5..30:5` → fast ∈ {5, 10, …, 30}; `mode=a,b` → a list. */
export interface SweepAxis {
  name: string;
  values: Array<number | string | boolean>;
}

const MAX_GRID = 10_000;

/** Parse `name=a..b:step` (inclusive range) or `name=v1,v2,…`. */
export function parseSweepSpec(spec: string): SweepAxis {
  const m = /^([A-Za-z][A-Za-z0-9_]*)=(.+)$/.exec(spec.trim());
  if (!m) throw new AppError('BAD_REQUEST', `--sweep "${spec}" is not valid: use name=from..to:step (e.g. fast=5..30:5) or name=a,b,c`);
  const [, name, body] = m as unknown as [string, string, string];
  const r = /^(-?[0-9.]+)\.\.(-?[0-9.]+)(?::([0-9.]+))?$/.exec(body);
  if (r) {
    const from = Number(r[1]);
    const to = Number(r[2]);
    const step = r[3] === undefined ? 1 : Number(r[3]);
    if (![from, to, step].every(Number.isFinite) || step <= 0 || to < from) {
      throw new AppError('BAD_REQUEST', `--sweep ${name}: need from ≤ to and a positive step, got ${body}`);
    }
    const values: number[] = [];
    // Integer counting avoids float drift (0.1 + 0.2 …): value k = from + k × step.
    const count = Math.floor((to - from) / step + 1e-9) + 1;
    if (count > MAX_GRID) throw new AppError('BAD_REQUEST', `--sweep ${name} has ${count} values; at most ${MAX_GRID}`);
    const decimals = Math.max(decimalsOf(from), decimalsOf(step));
    for (let k = 0; k < count; k++) values.push(Number((from + k * step).toFixed(decimals)));
    return { name, values };
  }
  const values = body.split(',').map((v) => parseParamValue(v.trim()));
  if (values.length === 0 || values.some((v) => v === '')) throw new AppError('BAD_REQUEST', `--sweep ${name}: empty value in "${body}"`);
  return { name, values: values as Array<number | string | boolean> };
}

function decimalsOf(x: number): number {
  const s = String(x);
  const dot = s.indexOf('.');
  return dot < 0 ? 0 : s.length - dot - 1;
}

/** A `--param` value: JSON when it parses (numbers, booleans, objects), else the text itself. */
export function parseParamValue(v: string): unknown {
  try {
    return JSON.parse(v);
  } catch {
    return v;
  }
}

/** Every combination of the axes (cartesian product), each merged over `base`. */
export function sweepGrid(axes: readonly SweepAxis[], base: Record<string, unknown> = {}): Array<Record<string, unknown>> {
  let grid: Array<Record<string, unknown>> = [{ ...base }];
  for (const a of axes) {
    const next: Array<Record<string, unknown>> = [];
    for (const g of grid) for (const v of a.values) next.push({ ...g, [a.name]: v });
    grid = next;
    if (grid.length > MAX_GRID) throw new AppError('BAD_REQUEST', `the sweep has more than ${MAX_GRID} combinations: narrow it`);
  }
  return grid;
}

/** Metrics a sweep can rank by, and whether bigger is better. */
export const RANK_METRICS: Readonly<Record<string, 'max' | 'min'>> = {
  sharpe: 'max',
  sortino: 'max',
  calmar: 'max',
  returnPct: 'max',
  cagrPct: 'max',
  finalEquity: 'max',
  profitFactor: 'max',
  winRatePct: 'max',
  expectancy: 'max',
  sqn: 'max',
  maxDrawdownPct: 'max', // drawdowns are ≤ 0: the largest is the shallowest
  trades: 'max',
};

export interface SweepRow {
  params: Record<string, unknown>;
  metrics?: BacktestMetrics;
  /** Why this combination could not run (e.g. invalid parameters). */
  error?: string;
}

export interface SweepResult {
  rankBy: string;
  axes: SweepAxis[];
  /** Best first; rows with an error or an undefined metric last. */
  rows: SweepRow[];
}

export function rankValue(m: BacktestMetrics | undefined, rankBy: string): number | null {
  const v = m ? (m as unknown as Record<string, unknown>)[rankBy] : undefined;
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

/** The direction of a rank metric; a metric that cannot rank is refused naming the ones that can. */
export function rankDirection(rankBy: string): 'max' | 'min' {
  const dir = RANK_METRICS[rankBy];
  if (!dir) throw new AppError('BAD_REQUEST', `cannot rank by "${rankBy}": use one of ${Object.keys(RANK_METRICS).join(', ')}`);
  return dir;
}

/** Order rows by a metric, best first; missing values last. */
export function rankRows(rows: SweepRow[], rankBy: string): SweepRow[] {
  const dir = rankDirection(rankBy);
  return [...rows].sort((a, b) => {
    const va = rankValue(a.metrics, rankBy);
    const vb = rankValue(b.metrics, rankBy);
    if (va === null && vb === null) return 0;
    if (va === null) return 1;
    if (vb === null) return -1;
    return dir === 'max' ? vb - va : va - vb;
  });
}

/** Keep only the metric fields of a worker result. */
export function metricsOf(r: BacktestResult): BacktestMetrics {
  const { strategy, params, symbol, timeframe, options, tradeList, equity, equityTs, breakdowns, denials, elapsedMs, noTradeReason, indicators, ...m } = r;
  void [strategy, params, symbol, timeframe, options, tradeList, equity, equityTs, breakdowns, denials, elapsedMs, noTradeReason, indicators];
  return m;
}

/**
 * Run every combination on the worker pool (which already holds the candles) and rank the results.
 * `range` restricts the runs to rows [start, end) (walk-forward in-sample windows).
 */
export async function runSweep(
  pool: WorkerPool,
  strategy: string,
  axes: SweepAxis[],
  base: Record<string, unknown>,
  options: PortableOptions,
  rankBy: string,
  onProgress?: (done: number, total: number) => void,
  range?: [number, number],
): Promise<SweepResult> {
  rankDirection(rankBy);
  const grid = sweepGrid(axes, base);
  let done = 0;
  const rows = await Promise.all(
    grid.map(async (params): Promise<SweepRow> => {
      try {
        const r = await pool.run({ strategy, params, options, range });
        return { params: r.params, metrics: metricsOf(r) };
      } catch (err) {
        return { params, error: err instanceof Error ? err.message : String(err) };
      } finally {
        onProgress?.(++done, grid.length);
      }
    }),
  );
  if (rows.every((r) => r.error)) throw new AppError('BAD_REQUEST', `no combination of the sweep could run: ${rows[0]!.error}`);
  return { rankBy, axes, rows: rankRows(rows, rankBy) };
}

/** Cells of a two-parameter heatmap: [x index, y index, metric or null]. */
export function heatmapCells(result: SweepResult): { xs: number[]; ys: number[]; cells: Array<[number, number, number | null]> } | undefined {
  if (result.axes.length !== 2) return undefined;
  const [ax, ay] = result.axes as [SweepAxis, SweepAxis];
  if (!ax.values.every((v) => typeof v === 'number') || !ay.values.every((v) => typeof v === 'number')) return undefined;
  const xs = ax.values as number[];
  const ys = ay.values as number[];
  const cells: Array<[number, number, number | null]> = [];
  for (const row of result.rows) {
    const xi = xs.indexOf(row.params[ax.name] as number);
    const yi = ys.indexOf(row.params[ay.name] as number);
    if (xi >= 0 && yi >= 0) cells.push([xi, yi, rankValue(row.metrics, result.rankBy)]);
  }
  return { xs, ys, cells };
}
