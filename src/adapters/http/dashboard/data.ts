import { and, desc, eq, gte, ilike, type SQL } from 'drizzle-orm';
import type { Command } from '../../../../commands/command.ts';
import type { BotServices } from '../../../../commands/services.ts';
import { type OrderStatus, TERMINAL_STATUSES } from '../../../domain/orders.ts';
import type { DomainEvent } from '../../../domain/events.ts';
import type { Kernel } from '../../../kernel.ts';
import { instantiate } from '../../../strategies/registry.ts';
import type { Database } from '../../db/client.ts';
import { auditLog, decisions, panicScores } from '../../db/schema.ts';
import { riskWarnings } from '../../../app/risk-status.ts';
import type { RiskSettings } from '../../../engine/risk-layer.ts';

const OPEN_STATUSES: OrderStatus[] = (['pending', 'submitted', 'unknown', 'open', 'partially_filled'] as OrderStatus[]).filter((s) => !TERMINAL_STATUSES.includes(s));

export interface DashboardDataDeps {
  services: BotServices;
  kernel: Kernel;
  database: Database;
  /** Every registered command: a control whose command is missing is shown as not available. */
  commands: readonly Command[];
  wallClock: () => number;
}

/** Recent events kept in memory for the overview's alert list (the bus has no history). */
export function createEventLog(limit = 50) {
  const items: Array<{ ts: number; type: string; text: string; level: 'info' | 'warning' | 'critical' }> = [];
  return {
    push(e: DomainEvent) {
      const item = describeEvent(e);
      if (!item) return undefined;
      items.unshift(item);
      if (items.length > limit) items.length = limit;
      return item;
    },
    list: () => items.slice(),
  };
}

/** One line per event worth showing to a person; undefined for the noisy ones (every fill is shown as entry/exit). */
export function describeEvent(e: DomainEvent): { ts: number; type: string; text: string; level: 'info' | 'warning' | 'critical' } | undefined {
  const at = { ts: e.ts, type: e.type };
  switch (e.type) {
    case 'entry':
      return { ...at, level: 'info', text: `${e.side} entry ${e.symbol} ${e.quantity} @ ${e.price}${e.reason ? ` (${e.reason})` : ''}` };
    case 'exit':
      return { ...at, level: 'info', text: `exit ${e.symbol} ${e.quantity} @ ${e.price}: P&L ${e.pnl.toFixed(2)} (${e.pnlPct.toFixed(2)} %) — ${e.reason}` };
    case 'order-rejected':
      return { ...at, level: 'warning', text: `order rejected ${e.symbol} ${e.side}: ${e.reason}` };
    case 'order-denied':
      return { ...at, level: 'warning', text: `order denied ${e.symbol}: ${e.reasons.join(', ')}` };
    case 'trading-state-changed':
      return { ...at, level: e.to === 'HALTED' ? 'critical' : 'warning', text: `trading ${e.from} → ${e.to} by ${e.by}: ${e.reason}` };
    case 'exchange-error':
      return { ...at, level: e.critical ? 'critical' : 'warning', text: `exchange error (${e.kind}): ${e.message}` };
    case 'stale-data':
      return { ...at, level: 'warning', text: `stale data ${e.symbol} ${e.timeframe}` };
    case 'backtest-finished':
      return { ...at, level: 'info', text: `backtest #${e.runId} ${e.ok ? 'finished' : 'failed'}: ${e.strategy} ${e.symbol}` };
    case 'strategy-message':
      return { ...at, level: 'info', text: `${e.strategy} ${e.symbol}: ${e.message}` };
    default:
      return undefined;
  }
}

