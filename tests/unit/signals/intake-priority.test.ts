import { describe, expect, it } from 'vitest';
import { IntakePriority } from '../../../src/signals/intake-priority.ts';

describe('IntakePriority', () => {
  it('quiet() waits while a request is in flight and resolves when the last one leaves', async () => {
    const p = new IntakePriority(10_000);
    p.enter();
    p.enter();
    let resolved = false;
    const q = p.quiet().then(() => (resolved = true));
    await new Promise((r) => setTimeout(r, 20));
    expect(resolved).toBe(false);
    p.leave();
    await new Promise((r) => setTimeout(r, 5));
    expect(resolved).toBe(false);
    p.leave();
    await q;
    expect(resolved).toBe(true);
    expect(p.busy).toBe(false);
  });

  it('never waits longer than maxWaitMs under a steady stream of requests', async () => {
    const p = new IntakePriority(30);
    p.enter();
    const t = performance.now();
    await p.quiet();
    expect(performance.now() - t).toBeGreaterThanOrEqual(25);
    p.leave();
  });

  it('gives the event loop a turn even when idle (an I/O callback queued before runs first)', async () => {
    const p = new IntakePriority();
    const order: string[] = [];
    setImmediate(() => order.push('io'));
    await p.quiet();
    order.push('processing');
    expect(order).toEqual(['io', 'processing']);
  });

  it('an unmatched leave does not go below zero', async () => {
    const p = new IntakePriority(10_000);
    p.leave();
    p.enter();
    expect(p.busy).toBe(true);
    p.leave();
    expect(p.busy).toBe(false);
  });
});
