import { describe, expect, it } from 'vitest';
import { eventToAlert } from '../../../src/alerts/event-to-alert.ts';
import { DOMAIN_EVENT_TYPES, type DomainEvent } from '../../../src/domain/events.ts';
import { registerSecrets } from '../../../src/logger.ts';

const T = Date.UTC(2024, 0, 15, 12);

const EVENTS: DomainEvent[] = [
  { type: 'startup', ts: T, mode: 'paper', exchange: 'sim', strategy: 'sma-cross', symbols: ['BTC/USDT', 'ETH/USDT'] },
  { type: 'shutdown', ts: T, reason: 'SIGTERM' },
  { type: 'entry', ts: T, symbol: 'BTC/USDT', side: 'long', price: 42_000, quantity: 0.1, clientOrderId: 'c1', strategy: 'sma-cross', reason: 'fast crossed above slow' },
  { type: 'exit', ts: T, symbol: 'BTC/USDT', side: 'long', price: 41_000, quantity: 0.1, pnl: -100, pnlPct: -2.38, reason: 'stop loss', clientOrderId: 'c2' },
  { type: 'fill', ts: T, fill: { tradeId: 't', clientOrderId: 'c1', symbol: 'BTC/USDT', side: 'buy', price: 42_000, amount: 0.1, fee: 4.2, feeCurrency: 'USDT', ts: T } },
  { type: 'order-rejected', ts: T, symbol: 'BTC/USDT', side: 'buy', clientOrderId: 'c3', reason: 'insufficient balance' },
  { type: 'order-denied', ts: T, symbol: 'BTC/USDT', reasons: ['MAX_POSITION', 'PANIC'], intent: 'enter long' },
  { type: 'trading-state-changed', ts: T, from: 'ACTIVE', to: 'HALTED', reason: 'authentication failed', by: 'risk' },
  { type: 'backtest-finished', ts: T, runId: 7, strategy: 'sma-cross', symbol: 'BTC/USDT', summary: 'return +12% vs +8% buy & hold', ok: true, chartPath: '/data/backtests/7/equity.png' },
  { type: 'stale-data', ts: T, symbol: 'BTC/USDT', timeframe: '1m', lastCandleTs: T - 600_000 },
  { type: 'exchange-error', ts: T, kind: 'network', message: 'timeout', critical: false },
  { type: 'strategy-message', ts: T, strategy: 'rsi-bb', symbol: 'ETH/USDT', message: 'RSI 28: watching for entry' },
  { type: 'daily-summary', ts: T, equity: 10_250, pnl: 250, pnlPct: 2.5, trades: 6, openPositions: 1 },
  { type: 'candles-skipped', ts: T, symbol: 'BTC/USDT', timeframe: '1m', skipped: 17, gapMs: 18 * 60_000, newestTs: T - 60_000, acted: true },
  { type: 'protection-triggered', ts: T, protection: 'stoploss-guard', symbol: 'BTC/USDT', until: T + 3_600_000, reason: '3 stop-losses within 60 min' },
  { type: 'panic-level', ts: T, scope: 'portfolio', score: 84, level: 'extreme', previous: 'high', proposeKillAll: true },
  { type: 'kill-all', ts: T, runId: 3, phase: 'finished', by: 'telegram:1', lines: [{ symbol: 'BTC/USDT', outcome: 'closed', detail: '0.1 at 41000' }, { symbol: 'ETH/USDT', outcome: 'failed', detail: 'market closed' }] },
  { type: 'sweep', ts: T, currency: 'USDT', amount: 500, address: 'TXabc12345', dryRun: true, ok: true, detail: 'dry run: nothing sent' },
  { type: 'reconciliation', ts: T, severity: 'warning', lines: ['filled while offline: to-1'] },
  { type: 'signal', ts: T, source: 'tradingview', signalId: 'tv-1', symbol: 'BTC/USDT', action: 'buy', outcome: 'executed', detail: 'BTC/USDT enter long: order c9' },
  { type: 'heartbeat', ts: T, state: 'missed', silentSeconds: 320, lastTickAt: T - 320_000 },
  { type: 'factor-stale', ts: T, symbol: 'BTC/USDT', name: 'funding_rate', ageSeconds: 7200 },
];

