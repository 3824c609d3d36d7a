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

describe('equity guard: what the halts say, latching, restart', () => {
  it('the drawdown halt names the drawdown, the peak and the limit, and never flattens', () => {
    const g = new EquityGuard({ maxDrawdownPct: 10, dailyLossPct: Infinity, dailyLossFlatten: true });
    g.observe(T0, 1000);
    expect(g.observe(T0 + 1, 880)).toEqual({ kind: 'max-drawdown', state: 'HALTED', reason: 'drawdown 12.00% from the peak 1000.00 reached MAX_DRAWDOWN_PCT 10%', ts: T0 + 1, flatten: false });
  });

  it('the daily-loss halt names the loss and the limit, once a day until re-armed by a rebase', () => {
    const g = new EquityGuard({ maxDrawdownPct: Infinity, dailyLossPct: 5, dailyLossFlatten: false });
    g.observe(T0, 2000);
    expect(g.observe(T0 + 1, 1880)).toEqual({ kind: 'daily-loss', state: 'HALTED', reason: "today's loss 6.00% reached DAILY_LOSS_PCT 5%", ts: T0 + 1, flatten: false });
    expect(g.observe(T0 + 2, 1800)).toBeUndefined(); // latched for the day
    g.rebase(1800);
    // Re-armed: the day still started at 2000, so the loss still counts from there.
    expect(g.observe(T0 + 3, 1800)).toMatchObject({ kind: 'daily-loss', reason: "today's loss 10.00% reached DAILY_LOSS_PCT 5%" });
  });

  it('before any equity is known both figures are 0', () => {
    const g = new EquityGuard({ maxDrawdownPct: 10, dailyLossPct: 5, dailyLossFlatten: false });
    expect(g.drawdownPct(100)).toBe(0);
    expect(g.dailyLossPct(100)).toBe(0);
    expect(g.drawdownPct(0)).toBe(0);
    expect(g.dailyLossPct(0)).toBe(0);
  });

  it('the first observation starts the day whatever the clock (a simulated one starting near 0 too)', () => {
    const g = new EquityGuard({ maxDrawdownPct: Infinity, dailyLossPct: 5, dailyLossFlatten: false });
    g.observe(DAY + 1_000, 1000);
    expect(g.dayStart).toBe(1000);
    expect(g.observe(DAY + 2_000, 950)).toMatchObject({ kind: 'daily-loss' });
  });

  it('seeded after a restart: the stored peak and today\'s first equity count, and the halts are armed', () => {
    const g = new EquityGuard({ maxDrawdownPct: 20, dailyLossPct: 5, dailyLossFlatten: false });
    g.seed(1100, 1000, T0 + 5_000);
    expect(g.peak).toBe(1100);
    expect(g.dayStart).toBe(1000);
    // Same UTC day: the day start is kept, not replaced by this equity.
    expect(g.observe(T0 + 6_000, 960)).toBeUndefined();
    expect(g.dayStart).toBe(1000);
    expect(g.observe(T0 + 7_000, 950)).toMatchObject({ kind: 'daily-loss', reason: "today's loss 5.00% reached DAILY_LOSS_PCT 5%" });
    expect(g.observe(T0 + 8_000, 870)).toMatchObject({ kind: 'max-drawdown', reason: 'drawdown 20.91% from the peak 1100.00 reached MAX_DRAWDOWN_PCT 20%' });
  });

  it('seeding never lowers a peak already seen, and without today\'s equity the next observation starts the day', () => {
    const g = new EquityGuard({ maxDrawdownPct: Infinity, dailyLossPct: 5, dailyLossFlatten: false });
    g.observe(T0, 2000);
    g.seed(1500, undefined, T0 + 1);
    expect(g.peak).toBe(2000);
    const fresh = new EquityGuard({ maxDrawdownPct: Infinity, dailyLossPct: 5, dailyLossFlatten: false });
    fresh.seed(1500, undefined, T0);
    expect(fresh.observe(T0 + 1, 900)).toBeUndefined();
    expect(fresh.dayStart).toBe(900);
  });
});
