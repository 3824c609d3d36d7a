import { describe, expect, it } from 'vitest';
import { EquityGuard } from '../../../src/risk/protections/equity-guard.ts';
import { NO_PROTECTIONS } from '../../../src/risk/protections/protection.ts';
import { stoplossGuard } from '../../../src/risk/protections/stoploss-guard.ts';
import { RiskState } from '../../../src/risk/risk-state.ts';
import { NO_LIMITS } from '../../../src/risk/risk-view.ts';

const DAY = 86_400_000;
const T0 = 20_000 * DAY;

describe('protections', () => {
  it('stop-loss guard: N stops inside the window lock; spread-out stops do not', () => {
    const stops: number[] = [];
    expect(stoplossGuard('X', stops, T0, 3, 60_000, 300_000)).toBeUndefined();
    expect(stoplossGuard('X', stops, T0 + 10_000, 3, 60_000, 300_000)).toBeUndefined();
    const t = stoplossGuard('X', stops, T0 + 59_999, 3, 60_000, 300_000);
    expect(t).toMatchObject({ kind: 'stoploss-guard', symbol: 'X', until: T0 + 59_999 + 300_000 });
    const spread: number[] = [];
    stoplossGuard('X', spread, T0, 3, 60_000, 300_000);
    stoplossGuard('X', spread, T0 + 30_000, 3, 60_000, 300_000);
    expect(stoplossGuard('X', spread, T0 + 60_000, 3, 60_000, 300_000)).toBeUndefined();
  });

  it('equity guard: halts once at the drawdown limit, re-armed by rebase', () => {
    const g = new EquityGuard({ maxDrawdownPct: 10, dailyLossPct: Infinity, dailyLossFlatten: false });
    expect(g.observe(T0, 1000)).toBeUndefined();
    expect(g.observe(T0 + 1, 900.01)).toBeUndefined();
    expect(g.observe(T0 + 2, 900)).toMatchObject({ kind: 'max-drawdown', state: 'HALTED' });
    expect(g.observe(T0 + 3, 800)).toBeUndefined(); // latched
    g.rebase(800);
    expect(g.observe(T0 + 4, 720.01)).toBeUndefined();
    expect(g.observe(T0 + 5, 720)).toMatchObject({ kind: 'max-drawdown' });
  });

  it('equity guard: daily loss counts from the first equity of the UTC day, flatten flag carried, new day re-arms', () => {
    const g = new EquityGuard({ maxDrawdownPct: Infinity, dailyLossPct: 5, dailyLossFlatten: true });
    g.observe(T0 + 1000, 2000);
    expect(g.observe(T0 + 2000, 1900.01)).toBeUndefined();
    expect(g.observe(T0 + 3000, 1900)).toMatchObject({ kind: 'daily-loss', flatten: true });
    expect(g.observe(T0 + DAY, 1900)).toBeUndefined(); // new day: 1900 is the new start
    expect(g.observe(T0 + DAY + 1, 1805)).toMatchObject({ kind: 'daily-loss' });
  });

  it('risk state: cooldown and guard lock the symbol in the view; orders per minute roll off', () => {
    const rs = new RiskState(NO_LIMITS, { ...NO_PROTECTIONS, cooldownMs: 120_000, stoplossGuardCount: 2, stoplossWindowMs: 3_600_000, stoplossLockMs: 7_200_000 });
    expect(rs.observeExit('BTC/USDT', T0, 'take-profit').map((t) => t.kind)).toEqual(['cooldown']);
    expect(rs.view('BTC/USDT', { now: T0 + 1, openPositions: 0 }).snapshot.locks.get('BTC/USDT')?.until).toBe(T0 + 120_000);
    rs.observeExit('BTC/USDT', T0 + 10, 'stop-loss');
    expect(rs.observeExit('BTC/USDT', T0 + 20, 'stop-loss').map((t) => t.kind)).toEqual(['stoploss-guard', 'cooldown']);
    expect(rs.activeLocks(T0 + 200_000)).toEqual([{ symbol: 'BTC/USDT', until: T0 + 20 + 7_200_000, reason: expect.stringContaining('2 stop-losses') }]);
    expect(rs.triggers.map((t) => t.kind)).toEqual(['stoploss-guard']);
    rs.recordOrder(T0);
    rs.recordOrder(T0 + 30_000);
    expect(rs.view('ETH/USDT', { now: T0 + 59_999, openPositions: 0 }).snapshot.ordersLastMinute).toBe(2);
    expect(rs.view('ETH/USDT', { now: T0 + 60_000, openPositions: 0 }).snapshot.ordersLastMinute).toBe(1);
  });

  it('risk state: approved intents are duplicates for the rest of their candle only; panic falls back to the portfolio score', () => {
    const rs = new RiskState(NO_LIMITS, NO_PROTECTIONS);
    rs.recordIntent('strategy', 'BTC/USDT', 'long', 60_000);
    const v = rs.view('BTC/USDT', { now: 0, openPositions: 0, candleTs: 60_000 });
    expect(v.snapshot.seenIntents.has('strategy|BTC/USDT|long|60000')).toBe(true);
    rs.setPanic('portfolio', 42);
    expect(rs.view('BTC/USDT', { now: 0, openPositions: 0 }).snapshot.panicScore).toBe(42);
    rs.setPanic('BTC/USDT', 81);
    expect(rs.view('BTC/USDT', { now: 0, openPositions: 0 }).snapshot.panicScore).toBe(81);
  });
});

describe('protection triggers at their edges', () => {
  it('cooldown: none when off (0 or less), otherwise until exit time + cooldown, its reason in minutes', async () => {
    const { cooldownAfterExit } = await import('../../../src/risk/protections/cooldown.ts');
    expect(cooldownAfterExit('BTC/USDT', 1_000, 0)).toBeUndefined();
    expect(cooldownAfterExit('BTC/USDT', 1_000, -5)).toBeUndefined();
    expect(cooldownAfterExit('BTC/USDT', 1_000, 1)).toMatchObject({ kind: 'cooldown', until: 1_001 });
    expect(cooldownAfterExit('BTC/USDT', 1_000, 1_800_000)).toEqual({ kind: 'cooldown', symbol: 'BTC/USDT', until: 1_801_000, reason: 'cooldown 30 min after an exit', ts: 1_000 });
  });

  it('stop-loss guard: off at count 0, a count of 1 locks at the first stop, the reason names count and window', () => {
    expect(stoplossGuard('X', [], 5_000, 0, 60_000, 300_000)).toBeUndefined();
    const stops: number[] = [];
    expect(stoplossGuard('X', stops, 5_000, 1, 3_600_000, 300_000)).toEqual({ kind: 'stoploss-guard', symbol: 'X', until: 305_000, reason: '1 stop-losses within 60 min', ts: 5_000 });
    // The lock empties the memory: the next stop starts a new count.
    expect(stops).toEqual([]);
    expect(stoplossGuard('X', stops, 6_000, 2, 3_600_000, 300_000)).toBeUndefined();
    expect(stops).toEqual([6_000]);
  });
});