/** The JSON behind each dashboard page. Reads only; every change goes through the command core. */
export function createDashboardData(d: DashboardDataDeps) {
  const db = d.database.db;
  const has = (name: string) => d.commands.some((c) => c.name === name);
  /** The panic score as the risk layer records it (panic_scores), newest first. */
  const panicHistory = async (limit: number) => {
    const rows = await db.select().from(panicScores).where(eq(panicScores.scope, 'portfolio')).orderBy(desc(panicScores.ts)).limit(limit);
    const scoped = rows.length > 0 ? rows : await db.select().from(panicScores).orderBy(desc(panicScores.ts)).limit(limit);
    return scoped.map((r) => ({ scope: r.scope, ts: r.ts, score: r.score, level: r.level, components: r.components as Record<string, unknown> }));
  };
  const NO_PANIC = 'no panic score recorded yet (the risk layer writes one per engine tick once it runs)';
  return {
    async overview(events: ReturnType<typeof createEventLog>) {
      const status = await d.services.status();
      const since = d.wallClock() - 7 * 24 * 3_600_000;
      const snaps = await d.kernel.ports.store.equitySnapshots(since);
      const orders = await d.kernel.ports.store.ordersByStatus(OPEN_STATUSES);
      return {
        mode: status.mode,
        exchange: status.exchange,
        strategy: status.strategy,
        symbols: status.symbols,
        timeframe: status.timeframe,
        tradingState: status.tradingState,
        equity: status.equity,
        cash: status.cash,
        quote: status.quoteCurrency,
        todayPnl: status.todayPnl,
        lastTickAt: status.lastTickAt,
        /** Candle, alert and panic times are the simulated exchange's accelerated market time. */
        simulatedTime: status.simulatedTime === true,
        warnings: status.warnings,
        positions: status.openPositions,
        orders: orders.map((o) => ({ clientOrderId: o.clientOrderId, symbol: o.symbol, side: o.side, type: o.type, amount: o.amount, filled: o.filled, price: o.price ?? null, status: o.status, createdAt: o.createdAt })),
        equityCurve: thin(snaps.map((s) => [s.ts, s.equity] as [number, number]), 1500),
        alerts: events.list().slice(0, 20),
        panic: await panicHistory(1).then((h) => (h[0] ? { available: true, ...h[0] } : { available: false, why: NO_PANIC })),
        controls: { pause: has('pause'), resume: has('resume'), stop: has('stop'), close: has('close'), killall: has('killall') },
      };
    },

    /** Candles with the strategy's indicators and the account's fills, for one symbol and timeframe. */
    async market(symbol: string, timeframe: string, limit = 300) {
      const candles = await d.kernel.ports.marketData.fetchCandles(symbol, timeframe, undefined, limit);
      let indicators: Array<{ name: string; pane: 'price' | 'oscillator'; values: Array<number | null> }> = [];
      if (timeframe === d.kernel.options.timeframe && candles.length > 0) {
        const inst = instantiate(d.kernel.options.strategy, d.kernel.options.params);
        inst.prepare(candles);
        indicators = (inst.indicators?.() ?? []).map((x) => ({ name: x.name, pane: x.pane, values: Array.from(x.values, (v) => (Number.isFinite(v) ? v : null)) }));
      }
      const fills = (await d.services.trades(500)).filter((t) => t.symbol === symbol && candles.length > 0 && t.ts >= candles.ts[0]!);
      return {
        symbol,
        timeframe,
        bars: { ts: Array.from(candles.ts), open: Array.from(candles.open), high: Array.from(candles.high), low: Array.from(candles.low), close: Array.from(candles.close), volume: Array.from(candles.volume) },
        indicators,
        fills: fills.map((f) => ({ ts: f.ts, side: f.side, price: f.price, amount: f.amount, realizedPnl: f.realizedPnl })),
      };
    },

    async risk() {
      const denied = await db.select().from(decisions).where(eq(decisions.verdict, 'denied')).orderBy(desc(decisions.id)).limit(50);
      const status = await d.services.status();
      return {
        simulatedTime: status.simulatedTime === true,
        kelly: await kellyView(d.services, status.symbols[0]!),
        panic: await panicHistory(500).then((h) => (h.length > 0 ? { available: true, history: h.reverse() } : { available: false, why: NO_PANIC })),
        protections: { configured: configuredProtections(d.kernel.options.risk), active: riskWarnings(d.kernel, d.kernel.ports.clock.now()) },
        tradingState: status.tradingState,
        denials: denied.map((r) => ({ ts: r.ts, symbol: r.symbol, strategy: r.strategy, intent: r.intent, reasons: r.reasons })),
      };
    },

    /** The audit log, newest first, filtered by platform, user, command and decision. */
    async audit(f: { platform?: string; user?: string; command?: string; decision?: string; since?: number; limit?: number }) {
      const where: SQL[] = [];
      if (f.platform) where.push(eq(auditLog.platform, f.platform));
      if (f.user) where.push(ilike(auditLog.userId, `%${f.user.replace(/[%_\\]/g, (c) => `\\${c}`)}%`));
      if (f.command) where.push(eq(auditLog.command, f.command));
      if (f.decision) where.push(eq(auditLog.decision, f.decision));
      if (f.since !== undefined) where.push(gte(auditLog.ts, f.since));
      const rows = await db
        .select()
        .from(auditLog)
        .where(where.length ? and(...where) : undefined)
        .orderBy(desc(auditLog.id))
        .limit(Math.min(500, f.limit ?? 200));
      return rows.map((r) => ({ id: r.id, ts: r.ts, platform: r.platform, userId: r.userId, command: r.command, args: r.args, role: r.role, decision: r.decision, result: r.result }));
    },
  };
}

export type DashboardData = ReturnType<typeof createDashboardData>;

/** The Kelly inputs and size, from the very service /size answers with (first traded symbol). */
async function kellyView(services: BotServices, symbol: string) {
  if (!services.risk) return { available: false as const, why: 'Kelly sizing needs the running bot (no risk services)' };
  try {
    return { available: true as const, ...(await services.risk.size(symbol)) };
  } catch (err) {
    return { available: false as const, why: `/size ${symbol} failed: ${(err as Error).message}` };
  }
}

/** The protections the configuration switches on, one line each (the ones at 0 are off and not listed). */
export function configuredProtections(r: RiskSettings | undefined): string[] {
  if (!r) return [];
  const p = r.protections;
  const min = (ms: number) => `${Math.round(ms / 60_000)} min`;
  const out: string[] = [];
  if (p.cooldownMs > 0) out.push(`cooldown: no entry on a symbol for ${min(p.cooldownMs)} after an exit on it`);
  if (p.stoplossGuardCount > 0) out.push(`stop-loss guard: ${p.stoplossGuardCount} stop-loss exit(s) within ${min(p.stoplossWindowMs)} lock the symbol for ${min(p.stoplossLockMs)}`);
  if (Number.isFinite(p.maxDrawdownPct)) out.push(`max drawdown: ${p.maxDrawdownPct}% from the equity peak halts trading`);
  if (Number.isFinite(p.dailyLossPct)) out.push(`daily loss: ${p.dailyLossPct}% since 00:00 UTC halts trading${p.dailyLossFlatten ? ' and runs kill-all' : ''}`);
  if (r.panicAutoKill) out.push(`panic auto kill-all at score ${r.limits.panicThreshold}`);
  return out;
}

/** At most `max` points, evenly picked, always keeping the last. */
function thin<T>(xs: T[], max: number): T[] {
  if (xs.length <= max) return xs;
  const out: T[] = [];
  const step = xs.length / max;
  for (let k = 0; k < max; k++) out.push(xs[Math.floor(k * step)]!);
  out[out.length - 1] = xs[xs.length - 1]!;
  return out;
}
