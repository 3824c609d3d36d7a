import pino from 'pino';
import { Portfolio } from '../../../../src/domain/portfolio.ts';
import { EventBus } from '../../../../src/engine/bus.ts';
import { OrderManager, type OrderManagerOptions } from '../../../../src/engine/order-manager.ts';
import { ManualClock } from '../../../../src/ports/clock.ts';
import { memoryOrderStore, TestVenue } from './order-venue.ts';

export const T0 = Date.UTC(2026, 0, 1);

/**
 * The order manager's unit-test rig: the test venue, orders in memory, a manual clock, 10,000 of
 * cash and every log line recorded. `make()` builds a manager whose waits pass in virtual time (the
 * clock moves by what is slept); options given override that.
 */
export function orderRig() {
  const venue = new TestVenue();
  const store = memoryOrderStore();
  const clock = new ManualClock(T0);
  const portfolio = new Portfolio(10_000);
  const lines: Array<Record<string, unknown>> = [];
  const logger = pino({ level: 'info' }, { write: (l: string) => void lines.push(JSON.parse(l) as Record<string, unknown>) });
  const make = (o: Partial<OrderManagerOptions> = {}) =>
    new OrderManager({ execution: venue, store, clock, mode: 'live', logger, portfolio, bus: new EventBus(), lookupDelayMs: 0, sleep: async (ms) => void clock.advance(ms), ...o });
  const status = async (id: string) => (await store.getOrder(id))?.status;
  return { venue, store, clock, portfolio, lines, make, status };
}
