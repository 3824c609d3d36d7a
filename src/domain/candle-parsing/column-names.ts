/**
 * Column naming shared by the CSV and JSON parsers. Names compare case-insensitively with spaces,
 * `_` and `-` ignored, so `Open_Time`, `open time` and `OPENTIME` are the same column.
 */

/** Field roles in the order parsers store them. */
export const ROLE_TS = 0;
export const ROLE_OPEN = 1;
export const ROLE_HIGH = 2;
export const ROLE_LOW = 3;
export const ROLE_CLOSE = 4;
export const ROLE_VOLUME = 5;
export const ROLE_NAMES = ['time', 'open', 'high', 'low', 'close', 'volume'] as const;

/** Accepted names of the time column, in order of preference when a file has several. */
export const TIME_COLUMN_NAMES = ['opentime', 'timestamp', 'datetime', 'date', 'time', 'ts'] as const;

const PRICE_COLUMNS: Record<string, number> = {
  open: ROLE_OPEN,
  high: ROLE_HIGH,
  low: ROLE_LOW,
  close: ROLE_CLOSE,
  volume: ROLE_VOLUME,
};

export function normalizeColumnName(name: string): string {
  let s = name.trim();
  if (s.length >= 2 && s.startsWith('"') && s.endsWith('"')) s = s.slice(1, -1);
  return s.toLowerCase().replace(/[\s_-]+/g, '');
}

export type ColumnResolution =
  | { ok: true; indexOf: [number, number, number, number, number, number] }
  | { ok: false; reason: 'missing_column' | 'duplicate_column'; column: string };

/**
 * Find the position of each role among `names`. The time column is the first name in
 * {@link TIME_COLUMN_NAMES} order that is present or, failing that, an unnamed first column
 * (pandas / backtesting.py write the index as `,Open,High,…`; read back and re-saved it
 * becomes `Unnamed: 0`). Extra columns are ignored; a price
 * column that appears twice is ambiguous and refused.
 */
export function resolveColumns(names: readonly string[]): ColumnResolution {
  const normalized = names.map(normalizeColumnName);
  const indexOf: [number, number, number, number, number, number] = [-1, -1, -1, -1, -1, -1];
  for (let i = 0; i < normalized.length; i++) {
    const role = PRICE_COLUMNS[normalized[i]!];
    if (role === undefined) continue;
    if (indexOf[role] !== -1) return { ok: false, reason: 'duplicate_column', column: ROLE_NAMES[role] };
    indexOf[role] = i;
  }
  for (const timeName of TIME_COLUMN_NAMES) {
    const i = normalized.indexOf(timeName);
    if (i === -1) continue;
    if (normalized.indexOf(timeName, i + 1) !== -1) return { ok: false, reason: 'duplicate_column', column: names[i]!.trim() };
    indexOf[ROLE_TS] = i;
    break;
  }
  if (indexOf[ROLE_TS] === -1 && (normalized[0] === '' || normalized[0] === 'unnamed:0')) indexOf[ROLE_TS] = 0;
  for (let role = 0; role < indexOf.length; role++) {
    if (indexOf[role] === -1) {
      const column = role === ROLE_TS ? 'time (date, timestamp, time, open_time or datetime)' : ROLE_NAMES[role]!;
      return { ok: false, reason: 'missing_column', column };
    }
  }
  return { ok: true, indexOf };
}