describe('eventToAlert', () => {
  it('covers every domain event type', () => {
    expect(EVENTS.map((e) => e.type).sort()).toEqual([...DOMAIN_EVENT_TYPES].sort());
  });

  it.each(EVENTS)('maps $type to an alert of that type with a title', (event) => {
    const a = eventToAlert(event);
    expect(a.type).toBe(event.type);
    expect(a.createdAt).toBe(event.ts);
    expect(a.silent).toBe(false);
    expect(a.body.title).toBeTruthy();
  });

  it('says what matters for each kind', () => {
    const byType = Object.fromEntries(EVENTS.map((e) => [e.type, eventToAlert(e)]));
    expect(byType.exit!.body).toMatchObject({ title: 'Exit long BTC/USDT: -100.00 (-2.38%)', text: ['0.1 at 41000 — stop loss'], tone: 'warning' });
    expect(byType['trading-state-changed']).toMatchObject({ severity: 'critical', body: { title: 'Trading ACTIVE → HALTED', text: ['authentication failed (by risk)'] } });
    expect(byType['backtest-finished']!.body.images).toEqual([
      { path: '/data/backtests/7/equity.png', caption: 'Backtest #7 equity', alt: 'equity curve of backtest #7: return +12% vs +8% buy & hold' },
    ]);
    expect(byType['daily-summary']!.body.text).toEqual(['P&L +250.00 (+2.50%) · equity 10,250.00 · 6 trades · 1 open positions']);
    expect(byType.shutdown!.severity).toBe('warning');
    expect(byType['stale-data']!.body.text).toEqual(['last candle 2024-01-15 11:50:00 UTC']);
    expect(byType['candles-skipped']).toMatchObject({ severity: 'warning', body: { title: 'BTC/USDT 1m: skipped 17 candles after a gap of 18m' } });
    expect(byType['candles-skipped']!.body.text?.[0]).toContain('the newest candle (2024-01-15 11:59:00 UTC) was traded');
    expect(byType['panic-level']).toMatchObject({ severity: 'critical', body: { title: 'Panic extreme: portfolio 84/100', buttons: [{ command: '/killall' }] } });
    expect(byType['kill-all']!.body).toMatchObject({ text: ['BTC/USDT: closed — 0.1 at 41000', 'ETH/USDT: failed — market closed'], tone: 'error' });
    expect(byType['protection-triggered']).toMatchObject({ severity: 'warning', body: { title: 'Protection: stoploss-guard on BTC/USDT' } });
  });

  it('labels candle times of the simulated market as simulated, and only those', () => {
    const skipped = { type: 'candles-skipped', ts: T, symbol: 'BTC/USDT', timeframe: '1m', skipped: 3, gapMs: 240_000, newestTs: T - 60_000, acted: true } as const;
    expect(eventToAlert({ ...skipped, simulated: true }).body.title).toBe('BTC/USDT 1m: skipped 3 candles after a gap of 4m (simulated market time)');
    expect(eventToAlert(skipped).body.title).not.toContain('simulated');
    const stale = { type: 'stale-data', ts: T, symbol: 'BTC/USDT', timeframe: '1m', lastCandleTs: T - 600_000 } as const;
    expect(eventToAlert({ ...stale, simulated: true }).body.text).toEqual(['last candle 2024-01-15 11:50:00 UTC (simulated market time)']);
    expect(eventToAlert(stale).body.text).toEqual(['last candle 2024-01-15 11:50:00 UTC']);
  });

  it('gives bursty kinds a coalesce key and never a critical alert', () => {
    const keys = Object.fromEntries(EVENTS.map((e) => [e.type, eventToAlert(e).coalesceKey]));
    expect(keys).toMatchObject({ fill: 'fill', 'order-denied': 'order-denied', 'stale-data': 'stale-data', 'exchange-error': 'exchange-error', 'strategy-message': 'strategy-message' });
    expect(keys.exit).toBeUndefined();
    const critical = eventToAlert({ type: 'exchange-error', ts: T, kind: 'auth', message: 'invalid key', critical: true });
    expect(critical).toMatchObject({ severity: 'critical', coalesceKey: undefined });
  });

  it('scrubs secrets from texts that come from outside', () => {
    registerSecrets(['sk_live_abcdef123456']);
    const a = eventToAlert({ type: 'exchange-error', ts: T, kind: 'auth', message: 'GET /api?apiKey=sk_live_abcdef123456&signature=deadbeef failed', critical: true });
    expect(JSON.stringify(a)).not.toContain('sk_live_abcdef123456');
    expect(JSON.stringify(a)).not.toContain('deadbeef');
  });
});
