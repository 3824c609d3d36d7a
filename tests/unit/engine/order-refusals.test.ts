import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { Portfolio } from '../../../src/domain/portfolio.ts';
import type { OrderReport, OrderRequest } from '../../../src/domain/orders.ts';
import { EventBus } from '../../../src/engine/bus.ts';
import { OrderManager } from '../../../src/engine/order-manager.ts';
import { ManualClock } from '../../../src/ports/clock.ts';
import { ExecutionError } from '../../../src/ports/execution.ts';
import { memoryOrderStore, TestVenue } from './support/order-venue.ts';

const T0 = Date.UTC(2026, 0, 1);

/** A venue whose next create is refused with the given error before it is carried out. */
class RefusingVenue extends TestVenue {
  refusal: ExecutionError | undefined;
  override async placeOrder(req: OrderRequest): Promise<OrderReport> {
    const r = this.refusal;
    this.refusal = undefined;
    if (r) {
      this.placed.push(req);
      throw r;
    }
    return super.placeOrder(req);
  }
}

describe('order manager: refusals', () => {
  const setup = () => {
    const venue = new RefusingVenue();
    const store = memoryOrderStore();
    const manager = new OrderManager({ execution: venue, store, clock: new ManualClock(T0), mode: 'live', logger: pino({ level: 'silent' }), portfolio: new Portfolio(10_000), bus: new EventBus(), lookupDelayMs: 0 });
    const submit = () => manager.submit({ kind: 'exit', symbol: 'BTC/USDT', side: 'sell', quantity: 0.5, reduceOnly: true, reason: 'test' }, 'kill-all');
    return { venue, store, submit };
  };

  it('a refusal before anything was sent (rate-limit pause, IP ban) is rejected with when it may go again; a plain refusal has no such time', async () => {
    const { venue, store, submit } = setup();
    venue.refusal = new ExecutionError('banned', 'no request sent: banned', { retryAt: T0 + 90_000 });
    const banned = await submit();
    expect(banned).toEqual({ kind: 'rejected', clientOrderId: banned.clientOrderId, reason: 'no request sent: banned', retryAt: T0 + 90_000 });
    expect((await store.getOrder(banned.clientOrderId))?.status).toBe('rejected');
    // A pause that names no end: one second.
    venue.refusal = new ExecutionError('retryable', 'no request sent: paused');
    expect(await submit()).toMatchObject({ kind: 'rejected', retryAt: T0 + 1_000 });
    venue.refusal = new ExecutionError('rejected', 'insufficient balance');
    const refused = await submit();
    expect(refused).toEqual({ kind: 'rejected', clientOrderId: refused.clientOrderId, reason: 'insufficient balance' });
    expect(venue.placed).toHaveLength(3);
  });
});
