import { describe, expect, it } from 'vitest';
import { NO_PROTECTIONS } from '../../../src/risk/protections/protection.ts';
import { RiskState } from '../../../src/risk/risk-state.ts';
import { intentKey, NO_LIMITS } from '../../../src/risk/risk-view.ts';

const DAY = 86_400_000;
const T0 = 20_000 * DAY;
const facts = (over: { now?: number; candleTs?: number } = {}) => ({ now: T0, openPositions: 0, ...over });

describe('risk state: exits and the locks they leave', () => {
  it('only exits whose reason names a stop count toward the stop-loss guard', () => {
    const rs = new RiskState(NO_LIMITS, { ...NO_PROTECTIONS, stoplossGuardCount: 2, stoplossWindowMs: 3_600_000, stoplossLockMs: 600_000 });
    expect(rs.observeExit('BTC/USDT', T0, 'take-profit')).toEqual([]);
    expect(rs.observeExit('BTC/USDT', T0 + 1, 'strategy exit')).toEqual([]);
    expect(rs.observeExit('BTC/USDT', T0 + 2, 'Stop-loss hit')).toEqual([]);
    expect(rs.observeExit('BTC/USDT', T0 + 3, 'trailing stop').map((t) => t.kind)).toEqual(['stoploss-guard']);
  });

  it('with the cooldown off an exit leaves no cooldown lock, and a guard alone locks', () => {
    const rs = new RiskState(NO_LIMITS, { ...NO_PROTECTIONS, stoplossGuardCount: 1, stoplossWindowMs: 60_000, stoplossLockMs: 600_000 });
    expect(rs.observeExit('ETH/USDT', T0, 'take-profit')).toEqual([]);
    expect(rs.activeLocks(T0)).toEqual([]);
    expect(rs.observeExit('ETH/USDT', T0 + 5, 'stop-loss')).toEqual([{ kind: 'stoploss-guard', symbol: 'ETH/USDT', until: T0 + 600_005, reason: '1 stop-losses within 1 min', ts: T0 + 5 }]);
    expect(rs.activeLocks(T0 + 5)).toEqual([{ symbol: 'ETH/USDT', until: T0 + 600_005, reason: '1 stop-losses within 1 min' }]);
  });

  it('a lock is only ever lengthened: an equal or shorter one keeps the reason already shown', () => {
    const rs = new RiskState(NO_LIMITS, { ...NO_PROTECTIONS, cooldownMs: 600_000, stoplossGuardCount: 1, stoplossWindowMs: 60_000, stoplossLockMs: 600_000 });
    rs.observeExit('ETH/USDT', T0, 'stop-loss'); // guard and cooldown both until T0 + 600,000
    expect(rs.activeLocks(T0)).toEqual([{ symbol: 'ETH/USDT', until: T0 + 600_000, reason: '1 stop-losses within 1 min' }]);
    rs.observeExit('ETH/USDT', T0 + 1_000, 'take-profit'); // cooldown until T0 + 601,000: longer
    expect(rs.activeLocks(T0)).toEqual([{ symbol: 'ETH/USDT', until: T0 + 601_000, reason: 'cooldown 10 min after an exit' }]);
  });

  it('a lock ends at its `until`: no longer active, and gone from the view the pre-flight rules see', () => {
    const rs = new RiskState(NO_LIMITS, { ...NO_PROTECTIONS, cooldownMs: 60_000 });
    rs.observeExit('BTC/USDT', T0, 'take-profit');
    expect(rs.activeLocks(T0 + 59_999)).toHaveLength(1);
    expect(rs.view('BTC/USDT', facts()).snapshot.locks.has('BTC/USDT')).toBe(true);
    expect(rs.activeLocks(T0 + 60_000)).toEqual([]);
    expect(rs.view('BTC/USDT', facts()).snapshot.locks.has('BTC/USDT')).toBe(false);
  });
});

describe('risk state: protection history', () => {
  it('an equity observation that triggers nothing leaves no entry', () => {
    const rs = new RiskState(NO_LIMITS, { ...NO_PROTECTIONS, maxDrawdownPct: 10 });
    expect(rs.observeEquity(T0, 1000)).toBeUndefined();
    expect(rs.triggers).toEqual([]);
    expect(rs.observeEquity(T0 + 1, 850)).toMatchObject({ kind: 'max-drawdown' });
    expect(rs.triggers.map((t) => t.kind)).toEqual(['max-drawdown']);
  });

  it('keeps the newest 100 triggers', () => {
    const rs = new RiskState(NO_LIMITS, { ...NO_PROTECTIONS, stoplossGuardCount: 1, stoplossWindowMs: 1, stoplossLockMs: 1 });
    for (let i = 0; i < 101; i++) rs.observeExit(`S${i}`, T0 + i, 'stop-loss');
    expect(rs.triggers).toHaveLength(100);
    expect(rs.triggers[0]).toMatchObject({ symbol: 'S1' });
    expect(rs.triggers[99]).toMatchObject({ symbol: 'S100' });
  });

  it('panic scores are kept per scope', () => {
    const rs = new RiskState(NO_LIMITS, NO_PROTECTIONS);
    expect(rs.panicScore('portfolio')).toBeUndefined();
    rs.setPanic('portfolio', 55);
    rs.setPanic('ETH/USDT', 12);
    expect(rs.panicScore('portfolio')).toBe(55);
    expect(rs.panicScore('ETH/USDT')).toBe(12);
  });
});

describe('risk state: approved intents (duplicate keys)', () => {
  it('a key is source|symbol|side|candle, the candle empty when unknown', () => {
    expect(intentKey('signal', 'BTC/USDT', 'short', 60_000)).toBe('signal|BTC/USDT|short|60000');
    expect(intentKey('manual', 'BTC/USDT', 'long', undefined)).toBe('manual|BTC/USDT|long|');
  });

  it('an intent without a candle is not remembered', () => {
    const rs = new RiskState(NO_LIMITS, NO_PROTECTIONS);
    rs.recordIntent('strategy', 'BTC/USDT', 'long', undefined);
    expect(rs.view('BTC/USDT', facts()).snapshot.seenIntents.size).toBe(0);
  });

  it('up to 1,024 keys are kept as they are; past that only the newest candle\'s keys stay', () => {
    const rs = new RiskState(NO_LIMITS, NO_PROTECTIONS);
    for (let i = 0; i < 1023; i++) rs.recordIntent('strategy', `S${i}`, 'long', 60_000);
    rs.recordIntent('strategy', 'BTC/USDT', 'long', 120_000);
    const seen = rs.view('BTC/USDT', facts()).snapshot.seenIntents;
    expect(seen.size).toBe(1024);
    rs.recordIntent('strategy', 'ETH/USDT', 'long', 120_000);
    expect([...rs.view('BTC/USDT', facts()).snapshot.seenIntents].sort()).toEqual(['strategy|BTC/USDT|long|120000', 'strategy|ETH/USDT|long|120000']);
    // Pruned keys are forgotten for good: the next prune again keeps only the newest candle.
    for (let i = 0; i < 1023; i++) rs.recordIntent('manual', `S${i}`, 'short', 180_000);
    expect(rs.view('BTC/USDT', facts()).snapshot.seenIntents.size).toBe(1023);
  });
});
