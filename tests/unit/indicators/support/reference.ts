/**
 * Test helpers for the indicator suites: fixture loading (tests/fixtures/indicators) and series
 * comparison with an exact NaN mask and a relative tolerance.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const FIXTURE_DIR = fileURLToPath(new URL('../../../fixtures/indicators/', import.meta.url));

export const TALIB_FILES = [
  'talib_stockcharts_rsi_series.csv',
  'talib_technicalindicators_data_close.csv',
  'talib_GOOG_close.csv',
  'talib_btcperp_1m_first2000.csv',
] as const;

/** A TA-Lib reference file: every column as a Float64Array, empty cells as NaN. */
export interface TalibReference {
  rows: number;
  col: Record<string, Float64Array>;
}

export function loadTalibCsv(file: string): TalibReference {
  const lines = readFileSync(FIXTURE_DIR + file, 'utf8').trim().split(/\r?\n/);
  const header = lines[0]!.split(',');
  const rows = lines.length - 1;
  const col: Record<string, Float64Array> = {};
  for (const h of header) col[h] = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    const cells = lines[r + 1]!.split(',');
    if (cells.length !== header.length) throw new Error(`${file}: row ${r} has ${cells.length} cells`);
    for (let c = 0; c < header.length; c++) {
      const cell = cells[c]!;
      col[header[c]!]![r] = cell === '' ? Number.NaN : Number(cell);
    }
  }
  return { rows, col };
}

export function loadJsonFixture<T>(file: string): T {
  return JSON.parse(readFileSync(FIXTURE_DIR + file, 'utf8')) as T;
}

/**
 * Why `actual` differs from `expected`, or null when it does not: NaN exactly where `expected` is
 * NaN, elsewhere |a − e| ≤ rel × max(|a|, |e|) + abs. `abs` covers the 12-decimal rounding of the
 * reference files (5e-13) for values near 0.
 */
export function seriesMismatch(actual: ArrayLike<number>, expected: ArrayLike<number>, rel = 1e-9, abs = 0): string | null {
  if (actual.length !== expected.length) return `length ${actual.length} != ${expected.length}`;
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i]!;
    const e = expected[i]!;
    if (Number.isNaN(e) || Number.isNaN(a)) {
      if (Number.isNaN(e) !== Number.isNaN(a)) return `index ${i}: got ${a}, expected ${e}`;
      continue;
    }
    const tol = rel * Math.max(Math.abs(a), Math.abs(e)) + abs;
    if (!(Math.abs(a - e) <= tol)) return `index ${i}: got ${a}, expected ${e} (diff ${Math.abs(a - e)}, tol ${tol})`;
  }
  return null;
}

/** First index where two series are not bit-identical (Object.is; every NaN equals NaN), or null. */
export function firstBitDifference(a: ArrayLike<number>, b: ArrayLike<number>): string | null {
  if (a.length !== b.length) return `length ${a.length} != ${b.length}`;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (!(Object.is(x, y) || (Number.isNaN(x) && Number.isNaN(y)))) return `index ${i}: ${x} vs ${y}`;
  }
  return null;
}

export function f64(values: readonly number[]): Float64Array {
  return Float64Array.from(values);
}
