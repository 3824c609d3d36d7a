import type { Candles } from '../domain/candles.ts';
import type { Portfolio } from '../domain/portfolio.ts';
import { timeframeToMs } from '../domain/timeframe.ts';
import type { Logger } from '../logger.ts';
import type { Clock } from '../ports/clock.ts';
import type { Execution } from '../ports/execution.ts';
import type { ExternalFactors } from '../ports/external-factors.ts';
import type { RiskStore } from '../ports/risk-store.ts';
import type { TradingStore } from '../ports/store.ts';
import { applyProtection } from '../risk/protection-actions.ts';
import { NO_PROTECTIONS, type ProtectionConfig } from '../risk/protections/protection.ts';
import { RiskGate } from '../risk/risk-gate.ts';
import { RiskState } from '../risk/risk-state.ts';
import { NO_LIMITS, type RiskLimits } from '../risk/risk-view.ts';
import type { TradingStateHolder } from '../risk/trading-state.ts';
import type { EventBus } from './bus.ts';
import { KillAll } from './kill-all.ts';
import type { OrderManager } from './order-manager.ts';
import { PanicMonitor } from './panic-monitor.ts';

/** The risk configuration a kernel runs with (src/app/risk-settings.ts builds it from the config). */
export interface RiskSettings {
  limits: RiskLimits;
  protections: ProtectionConfig;
  /** PANIC_AUTO_KILL. */
  panicAutoKill: boolean;
  /** FACTOR_MAX_AGE in ms. */
  factorMaxAgeMs: number;
}

export const NO_RISK_SETTINGS: RiskSettings = { limits: NO_LIMITS, protections: NO_PROTECTIONS, panicAutoKill: false, factorMaxAgeMs: 3_600_000 };

export interface RiskLayer {
  readonly state: RiskState;
  readonly gate: RiskGate;
  readonly panic: PanicMonitor;
  /** Absent without a risk store (nothing to persist a run to). */
  readonly killAll?: KillAll;
  /** The engine's after-tick hook: equity protections, then the panic score. */
  afterTick(now: number): Promise<void>;
  /** Seed the equity guard from stored snapshots. */
  start(): Promise<void>;
}

export interface RiskLayerDeps {
  settings: RiskSettings;
  symbols: readonly string[];
  timeframe: string;
  bus: EventBus;
  store: TradingStore;
  riskStore?: RiskStore;
  factors?: ExternalFactors;
  execution: Execution;
  orders: OrderManager;
  portfolio: Portfolio;
  tradingState: TradingStateHolder;
  clock: Clock;
  logger: Logger;
  marks(): ReadonlyMap<string, number>;
  candles(symbol: string): Candles | undefined;
}

/**
 * The risk gate with its memory, the protections, the panic monitor and kill-all, wired over the
 * kernel's parts: exits feed the cooldown and stop-loss guard, each tick feeds the equity guard and
 * the panic score, and DAILY_LOSS_FLATTEN / PANIC_AUTO_KILL reach kill-all.
 */
export function createRiskLayer(d: RiskLayerDeps): RiskLayer {
  const publish = (e: Parameters<EventBus['publish']>[0]) => d.bus.publish(e);
  const state = new RiskState(d.settings.limits, d.settings.protections);
  const gate = new RiskGate({ state, publish, record: (x) => d.store.insertDecision(x), logger: d.logger });
  const killAll = d.riskStore
    ? new KillAll({ execution: d.execution, store: d.store, riskStore: d.riskStore, orders: d.orders, portfolio: d.portfolio, tradingState: d.tradingState, bus: d.bus, clock: d.clock, logger: d.logger.child({ component: 'kill-all' }), marks: d.marks, symbols: d.symbols })
    : undefined;
  const flatten = killAll ? async (reason: string) => (await killAll.start('system', false, reason)).done : undefined;
  const panic = new PanicMonitor({
    symbols: d.symbols,
    timeframeMs: timeframeToMs(d.timeframe),
    candles: d.candles,
    riskState: state,
    riskStore: d.riskStore,
    factors: d.factors,
    factorMaxAgeMs: d.settings.factorMaxAgeMs,
    publish,
    logger: d.logger,
    autoKill: d.settings.panicAutoKill && flatten ? () => flatten('panic score extreme (PANIC_AUTO_KILL)') : undefined,
  });
  const protect = async (t: Parameters<typeof applyProtection>[0]) => {
    // A flatten runs in the background: the tick (or the fill handler) must not wait for it.
    await applyProtection(t, { tradingState: d.tradingState, publish, flatten: flatten ? async (r) => void flatten(r).catch((err: unknown) => d.logger.error({ err }, 'protection kill-all failed')) : undefined });
  };
  d.bus.on('exit', async (e) => {
    for (const t of state.observeExit(e.symbol, e.ts, e.reason)) await protect(t);
  });
  d.bus.on('exchange-error', (e) => panic.noteError(e.ts));
  d.bus.on('trading-state-changed', (e) => {
    // An admin resuming from a protection's halt acknowledges the loss: drawdown counts from here.
    if (e.to === 'ACTIVE' && e.from === 'HALTED') state.equity.rebase(d.portfolio.equity(d.marks()));
  });

  return {
    state,
    gate,
    panic,
    killAll,
    async afterTick(now) {
      const equity = d.portfolio.equity(d.marks());
      const t = state.observeEquity(now, equity);
      if (t) await protect(t);
      await panic.update(now, state.equity.drawdownPct(equity));
    },
    async start() {
      const now = d.clock.now();
      const snaps = await d.store.equitySnapshots(now - 30 * 86_400_000);
      const dayStart = now - (now % 86_400_000);
      const peak = snaps.reduce((m, s) => Math.max(m, s.equity), 0);
      const today = snaps.find((s) => s.ts >= dayStart);
      state.equity.seed(peak, today?.equity, now);
    },
  };
}
