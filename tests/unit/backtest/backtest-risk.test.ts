import { describe, expect, it } from 'vitest';
import { runBacktest } from '../../../src/backtest/index.ts';
import type { BacktestRiskOptions } from '../../../src/backtest/backtest-risk.ts';
import { parseBacktestArgs } from '../../../src/backtest/cli/args.ts';
import { formatSummaryTable } from '../../../src/backtest/report/summary.ts';
import { NO_PROTECTIONS, type ProtectionConfig } from '../../../src/risk/protections/protection.ts';
import { NO_LIMITS, type RiskLimits } from '../../../src/risk/risk-view.ts';
import type { Intent } from '../../../src/strategies/strategy.ts';
import { bars, DAY, scripted } from './scripted-strategy.ts';

const ENTER: Intent[] = [{ kind: 'enter', side: 'long', reason: 'in' }];
const EXIT: Intent[] = [{ kind: 'exit', reason: 'out' }];
const flat = (p: number) => [p, p, p, p] as const;
const HOUR = 3_600_000;
const risk = (limits: Partial<RiskLimits> = {}, protections: Partial<ProtectionConfig> = {}, panicReportThreshold?: number): BacktestRiskOptions => ({
  limits: { ...NO_LIMITS, ...limits },
  protections: { ...NO_PROTECTIONS, ...protections },
  panicReportThreshold,
});

