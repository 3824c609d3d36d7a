import type { Fill, OrderSide } from './orders.ts';
import type { TradingStateName } from './trading-state.ts';

/**
 * Everything the engine tells the outside world. The alert fan-out maps these to alerts; the engine
 * never knows which chat platforms exist.
 */
export type DomainEvent =
  | { type: 'startup'; ts: number; mode: string; exchange: string; strategy: string; symbols: string[] }
  | { type: 'shutdown'; ts: number; reason: string }
  | { type: 'entry'; ts: number; symbol: string; side: 'long' | 'short'; price: number; quantity: number; clientOrderId: string; strategy: string; reason?: string }
  | { type: 'exit'; ts: number; symbol: string; side: 'long' | 'short'; price: number; quantity: number; pnl: number; pnlPct: number; reason: string; clientOrderId: string }
  | { type: 'fill'; ts: number; fill: Fill }
  | { type: 'order-rejected'; ts: number; symbol: string; side: OrderSide; clientOrderId: string; reason: string }
  | { type: 'order-denied'; ts: number; symbol: string; reasons: string[]; intent: string }
  | { type: 'trading-state-changed'; ts: number; from: TradingStateName; to: TradingStateName; reason: string; by: string }
  | { type: 'backtest-finished'; ts: number; runId: number; strategy: string; symbol: string; summary: string; ok: boolean; chartPath?: string }
  | { type: 'stale-data'; ts: number; symbol: string; timeframe: string; lastCandleTs: number; simulated?: boolean }
  | { type: 'exchange-error'; ts: number; kind: string; message: string; critical: boolean }
  | { type: 'strategy-message'; ts: number; strategy: string; symbol: string; message: string }
  | { type: 'daily-summary'; ts: number; equity: number; pnl: number; pnlPct: number; trades: number; openPositions: number }
  | { type: 'candles-skipped'; ts: number; symbol: string; timeframe: string; skipped: number; gapMs: number; newestTs: number; acted: boolean; simulated?: boolean }
  | { type: 'protection-triggered'; ts: number; protection: string; symbol?: string; until?: number; reason: string }
  | { type: 'panic-level'; ts: number; scope: string; score: number; level: PanicLevelName; previous: PanicLevelName; proposeKillAll: boolean }
  | { type: 'kill-all'; ts: number; runId: number; phase: 'started' | 'finished'; by: string; lines: KillAllLine[] }
  | { type: 'sweep'; ts: number; currency: string; amount: number; address: string; dryRun: boolean; ok: boolean; detail: string }
  | { type: 'reconciliation'; ts: number; severity: 'info' | 'warning' | 'critical'; lines: string[] }
  | { type: 'signal'; ts: number; source: string; signalId: string; symbol?: string; action: string; outcome: 'executed' | 'denied' | 'failed' | 'expired'; detail: string }
  | { type: 'heartbeat'; ts: number; state: 'missed' | 'restored'; silentSeconds: number; lastTickAt?: number }
  | { type: 'factor-stale'; ts: number; symbol: string; name: string; ageSeconds: number };

export type PanicLevelName = 'calm' | 'elevated' | 'high' | 'extreme';

/** One symbol's line in a kill-all report. */
export interface KillAllLine {
  symbol: string;
  outcome: 'closed' | 'flat' | 'failed' | 'pending';
  detail: string;
}

export type DomainEventType = DomainEvent['type'];

export const DOMAIN_EVENT_TYPES: readonly DomainEventType[] = [
  'startup', 'shutdown', 'entry', 'exit', 'fill', 'order-rejected', 'order-denied', 'trading-state-changed',
  'backtest-finished', 'stale-data', 'exchange-error', 'strategy-message', 'daily-summary',
  'candles-skipped',
  'protection-triggered', 'panic-level', 'kill-all', 'sweep',
  'reconciliation',
  'signal', 'heartbeat', 'factor-stale',
];
