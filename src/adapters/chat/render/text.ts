import type { Reply, ReplyTable } from '../../../../commands/reply.ts';

/*
 * Reply → plain text: the console, logs, e-mail-like channels and tests. Tables are aligned in a
 * monospace grid (numbers right-aligned), buttons become the command to type, images their path.
 */

/** Columns of a terminal cell a character takes: 0 for combining marks, 2 for East Asian wide and emoji. */
function charWidth(cp: number): number {
  if (cp === 0) return 0;
  if (cp < 32 || (cp >= 0x7f && cp < 0xa0)) return 0;
  if ((cp >= 0x300 && cp <= 0x36f) || (cp >= 0x200b && cp <= 0x200f) || (cp >= 0xfe00 && cp <= 0xfe0f)) return 0;
  if (
    (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x2e80 && cp <= 0xa4cf && cp !== 0x303f) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x1f300 && cp <= 0x1faff) ||
    (cp >= 0x20000 && cp <= 0x3fffd)
  ) {
    return 2;
  }
  return 1;
}

/** Display width of a string in a terminal. */
export function textWidth(s: string): number {
  let w = 0;
  for (const ch of s) w += charWidth(ch.codePointAt(0)!);
  return w;
}

function padTo(s: string, width: number, align: 'left' | 'right'): string {
  const fill = ' '.repeat(Math.max(0, width - textWidth(s)));
  return align === 'right' ? fill + s : s + fill;
}

/** A cell as text: no line breaks; numbers without float noise; non-finite as `—`. */
export function cellText(v: string | number): string {
  if (typeof v === 'number') return Number.isFinite(v) ? (Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(10)))) : '—';
  return v.replace(/[\r\n\t]+/g, ' ');
}

/** Numeric-looking text (`+1,234.50`, `-3.2%`, `—`) aligns right like numbers do. */
const NUMERIC_TEXT = /^(?:[+-]?[0-9][0-9,]*(?:\.[0-9]+)?%?|—|)$/;

/** Lines of an aligned table: header, rule, rows. Explicit `align` wins; else numbers go right. */
export function renderTable(table: ReplyTable): string[] {
  const cells = table.rows.map((r) => table.columns.map((_, i) => cellText(r[i] ?? '')));
  const widths = table.columns.map((c, i) => Math.max(textWidth(c), ...cells.map((r) => textWidth(r[i]!))));
  const align = table.columns.map((_, i): 'left' | 'right' => {
    const explicit = table.align?.[i];
    if (explicit) return explicit;
    const column = table.rows.map((r) => r[i]);
    const numeric = column.length > 0 && column.every((v) => typeof v === 'number' || (typeof v === 'string' && NUMERIC_TEXT.test(v)));
    return numeric ? 'right' : 'left';
  });
  const line = (values: string[]) => values.map((v, i) => padTo(v, widths[i]!, align[i]!)).join('  ').trimEnd();
  return [line(table.columns), widths.map((w) => '─'.repeat(w)).join('  '), ...cells.map(line)];
}

/** A whole reply as plain text (no trailing newline). */
export function renderText(reply: Reply): string {
  const out: string[] = [];
  if (reply.title) out.push(reply.title);
  for (const p of reply.text ?? []) out.push(p);
  for (const t of reply.tables ?? []) {
    if (out.length > 0) out.push('');
    if (t.title) out.push(`${t.title}:`);
    out.push(...renderTable(t));
  }
  for (const img of reply.images ?? []) out.push(`[image] ${img.caption ?? img.alt}: ${img.path}`);
  if (reply.buttons?.length) {
    out.push('');
    out.push(reply.buttons.map((b) => `[${b.label}] ${b.command}`).join('   '));
  }
  return out.join('\n');
}
