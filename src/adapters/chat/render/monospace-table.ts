import type { ReplyTable } from '../../../../commands/reply.ts';

/**
 * A table cell as text. Numbers get at most 8 significant digits so float noise (0.30000000000000004)
 * never reaches a chat; non-finite numbers show as an em dash rather than `NaN`.
 */
export function formatCell(value: string | number): string {
  if (typeof value === 'string') return value.replace(/[\r\n\t]+/g, ' ');
  if (!Number.isFinite(value)) return '—';
  if (Number.isInteger(value)) return String(value);
  return String(Number(value.toPrecision(8)));
}

/** Display width of a string in a monospace block: code points, not UTF-16 units. */
export function displayWidth(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

function pad(s: string, width: number, align: 'left' | 'right'): string {
  const fill = ' '.repeat(Math.max(0, width - displayWidth(s)));
  return align === 'right' ? fill + s : s + fill;
}

export interface MonospaceTable {
  /** Header line plus the rule under it; repeated when a transport splits the rows across blocks. */
  header: string[];
  rows: string[];
}

/**
 * Lay a table out as fixed-width lines: header, a rule, one line per row. Numbers align right
 * unless the table says otherwise; trailing blanks are trimmed (chat clients wrap on them).
 */
export function layoutTable(table: ReplyTable): MonospaceTable {
  const cells = table.rows.map((r) => table.columns.map((_, i) => formatCell(r[i] ?? '')));
  const widths = table.columns.map((c, i) => Math.max(displayWidth(c), ...cells.map((r) => displayWidth(r[i]))));
  const align = table.columns.map((_, i) => {
    const explicit = table.align?.[i];
    if (explicit) return explicit;
    const numeric = table.rows.length > 0 && table.rows.every((r) => typeof r[i] === 'number');
    return numeric ? 'right' : 'left';
  });
  const line = (values: string[]) => values.map((v, i) => pad(v, widths[i], align[i])).join('  ').trimEnd();
  const header = [line(table.columns), widths.map((w) => '-'.repeat(w)).join('  ')];
  return { header, rows: cells.map(line) };
}

/** The whole table as lines (title excluded). */
export function tableLines(table: ReplyTable): string[] {
  const t = layoutTable(table);
  return [...t.header, ...t.rows];
}
