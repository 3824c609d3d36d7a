import type { GapReport } from '../domain/candle-gaps.ts';
import { formatCount } from '../cli/progress-bar.ts';

/** `2024-01-31 23:59 UTC`-style text (seconds only when not zero), for summaries. */
export function formatTs(ts: number): string {
  const iso = new Date(ts).toISOString(); // 2024-01-31T23:59:00.000Z
  const secs = iso.slice(16, 19) === ':00' && iso.slice(19, 23) === '.000' ? '' : iso.slice(16, 19);
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)}${secs}`;
}

/** `first → last UTC`. */
export function formatRange(first: number, last: number): string {
  return `${formatTs(first)} → ${formatTs(last)} UTC`;
}

/**
 * Gap lines for a summary: a count line, then the first `show` gaps (`from → to (n)`), then how many
 * more. Empty gaps give `none`.
 */
export function formatGaps(report: GapReport, show = 5): string[] {
  if (report.gaps.length === 0) return ['none'];
  const lines = [`${formatCount(report.missing)} missing candle${report.missing === 1 ? '' : 's'} in ${formatCount(report.gaps.length)} gap${report.gaps.length === 1 ? '' : 's'}`];
  for (const g of report.gaps.slice(0, show)) {
    lines.push(`  ${g.from === g.to ? formatTs(g.from) : `${formatTs(g.from)} → ${formatTs(g.to)}`} (${formatCount(g.missing)})`);
  }
  if (report.gaps.length > show) lines.push(`  … and ${formatCount(report.gaps.length - show)} more`);
  return lines;
}

/** Lines as an aligned `key  value` block, continuation lines indented under the value. */
export function formatBlock(rows: ReadonlyArray<readonly [string, string | readonly string[]]>): string {
  const width = Math.max(...rows.map(([k]) => k.length));
  const out: string[] = [];
  for (const [k, v] of rows) {
    const values = typeof v === 'string' ? [v] : v;
    values.forEach((line, i) => out.push(`  ${(i === 0 ? k : '').padEnd(width)}  ${line}`));
  }
  return `${out.join('\n')}\n`;
}
