import { describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { ReconcileService } from '../../../src/app/reconciliation.ts';
import type { DomainEvent } from '../../../src/domain/events.ts';
import { EventBus } from '../../../src/engine/bus.ts';
import type { OrderManager } from '../../../src/engine/order-manager.ts';
import type { ReconcileFindings, Reconciler } from '../../../src/engine/reconciler.ts';

const clean: ReconcileFindings = { settled: 0, filledOffline: [], closedOnExchange: [], externalOrders: [], externalHoldings: [], adopted: [], mismatches: [] };

function setup(results: Array<ReconcileFindings | Error>) {
  const holds = new Map<string, string>();
  const orders = { hold: (k: string, r: string) => void holds.set(k, r), release: (k: string) => void holds.delete(k) } as unknown as OrderManager;
  let calls = 0;
  const reconciler = {
    run: async () => {
      const r = results[Math.min(calls++, results.length - 1)]!;
      if (r instanceof Error) throw r;
      return r;
    },
  } as unknown as Reconciler;
  const bus = new EventBus();
  const events: DomainEvent[] = [];
  bus.onAny((e) => void events.push(e));
  const service = new ReconcileService({ reconciler, orders, bus, logger: pino({ level: 'silent' }), intervalMs: 60_000, now: () => 1, backoffMs: [10] });
  return { service, holds, events, calls: () => calls };
}

describe('ReconcileService', () => {
  it('holds new orders while reconciliation fails, alerts once per failure streak, releases on success', async () => {
    const { service, holds, events } = setup([new Error('exchange down'), new Error('still down'), clean]);
    expect((await service.runNow()).ok).toBe(false);
    expect([...holds.values()][0]).toMatch(/did not finish: exchange down/);
    expect((await service.runNow()).ok).toBe(false);
    expect(events.filter((e) => e.type === 'reconciliation')).toHaveLength(1);
    const ok = await service.runNow();
    expect(ok).toMatchObject({ ok: true, findings: clean });
    expect(holds.size).toBe(0);
    expect(service.last?.ok).toBe(true);
  });

  it('runs never overlap: concurrent requests run one after the other', async () => {
    const { service, calls } = setup([clean]);
    await Promise.all([service.runNow(), service.runNow(), service.runNow()]);
    expect(calls()).toBe(3);
  });

  it('retries a failed run by itself with backoff once started', async () => {
    const { service, holds } = setup([new Error('down'), clean]);
    await service.runNow();
    service.start();
    for (let i = 0; i < 50 && holds.size > 0; i++) await new Promise((r) => setTimeout(r, 10));
    service.stop();
    expect(holds.size).toBe(0);
  });
});
