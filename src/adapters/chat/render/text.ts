import type { Reply, ReplyTable } from '../../../../commands/reply.ts';
import { tableLines } from './table-layout.ts';

/*
 * Reply → plain text: the console, logs, e-mail-like channels and tests. Tables are aligned in a
 * monospace grid (numbers right-aligned), buttons become the command to type, images their path.
 */

export { cellText, textWidth } from './table-layout.ts';

/** Lines of an aligned table (a terminal has room: never cards). Explicit `align` wins; else numbers go right. */
export function renderTable(table: ReplyTable): string[] {
  return tableLines(table, { rule: '─' });
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
