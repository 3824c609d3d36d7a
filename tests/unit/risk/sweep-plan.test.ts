import { describe, expect, it } from 'vitest';
import { planSweep, utcDayStart, type SweepSettings } from '../../../src/risk/sweep-plan.ts';

const S: SweepSettings = { enabled: true, address: 'TXYZtreasury0001', network: 'TRX', keep: 1000, maxPerDay: 5000 };

describe('planSweep', () => {
  it('moves the free balance above SWEEP_KEEP, down to whole cents', () => {
    expect(planSweep(S, 'USDT', 3456.789, 0)).toMatchObject({ amount: 2456.78, dryRun: false });
  });
  it('never past SWEEP_MAX_PER_DAY for the day', () => {
    expect(planSweep(S, 'USDT', 100_000, 0).amount).toBe(5000);
    expect(planSweep(S, 'USDT', 100_000, 4000.5).amount).toBe(999.5);
    expect(planSweep(S, 'USDT', 100_000, 5000).blocked).toMatch(/reaches SWEEP_MAX_PER_DAY/);
  });
  it('is a dry run unless enabled', () => {
    expect(planSweep({ ...S, enabled: false }, 'USDT', 2000, 0)).toMatchObject({ amount: 1000, dryRun: true });
  });
  it('refuses without an address, with a cap of 0, or with nothing above the keep', () => {
    expect(planSweep({ ...S, address: undefined }, 'USDT', 9000, 0).blocked).toMatch(/SWEEP_ADDRESS is not set/);
    expect(planSweep({ ...S, maxPerDay: 0 }, 'USDT', 9000, 0).blocked).toMatch(/sweeping is off/);
    expect(planSweep(S, 'USDT', 1000, 0)).toMatchObject({ amount: 0, blocked: expect.stringMatching(/not above SWEEP_KEEP/) });
    expect(planSweep(S, 'USDT', 1000.004, 0).blocked).toMatch(/less than 0\.01/);
  });
  it('utcDayStart', () => {
    expect(utcDayStart(Date.UTC(2026, 11, 6, 13, 5))).toBe(Date.UTC(2026, 11, 6));
  });
});
