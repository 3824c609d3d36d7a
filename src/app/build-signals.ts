import type { Hono } from 'hono';
import type { Database } from '../adapters/db/client.ts';
import { insertAudits, type AuditRecord } from '../adapters/db/repositories/audit-log.ts';
import { insertFactors, latestFactors } from '../adapters/db/repositories/factors.ts';
import { insertSignals, settleSignal, unprocessedSignals } from '../adapters/db/repositories/signals.ts';
import { WriteBatcher } from '../adapters/db/write-batcher.ts';
import type { HttpHardening } from '../adapters/http/hardening/hardening.ts';
import { mountFactorRoute } from '../adapters/http/routes/factor-route.ts';
import { mountSignalRoute, type WebhookAuditEntry } from '../adapters/http/routes/signal-route.ts';
import type { Config } from '../config.ts';
import type { DomainEvent } from '../domain/events.ts';
import type { Serial } from '../engine/serial.ts';
import type { Kernel } from '../kernel.ts';
import type { Logger } from '../logger.ts';
import type { MetricsRecorder } from '../ports/metrics.ts';
import { FactorBook } from '../signals/factor-book.ts';
import type { Signal } from '../signals/signal.ts';
import { IntakePriority } from '../signals/intake-priority.ts';
import { SignalProcessor } from '../signals/signal-processor.ts';
import { parseSignalSources } from '../signals/sources.ts';

/** The factor book exists before the kernel (strategies read it); it is warmed from the database. */
export async function buildFactorBook(config: Config, database: Database, publish: (e: DomainEvent) => void, logger: Logger, now = () => Date.now()): Promise<FactorBook> {
  const book = new FactorBook({
    maxAgeMs: config.FACTOR_MAX_AGE * 1000,
    now,
    persist: (readings, source) => insertFactors(database.db, readings, source, now()),
    onStale(v) {
      logger.warn({ component: 'factors', symbol: v.symbol, factor: v.name, ageSeconds: v.ageSeconds }, 'stale factor ignored (FACTOR_MAX_AGE)');
      publish({ type: 'factor-stale', ts: now(), symbol: v.symbol, name: v.name, ageSeconds: v.ageSeconds });
    },
  });
  book.warm(await latestFactors(database.db));
  return book;
}

export interface SignalsRuntime {
  /** Sources configured (none: the two webhooks are not mounted). */
  readonly sources: string[];
  readonly processor: SignalProcessor;
  mount(app: Hono, hardening: HttpHardening): void;
  /** Process signals accepted before a restart (those still within their lag). */
  start(): Promise<void>;
  /** Resolves when every accepted signal is processed and every intake write (signals, audit) is stored. */
  drain(): Promise<void>;
  stop(): Promise<void>;
}

/** POST /webhooks/signal and /webhooks/factor over the kernel, the database and the shared serial. */
export function buildSignals(d: { config: Config; database: Database; kernel: Kernel; serial: Serial; factors: FactorBook; metrics: MetricsRecorder; logger: Logger; now?: () => number }): SignalsRuntime {
  const { config, database, kernel } = d;
  const now = d.now ?? (() => Date.now());
  const logger = d.logger.child({ component: 'signals' });
  const sources = parseSignalSources(config.SIGNAL_SECRET, config.SIGNAL_SOURCES, config.SIGNAL_RATE_LIMIT);
  const intake = new IntakePriority();
  const processor = new SignalProcessor({
    target: {
      positionOf: (s) => kernel.portfolio.get(s)?.quantity ?? 0,
      openSymbols: () => kernel.portfolio.all().map((p) => p.symbol),
      equity: () => kernel.portfolio.equity(kernel.engine.markPrices()),
      markPrice: (s) => kernel.engine.markPrices().get(s),
      execute: (symbol, intents, price, sizing) => kernel.engine.execute(symbol, intents, price, { source: 'signal', sizing, priceTs: kernel.ports.clock.now() }),
    },
    serial: d.serial,
    settle: (source, id, outcome, detail, at) => settleSignal(database.db, source, id, outcome, detail, at),
    publish: (e) => kernel.bus.publish(e),
    now,
    logger,
    maxLagSeconds: config.SIGNAL_MAX_LAG,
    defaultPct: config.ORDER_SIZE_PCT,
    intake,
  });
  // Group commit: under a burst, the intake's writes share statements instead of queueing one by one.
  const auditWrites = new WriteBatcher<AuditRecord, void>(async (rows) => {
    await insertAudits(database.db, rows);
    return rows.map(() => undefined);
  });
  const signalWrites = new WriteBatcher((rows: Array<{ source: string; signal: Signal; receivedAt: number }>) => insertSignals(database.db, rows));
  const audit = (e: WebhookAuditEntry) =>
    auditWrites.add({
      ts: now(),
      platform: 'webhook',
      userId: e.source ?? `ip:${e.ip}`,
      command: e.route,
      args: e.args,
      role: e.source ? 'trader' : undefined,
      decision: e.decision === 'duplicate' ? 'refused' : e.decision,
      result: `${e.reason} from ${e.ip}`,
    });
  const auth = { sources, allowedIps: new Set(config.SIGNAL_ALLOWED_IPS), now };
  return {
    sources: sources.map((s) => s.name),
    processor,
    mount(app, hardening) {
      if (sources.length === 0) return;
      const common = { ...auth, symbols: config.SYMBOLS, audit, metrics: d.metrics, logger };
      mountSignalRoute(app, hardening, { ...common, maxLagSeconds: config.SIGNAL_MAX_LAG, record: (source, signal, receivedAt) => signalWrites.add({ source, signal, receivedAt }), enqueue: (item) => processor.enqueue(item), intake });
      mountFactorRoute(app, hardening, { ...common, store: d.factors });
    },
    async start() {
      for (const row of await unprocessedSignals(database.db)) {
        const source = sources.find((s) => s.name === row.source);
        if (source) processor.enqueue({ source, signal: row.signal, receivedAt: row.receivedAt });
        else await settleSignal(database.db, row.source, row.signal.id, 'failed', `source ${row.source} is no longer configured`, now());
      }
    },
    async drain() {
      await processor.drain();
      await Promise.all([signalWrites.drain(), auditWrites.drain()]);
    },
    async stop() {
      await processor.stop();
      await Promise.all([signalWrites.drain(), auditWrites.drain()]);
    },
  };
}
