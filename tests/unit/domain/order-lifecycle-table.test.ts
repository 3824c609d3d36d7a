import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { assertTransition, canTransition, type OrderStatus } from '../../../src/domain/orders.ts';

/** The documented table (docs/order-lifecycle.md), parsed: row status → column status → allowed. */
function documentedTable(): Map<OrderStatus, Map<OrderStatus, boolean>> {
  const doc = readFileSync(new URL('../../../docs/order-lifecycle.md', import.meta.url), 'utf8');
  const block = /<!-- order-lifecycle-table:start -->\n([\s\S]*?)\n<!-- order-lifecycle-table:end -->/.exec(doc);
  if (!block) throw new Error('docs/order-lifecycle.md has no order-lifecycle-table block');
  const cells = (line: string) => line.split('|').slice(1, -1).map((c) => c.trim().replace(/`/g, ''));
  const [header, , ...rows] = block[1]!.split('\n');
  const columns = cells(header!).slice(1) as OrderStatus[];
  const table = new Map<OrderStatus, Map<OrderStatus, boolean>>();
  for (const line of rows) {
    const [from, ...marks] = cells(line);
    expect(marks.length, `row ${from}`).toBe(columns.length);
    table.set(from as OrderStatus, new Map(columns.map((to, i) => {
      expect(['✓', '·'], `cell ${from} → ${to}`).toContain(marks[i]);
      return [to, marks[i] === '✓'] as const;
    })));
  }
  return table;
}

const ALL: OrderStatus[] = ['pending', 'submitted', 'unknown', 'open', 'partially_filled', 'filled', 'canceled', 'rejected', 'expired', 'denied'];

describe('the order lifecycle table matches docs/order-lifecycle.md', () => {
  const documented = documentedTable();

  it('documents exactly the ten statuses, as rows and as columns', () => {
    expect([...documented.keys()]).toEqual(ALL);
    for (const row of documented.values()) expect([...row.keys()]).toEqual(ALL);
  });

  // One case per pair: a wrong cell names itself (e.g. "partially_filled → open").
  const pairs = ALL.flatMap((from) => ALL.map((to) => [from, to] as const));
  it('has 100 pairs', () => expect(pairs).toHaveLength(100));
  it.each(pairs)('%s → %s', (from, to) => {
    const allowed = documented.get(from)!.get(to)!;
    expect(canTransition(from, to)).toBe(allowed);
    if (allowed) expect(() => assertTransition(from, to)).not.toThrow();
    else expect(() => assertTransition(from, to)).toThrow(`illegal order transition ${from} → ${to}`);
  });
});
