import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { pino } from 'pino';
import { RECONCILE_BACKOFF_MS, ReconcileService } from '../../../src/app/reconciliation.ts';
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

  it('a run requested while one is in progress starts only after it finished', async () => {
    let active = 0;
    let most = 0;
    const reconciler = {
      run: async () => {
        most = Math.max(most, ++active);
        await new Promise((r) => setTimeout(r, 5));
        active--;
        return clean;
      },
    } as unknown as Reconciler;
    const orders = { hold: () => {}, release: () => {} } as unknown as OrderManager;
    const service = new ReconcileService({ reconciler, orders, bus: new EventBus(), logger: pino({ level: 'silent' }), intervalMs: 60_000, now: () => 1 });
    await Promise.all([service.runNow(), service.runNow(), service.runNow()]);
    expect(most).toBe(1);
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

describe('ReconcileService: retry timing, alerts and the order hold (fake timers)', () => {
  const BACKOFF = [5_000, 15_000, 60_000];
  const INTERVAL = 600_000;
  function timed(results: Array<ReconcileFindings | Error | string>, backoffMs: readonly number[] = BACKOFF) {
    const holds = new Map<string, string>();
    const orders = { hold: (k: string, r: string) => void holds.set(k, r), release: (k: string) => void holds.delete(k) } as unknown as OrderManager;
    let calls = 0;
    const reconciler = {
      run: async () => {
        const r = results[Math.min(calls++, results.length - 1)]!;
        if (r instanceof Error || typeof r === 'string') throw r;
        return r;
      },
    } as unknown as Reconciler;
    const bus = new EventBus();
    const alerts: Array<Extract<DomainEvent, { type: 'reconciliation' }>> = [];
    bus.onAny((e) => void (e.type === 'reconciliation' && alerts.push(e)));
    const logs: Array<Record<string, unknown>> = [];
    const logger = pino({ level: 'info' }, { write: (l: string) => void logs.push(JSON.parse(l) as Record<string, unknown>) });
    const service = new ReconcileService({ reconciler, orders, bus, logger, intervalMs: INTERVAL, now: () => 1_000, backoffMs });
    return { service, holds, alerts, logs, calls: () => calls };
  }
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('a failed run holds orders with the reason shown to users and alerts once per streak with the retry delay; the retries follow the backoff; success releases and waits the interval', async () => {
    const { service, holds, alerts, logs, calls } = timed([new Error('exchange down'), new Error('still down'), clean, new Error('down again')]);
    expect(await service.runNow()).toEqual({ at: 1_000, ok: false, error: 'exchange down' });
    expect([...holds]).toEqual([['reconcile', 'reconciliation with the exchange did not finish: exchange down']]);
    expect(alerts).toEqual([{ type: 'reconciliation', ts: 1_000, severity: 'critical', lines: ['could not reconcile with the exchange: exchange down', 'no new orders until it succeeds; retrying in 5 s'] }]);
    expect(logs.map((l) => [l.msg, l.attempt, l.retryInMs, l.level])).toEqual([['reconciliation failed; orders held', 1, 5_000, 50]]);
    // Not started: nothing runs by itself yet.
    await vi.advanceTimersByTimeAsync(10 * INTERVAL);
    expect(calls()).toBe(1);

    service.start();
    await vi.advanceTimersByTimeAsync(4_999);
    expect(calls()).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(calls()).toBe(2);
    expect(service.last).toMatchObject({ ok: false, error: 'still down' });
    expect(holds.get('reconcile')).toBe('reconciliation with the exchange did not finish: still down');
    expect(alerts).toHaveLength(1); // the same streak
    expect(logs[1]).toMatchObject({ attempt: 2, retryInMs: 15_000 });
    await vi.advanceTimersByTimeAsync(14_999);
    expect(calls()).toBe(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(calls()).toBe(3);
    expect(service.last).toEqual({ at: 1_000, ok: true, findings: clean });
    expect(holds.size).toBe(0);
    await vi.advanceTimersByTimeAsync(INTERVAL - 1);
    expect(calls()).toBe(3);
    await vi.advanceTimersByTimeAsync(1);
    expect(calls()).toBe(4);
    // A new streak: alerted again, from the first backoff step.
    expect(alerts).toHaveLength(2);
    expect(alerts[1]!.lines).toEqual(['could not reconcile with the exchange: down again', 'no new orders until it succeeds; retrying in 5 s']);
    expect(logs[2]).toMatchObject({ attempt: 1, retryInMs: 5_000 });
    service.stop();
  });

  it('the backoff stays at its last step; the alert rounds the delay to seconds', async () => {
    const { service, logs, alerts } = timed([new Error('down')]);
    for (let i = 0; i < 5; i++) await service.runNow();
    expect(logs.map((l) => l.retryInMs)).toEqual([5_000, 15_000, 60_000, 60_000, 60_000]);
    expect(alerts).toHaveLength(1);
    const odd = timed([new Error('down')], [1_600]);
    await odd.service.runNow();
    expect(odd.alerts[0]!.lines[1]).toBe('no new orders until it succeeds; retrying in 2 s');
  });

  it('started after a streak of failures, the next run waits the backoff of the last failure', async () => {
    const { service, calls } = timed([new Error('a'), new Error('b'), clean]);
    await service.runNow();
    await service.runNow();
    service.start();
    await vi.advanceTimersByTimeAsync(14_999);
    expect(calls()).toBe(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(calls()).toBe(3);
    service.stop();
  });

  it('started after a streak longer than the backoff list, the next run waits its last step', async () => {
    const { service, calls } = timed([new Error('down')]);
    for (let i = 0; i < 6; i++) await service.runNow();
    service.start();
    await vi.advanceTimersByTimeAsync(59_999);
    expect(calls()).toBe(6);
    await vi.advanceTimersByTimeAsync(1);
    expect(calls()).toBe(7);
    service.stop();
  });

  it('started after a success, the next run waits the interval; stop cancels it and a stopped service schedules nothing', async () => {
    const { service, calls } = timed([clean]);
    await service.runNow();
    service.start();
    await vi.advanceTimersByTimeAsync(INTERVAL);
    expect(calls()).toBe(2);
    service.stop();
    await vi.advanceTimersByTimeAsync(5 * INTERVAL);
    expect(calls()).toBe(2);
    await service.runNow(); // on demand while stopped: runs, schedules nothing
    await vi.advanceTimersByTimeAsync(5 * INTERVAL);
    expect(calls()).toBe(3);
  });

  it('a run on demand replaces the scheduled one instead of adding a second timer', async () => {
    const { service, calls } = timed([clean]);
    service.start();
    await vi.advanceTimersByTimeAsync(INTERVAL / 2);
    await service.runNow();
    expect(calls()).toBe(1);
    await vi.advanceTimersByTimeAsync(INTERVAL / 2);
    expect(calls()).toBe(1);
    await vi.advanceTimersByTimeAsync(INTERVAL / 2);
    expect(calls()).toBe(2);
    service.stop();
  });

  it('a failure that is not an Error is reported as text', async () => {
    const { service, holds } = timed(['socket closed']);
    expect(await service.runNow()).toMatchObject({ ok: false, error: 'socket closed' });
    expect(holds.get('reconcile')).toBe('reconciliation with the exchange did not finish: socket closed');
  });

  it('the default backoff starts at 5 s', async () => {
    const holds = new Map<string, string>();
    const alerts: string[][] = [];
    const bus = new EventBus();
    bus.onAny((e) => void (e.type === 'reconciliation' && alerts.push(e.lines)));
    const service = new ReconcileService({ reconciler: { run: async () => Promise.reject(new Error('down')) } as unknown as Reconciler, orders: { hold: (k: string, r: string) => void holds.set(k, r), release: () => {} } as unknown as OrderManager, bus, logger: pino({ level: 'silent' }), intervalMs: INTERVAL, now: () => 0 });
    await service.runNow();
    expect(alerts[0]![1]).toBe('no new orders until it succeeds; retrying in 5 s');
    expect(RECONCILE_BACKOFF_MS).toEqual([5_000, 15_000, 60_000, 300_000]);
  });
});
