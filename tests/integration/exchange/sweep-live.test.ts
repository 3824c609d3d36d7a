/**
 * The treasury sweep with the real ccxt client against the local Binance-compatible exchange
 * (POST /sapi/v1/capital/withdraw/apply), its records in PGlite and its alerts on a bus.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { type Database } from '../../../src/adapters/db/client.ts';
import { DrizzleRiskStore } from '../../../src/adapters/db/repositories/drizzle-risk-store.ts';
import { sweeps } from '../../../src/adapters/db/schema.ts';
import { createTreasurySweep } from '../../../src/app/treasury-sweep.ts';
import type { DomainEvent } from '../../../src/domain/events.ts';
import type { SweepSettings } from '../../../src/risk/sweep-plan.ts';
import { FAULTS } from '../../support/local-exchange/faults.ts';
import { startHarness, type Harness } from './harness.ts';
import { openMigratedPglite } from '../../support/pglite-snapshot.ts';

const ADDRESS = 'TXYZtreasury0000000000000000000001';
const WITHDRAW = 'POST /sapi/v1/capital/withdraw/apply';

describe('/sweep through ccxt withdraw against the local exchange', () => {
  let h: Harness | undefined;
  let db: Database | undefined;
  afterEach(async () => {
    await h?.close();
    await db?.close();
    h = db = undefined;
  });

  async function setup(settings: Partial<SweepSettings> = {}) {
    h = await startHarness({ local: { spotBalances: { USDT: 10_000, BTC: 0.5 } } });
    await h.adapter.loadMarkets();
    db = await openMigratedPglite();
    const riskStore = new DrizzleRiskStore(db.db);
    const events: DomainEvent[] = [];
    const debits: number[] = [];
    const sweep = createTreasurySweep({
      execution: h.adapter,
      riskStore,
      settings: { enabled: true, address: ADDRESS, network: 'TRX', keep: 1000, maxPerDay: 5000, ...settings },
      currency: 'USDT',
      marketType: 'spot',
      publish: (e) => void events.push(e),
      now: () => Date.now(),
      debit: async (a) => void debits.push(a),
      logger: pino({ level: 'silent' }),
    });
    return { sweep, events, debits, rows: () => db!.db.select().from(sweeps) };
  }

  it('SWEEP_ENABLED=false: a dry run is recorded and alerted, nothing goes on the wire', async () => {
    const { sweep, events, debits, rows } = await setup({ enabled: false });
    const r = await sweep.sweep('admin:telegram:1');
    expect(r.status).toBe('dry-run');
    expect(r.plan.amount).toBe(5000);
    expect(h!.local.count(WITHDRAW)).toBe(0);
    expect(debits).toEqual([]);
    expect(await rows()).toMatchObject([{ dryRun: true, status: 'planned', amount: 5000, address: ADDRESS, network: 'TRX', requestedBy: 'admin:telegram:1' }]);
    expect(events).toMatchObject([{ type: 'sweep', dryRun: true, ok: true, amount: 5000 }]);
  });

  it('sends the free balance above SWEEP_KEEP, capped by SWEEP_MAX_PER_DAY, with the network; the cap holds for the day', async () => {
    const { sweep, events, debits, rows } = await setup();
    const r = await sweep.sweep('admin:telegram:1');
    expect(r.status).toBe('sent');
    // 10,000 free − 1,000 kept = 9,000, capped at 5,000 a day.
    expect(r.plan.amount).toBe(5000);
    expect(h!.local.state.withdrawals.done).toMatchObject([{ coin: 'USDT', amount: 5000, address: ADDRESS, network: 'TRX' }]);
    expect(h!.local.state.spot.balance('USDT').free).toBe(5000);
    expect(debits).toEqual([5000]);
    expect(await rows()).toMatchObject([{ dryRun: false, status: 'sent', amount: 5000 }]);
    expect((await rows())[0]!.txId).toBe(h!.local.state.withdrawals.done[0]!.id);
    expect(events).toMatchObject([{ type: 'sweep', dryRun: false, ok: true, amount: 5000 }]);
    // The day's 5,000 are used: a second sweep is refused before anything is sent.
    expect((await sweep.plan()).blocked).toMatch(/already swept today reaches SWEEP_MAX_PER_DAY 5000/);
    await expect(sweep.sweep('admin:telegram:1')).rejects.toThrow(/SWEEP_MAX_PER_DAY/);
    expect(h!.local.count(WITHDRAW)).toBe(1);
  });

  it('a refusal by the venue (address not on its whitelist) is recorded failed, alerted, and does not count', async () => {
    const { sweep, events, rows } = await setup({ maxPerDay: 100_000 });
    h!.local.state.withdrawals.allowList = new Set(['someone-else-0001']);
    const r = await sweep.sweep('admin:console:local');
    expect(r.status).toBe('failed');
    expect(r.detail).toMatch(/whitelist/);
    expect(h!.local.state.spot.balance('USDT').free).toBe(10_000);
    expect(await rows()).toMatchObject([{ status: 'failed', dryRun: false }]);
    expect(events).toMatchObject([{ type: 'sweep', ok: false }]);
    expect((await sweep.plan()).amount).toBe(9000);
  });

  it('a lost answer is never resent: the sweep stays planned and counts toward the cap', async () => {
    const { sweep, events, rows } = await setup();
    h!.local.faults.add(WITHDRAW, FAULTS.executionUnknown());
    const r = await sweep.sweep('admin:telegram:1');
    expect(r.status).toBe('unknown');
    expect(r.detail).toMatch(/check the exchange's withdrawal history/);
    expect(h!.local.count(WITHDRAW)).toBe(1);
    // The venue did take it.
    expect(h!.local.state.withdrawals.done).toHaveLength(1);
    expect(await rows()).toMatchObject([{ status: 'planned', dryRun: false }]);
    expect(events).toMatchObject([{ type: 'sweep', ok: false }]);
    expect((await sweep.plan()).blocked).toMatch(/SWEEP_MAX_PER_DAY/);
  });

  it('nothing above SWEEP_KEEP, no address, or a cap of 0: refused with the reason', async () => {
    const { sweep } = await setup({ keep: 20_000 });
    expect((await sweep.plan()).blocked).toMatch(/not above SWEEP_KEEP 20000/);
    await expect(sweep.sweep('x')).rejects.toThrow(/nothing to sweep/);
    expect(h!.local.count(WITHDRAW)).toBe(0);
  });
});
