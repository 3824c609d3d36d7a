import { describe, expect, it } from 'vitest';
import { assertTransition, canTransition, CLIENT_ORDER_ID_PATTERN, isTerminal, newClientOrderId, type OrderStatus } from '../../../src/domain/orders.ts';

const ALL: OrderStatus[] = ['pending', 'submitted', 'unknown', 'open', 'partially_filled', 'filled', 'canceled', 'rejected', 'expired', 'denied'];

describe('order lifecycle', () => {
  it('lets a write-ahead order reach every outcome the venue can report', () => {
    for (const to of ['open', 'partially_filled', 'filled', 'canceled', 'rejected', 'expired', 'unknown'] as const) expect(canTransition('pending', to)).toBe(true);
    for (const to of ['open', 'partially_filled', 'filled', 'canceled', 'rejected', 'expired'] as const) expect(canTransition('unknown', to)).toBe(true);
  });

  it('never leaves a terminal state, not even to itself', () => {
    for (const from of ALL.filter(isTerminal)) {
      for (const to of ALL) expect(canTransition(from, to), `${from} → ${to}`).toBe(false);
    }
  });

  it('never goes back to pending, and an open order cannot become unknown or rejected', () => {
    for (const from of ALL) if (from !== 'pending') expect(canTransition(from, 'pending')).toBe(false);
    expect(canTransition('open', 'unknown')).toBe(false);
    expect(canTransition('open', 'rejected')).toBe(false);
    expect(canTransition('partially_filled', 'partially_filled')).toBe(true);
  });

  it('throws on an illegal transition: it is a bug, not a user error', () => {
    expect(() => assertTransition('filled', 'open')).toThrow(/illegal order transition filled → open/);
    expect(() => assertTransition('filled', 'open')).toThrow(expect.objectContaining({ code: 'INTERNAL' }));
    expect(() => assertTransition('pending', 'filled')).not.toThrow();
  });

  it('makes venue-safe, distinct clientOrderIds', () => {
    const ids = new Set(Array.from({ length: 1000 }, () => newClientOrderId('to', 1_700_000_000_000)));
    expect(ids.size).toBe(1000);
    for (const id of ids) expect(CLIENT_ORDER_ID_PATTERN.test(id)).toBe(true);
    // Default prefix; the random part is always 8 base-36 digits, zero-padded.
    expect(newClientOrderId(undefined, 36 ** 3, () => 0)).toBe('to-1000-00000000');
    expect(newClientOrderId('ab', 35, () => 0.5)).toBe(`ab-z-${Math.floor(0.5 * 36 ** 8).toString(36)}`);
  });
});