describe('protections run in backtests (the live RiskState, candle by candle)', () => {
  it('cooldown: no re-entry on the symbol for COOLDOWN_MINUTES after an exit', () => {
    const c = bars([flat(100), flat(100), flat(100), flat(100), flat(100), flat(100)]);
    const s = scripted({ 0: ENTER, 1: EXIT, 2: ENTER, 4: ENTER, 5: EXIT });
    const without = runBacktest({ candles: c, strategy: s, fill: 'close', sizing: 'percent:10' });
    expect(without.tradeList.map((t) => t.entryIndex)).toEqual([0, 2]);
    // Exit at candle 1 (day 1): locked for 2.5 days → the entry on day 2 is refused, day 4 is not.
    const r = runBacktest({ candles: c, strategy: scripted({ 0: ENTER, 1: EXIT, 2: ENTER, 4: ENTER, 5: EXIT }), fill: 'close', sizing: 'percent:10', risk: risk({}, { cooldownMs: 2.5 * DAY }) });
    expect(r.tradeList.map((t) => t.entryIndex)).toEqual([0, 4]);
    expect(r.denials.SYMBOL_LOCKED).toBe(1);
    expect(r.risk!.protections.map((p) => p.kind)).toEqual(['cooldown', 'cooldown']);
    expect(r.risk!.protections[0]!.until).toBe(r.tradeList[0]!.exitTs + 2.5 * DAY);
  });

  it('stop-loss guard: N stop-losses within the window lock the symbol', () => {
    // Two entries with a stop at 95 that the next candle's low touches; a third entry after them is refused.
    const rows = [flat(100), [100, 100, 90, 96], flat(100), [100, 100, 90, 96], flat(100), flat(100), flat(100)] as Array<readonly [number, number, number, number]>;
    const withStop: Intent[] = [{ kind: 'enter', side: 'long', stopLoss: 95 }];
    const script = { 0: withStop, 2: withStop, 4: withStop, 6: EXIT };
    const free = runBacktest({ candles: bars(rows, HOUR), strategy: scripted(script), sizing: 'percent:10', risk: risk() });
    expect(free.tradeList.filter((t) => t.exitReason === 'stop-loss')).toHaveLength(2);
    expect(free.tradeList).toHaveLength(3);
    const r = runBacktest({ candles: bars(rows, HOUR), strategy: scripted(script), sizing: 'percent:10', risk: risk({}, { stoplossGuardCount: 2, stoplossWindowMs: 6 * HOUR, stoplossLockMs: 10 * HOUR }) });
    expect(r.tradeList).toHaveLength(2);
    expect(r.denials.SYMBOL_LOCKED).toBe(1);
    const guard = r.risk!.protections.find((p) => p.kind === 'stoploss-guard');
    expect(guard?.reason).toMatch(/2 stop-losses within 360 min/);
  });

  it('max drawdown → HALTED: nothing more is sent (the strategy exit too); the position closes at the end of data', () => {
    const c = bars([flat(100), flat(100), flat(85), flat(85), flat(120), flat(120)], HOUR);
    const s = { 0: ENTER, 3: EXIT, 4: ENTER };
    const r = runBacktest({ candles: c, strategy: scripted(s), fill: 'close', risk: risk({}, { maxDrawdownPct: 10 }) });
    // All-in at 100; at 85 the equity is 15 % under its peak → halted at the close of candle 2.
    expect(r.risk!.halted?.ts).toBe(c.ts[2]);
    expect(r.risk!.halted?.reason).toMatch(/MAX_DRAWDOWN_PCT 10%/);
    // The strategy's exit (candle 3) and its next entry (candle 4) are both refused.
    expect(r.denials.HALTED).toBe(2);
    expect(r.tradeList).toHaveLength(1);
    expect(r.tradeList[0]!.exitReason).toBe('end of data');
  });

  it('daily loss → HALTED and, with DAILY_LOSS_FLATTEN, the position is closed at the next open', () => {
    const c = bars([flat(100), flat(100), flat(94), flat(90), flat(100), flat(100)], HOUR);
    const r = runBacktest({ candles: c, strategy: scripted({ 0: ENTER, 4: ENTER }), risk: risk({}, { dailyLossPct: 5, dailyLossFlatten: true }) });
    // Filled at the open of 1 (100); the close of 2 at 94 is a 6 % loss on the day → flattened at the open of 3.
    expect(r.risk!.halted?.ts).toBe(c.ts[2]);
    expect(r.tradeList).toHaveLength(1);
    expect(r.tradeList[0]!.exitIndex).toBe(3);
    expect(r.tradeList[0]!.exitPrice).toBe(90);
    expect(r.tradeList[0]!.exitReason).toMatch(/^kill-all: today's loss 6\.00% reached DAILY_LOSS_PCT 5%/);
    expect(r.denials.HALTED).toBe(1);
    expect(formatSummaryTable(r)).toMatch(/Protections: daily-loss ×1\nHALTED at .*: today's loss/);
  });

  it('without risk options nothing of this runs (and no risk report)', () => {
    const c = bars([flat(100), flat(100), flat(85), flat(85)], HOUR);
    const r = runBacktest({ candles: c, strategy: scripted({ 0: ENTER }), fill: 'close' });
    expect(r.risk).toBeUndefined();
  });
});

describe('the panic score in backtests', () => {
  // 1-minute candles: calm at 100, then −12 % in 5 minutes; an entry on the candle after the crash.
  const rows: Array<readonly [number, number, number, number]> = [];
  for (let i = 0; i < 30; i++) rows.push(flat(100));
  for (let k = 1; k <= 5; k++) rows.push(flat(100 - 2.4 * k));
  rows.push(flat(88), flat(88));
  const c = bars(rows, 60_000);
  const script = { 10: ENTER, 11: EXIT, 36: ENTER };

  it('gates entries at the threshold: the calm entry passes, the one after the crash is denied PANIC', () => {
    const r = runBacktest({ candles: c, strategy: scripted(script), fill: 'close', sizing: 'percent:10', risk: risk({ panicThreshold: 70 }) });
    expect(r.tradeList.map((t) => t.entryIndex)).toEqual([10]);
    expect(r.denials.PANIC).toBe(1);
    const p = r.risk!.panic;
    expect(p.gateThreshold).toBe(70);
    expect(p.entriesDenied).toBe(1);
    expect(p.maxScore).toBeGreaterThanOrEqual(80);
    expect(p.maxTs).toBeGreaterThanOrEqual(c.ts[34]!);
    expect(p.candlesAbove).toBeGreaterThan(0);
  });

  it('with the gate off it shows what gating would have denied', () => {
    const r = runBacktest({ candles: c, strategy: scripted(script), fill: 'close', sizing: 'percent:10', risk: risk({}, {}, 70) });
    expect(r.tradeList.map((t) => t.entryIndex)).toEqual([10, 36]);
    expect(r.risk!.panic).toMatchObject({ gateThreshold: null, threshold: 70, entriesDenied: 0, entriesAbove: 1 });
    expect(formatSummaryTable(r)).toMatch(/Panic gate off: 1 entry taken at a score ≥ 70 would have been denied/);
  });

  it('--risk and --no-panic-gate on the command line', () => {
    const a = parseBacktestArgs(['--strategy', 'sma-cross', '--data', 'x.csv', '--risk', '--no-panic-gate']);
    expect([a.risk, a.panicGate]).toEqual([true, false]);
    expect(() => parseBacktestArgs(['--strategy', 'sma-cross', '--data', 'x.csv', '--no-panic-gate'])).toThrow(/goes with --risk/);
  });
});
