import type { ReplyTable } from '../../../../commands/reply.ts';

/*
 * The one table renderer. Every transport lays a ReplyTable out through here: a monospace grid when
 * it fits the width, otherwise one card per row (`key: value` lines) — a phone shows about 40
 * monospace characters before a line wraps and the columns lose their alignment.
 */

/** Monospace characters a phone shows on one line in Telegram, Discord and LINE. */
export const PHONE_WIDTH = 40;

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

/** Display width of a string in a monospace block. */
export function textWidth(s: string): number {
  let w = 0;
  for (const ch of s) w += charWidth(ch.codePointAt(0)!);
  return w;
}

/**
 * A cell as text: no line breaks; numbers with at most 8 significant digits so float noise
 * (0.30000000000000004) never reaches a chat; non-finite numbers as an em dash. Commands format
 * money and prices themselves (commands/format.ts) and hand strings over.
 */
export function cellText(v: string | number): string {
  if (typeof v === 'number') return Number.isFinite(v) ? (Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(8)))) : '—';
  return v.replace(/[\r\n\t]+/g, ' ');
}

/** Numeric-looking text (`+1,234.50`, `-3.2%`, `—`) aligns right like numbers do. */
const NUMERIC_TEXT = /^(?:[+-]?[0-9][0-9,]*(?:\.[0-9]+)?%?|—|)$/;

/** Each column's alignment: explicit `align` wins; else numbers and numeric text go right. */
export function columnAlign(table: ReplyTable): Array<'left' | 'right'> {
  return table.columns.map((_, i): 'left' | 'right' => {
    const explicit = table.align?.[i];
    if (explicit) return explicit;
    const column = table.rows.map((r) => r[i]);
    const numeric = column.length > 0 && column.every((v) => typeof v === 'number' || (typeof v === 'string' && NUMERIC_TEXT.test(v)));
    return numeric ? 'right' : 'left';
  });
}

function padTo(s: string, width: number, align: 'left' | 'right'): string {
  const fill = ' '.repeat(Math.max(0, width - textWidth(s)));
  return align === 'right' ? fill + s : s + fill;
}

/** One row as a card: its first cell names it, the others follow as `key: value` (empty ones left out). */
export interface TableCard {
  title: string;
  fields: Array<{ key: string; value: string }>;
}

export type TableLayout =
  | { kind: 'grid'; header: string[]; rows: string[]; width: number }
  | { kind: 'cards'; cards: TableCard[]; width: number };

export interface LayoutOptions {
  /** Widest line allowed (default: unlimited, a terminal). */
  maxWidth?: number;
  /** The character of the rule under the header (`-` in chats, `─` in a terminal). */
  rule?: string;
}

/** The grid's lines: header, rule, rows; trailing blanks trimmed (chat clients wrap on them). */
function grid(table: ReplyTable, rule: string): { header: string[]; rows: string[]; width: number } {
  const cells = table.rows.map((r) => table.columns.map((_, i) => cellText(r[i] ?? '')));
  const widths = table.columns.map((c, i) => Math.max(textWidth(c), ...cells.map((r) => textWidth(r[i]!))));
  const align = columnAlign(table);
  const line = (values: string[]) => values.map((v, i) => padTo(v, widths[i]!, align[i]!)).join('  ').trimEnd();
  const header = [line(table.columns), widths.map((w) => rule.repeat(w)).join('  ')];
  const rows = cells.map(line);
  return { header, rows, width: Math.max(0, ...[...header, ...rows].map(textWidth)) };
}

/**
 * Lay a table out within `maxWidth`: the aligned grid when every line fits, else one card per row.
 */
export function layoutTable(table: ReplyTable, options: LayoutOptions = {}): TableLayout {
  const max = options.maxWidth ?? Infinity;
  const g = grid(table, options.rule ?? '-');
  if (g.width <= max) return { kind: 'grid', ...g };
  const cards = table.rows.map((r, n): TableCard => {
    const cells = table.columns.map((_, i) => cellText(r[i] ?? ''));
    return {
      // A run number reads as `#7`, not a bare `7`.
      title: cells[0] ? (table.columns[0] === '#' ? `#${cells[0]}` : cells[0]) : `#${n + 1}`,
      fields: table.columns.slice(1).map((key, i) => ({ key, value: cells[i + 1]! })).filter((f) => f.value !== ''),
    };
  });
  return { kind: 'cards', cards, width: max };
}

/** Break `text` into lines of at most `width` columns, at spaces where possible. */
export function wrapText(text: string, width: number): string[] {
  if (textWidth(text) <= width) return [text];
  const out: string[] = [];
  let cur = '';
  const push = () => {
    if (cur) out.push(cur);
    cur = '';
  };
  for (const word of text.split(' ')) {
    const candidate = cur ? `${cur} ${word}` : word;
    if (textWidth(candidate) <= width) {
      cur = candidate;
      continue;
    }
    push();
    // A word longer than the line is cut at character boundaries.
    let piece = '';
    for (const ch of word) {
      if (textWidth(piece + ch) > width) {
        out.push(piece);
        piece = '';
      }
      piece += ch;
    }
    cur = piece;
  }
  push();
  return out.length > 0 ? out : [''];
}

/** A card as lines within `width`: the title, then `key: value` with continuation lines indented. */
export function cardLines(card: TableCard, width: number): string[] {
  const lines = wrapText(card.title, width);
  for (const f of card.fields) {
    const full = `${f.key}: ${f.value}`;
    const first = wrapText(full, width - 2)[0]!;
    lines.push(`  ${first}`);
    const rest = full.slice(first.length).trim();
    if (rest) for (const l of wrapText(rest, width - 4)) lines.push(`    ${l}`);
  }
  return lines;
}

/**
 * The table as monospace units: the grid's header (repeated when a transport splits the table) and
 * one unit per row — a row's line, or a card's lines. Transports that split long tables keep a
 * unit whole.
 */
export function tableUnits(table: ReplyTable, options: LayoutOptions = {}): { header: string[]; units: string[][] } {
  const t = layoutTable(table, options);
  if (t.kind === 'grid') return { header: t.header, units: t.rows.map((r) => [r]) };
  return { header: [], units: t.cards.map((c, i) => (i === 0 ? cardLines(c, t.width) : ['', ...cardLines(c, t.width)])) };
}

/** The whole table as lines (title excluded): a grid, or cards separated by a blank line. */
export function tableLines(table: ReplyTable, options: LayoutOptions = {}): string[] {
  const { header, units } = tableUnits(table, options);
  return [...header, ...units.flat()];
}
