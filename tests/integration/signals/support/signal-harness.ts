import pino from 'pino';
import { z } from 'zod';
import type { Database } from '../../../../src/adapters/db/client.ts';
import { databaseTargets } from '../../../support/databases.ts';
import { DrizzleTradingStore } from '../../../../src/adapters/db/repositories/drizzle-trading-store.ts';
import { createSimExchange, type SimExchange } from '../../../../src/adapters/exchange/sim/index.ts';
import { startHttpServer, type HttpServer } from '../../../../src/adapters/http/server.ts';
import type { HardeningOptions } from '../../../../src/adapters/http/hardening/hardening.ts';
import { buildFactorBook, buildSignals, type SignalsRuntime } from '../../../../src/app/build-signals.ts';
import { loadConfig, type Config } from '../../../../src/config.ts';
import type { DomainEvent } from '../../../../src/domain/events.ts';
import { createSerial } from '../../../../src/engine/serial.ts';
import { parseSizing } from '../../../../src/risk/sizing.ts';
import { createKernel, type Kernel } from '../../../../src/kernel.ts';
import type { FactorBook } from '../../../../src/signals/factor-book.ts';
import type { StrategyDefinition } from '../../../../src/strategies/strategy.ts';
import type { MetricsRecorder } from '../../../../src/ports/metrics.ts';

export const logger = pino({ level: 'silent' });
/** Clones of one migrated PGlite per test file (a fresh one per test costs seconds). */
const pglite = databaseTargets()[0]!;
export const closeSignalDatabases = () => pglite.cleanup();
export const SECRET = 'tv-passphrase-0123456789';

/** Does nothing on its own: only signals trade. */
const idle: StrategyDefinition = {
  name: 'idle',
  description: 'test: never trades',
  params: z.object({}).strict() as never,
  warmup: () => 1,
  create: () => ({ prepare() {}, onCandle: () => [] }),
};

export interface SignalHarness {
  config: Config;
  kernel: Kernel;
  database: Database;
  sim: SimExchange;
  http: HttpServer;
  signals: SignalsRuntime;
  factors: FactorBook;
  events: DomainEvent[];
  webhooks: Array<[string, string]>;
  url: string;
  post(path: string, body: unknown, headers?: Record<string, string>): Promise<{ status: number; json: Record<string, unknown> }>;
  close(): Promise<void>;
}

/**
 * The real pieces behind the signal intake: PGlite, the simulated exchange, the kernel (same risk
 * gate and order manager as the bot), the hardened HTTP server and the two webhook routes.
 */
export async function startSignalHarness(env: Record<string, string> = {}, hardening: Partial<HardeningOptions> = {}): Promise<SignalHarness> {
  const config = loadConfig({ DATA_DIR: 'memory://', SIGNAL_SECRET: SECRET, SYMBOLS: 'BTC/USDT,ETH/USDT', ...env });
  const database = await pglite.open();
  const sim = await createSimExchange({ symbols: config.SYMBOLS, timeframe: '1m', seed: 7, speed: 1, historyCandles: 300, cash: 10_000, feeBps: 10, slippageBps: 0, marketType: 'spot' });
  const store = new DrizzleTradingStore(database.db, () => sim.clock.now());
  const events: DomainEvent[] = [];
  const factors = await buildFactorBook(config, database, (e) => events.push(e), logger);
  const kernel = await createKernel(
    { marketData: sim, execution: sim, clock: sim.clock, store, logger, factors },
    { mode: 'paper', strategy: idle, params: {}, symbols: config.SYMBOLS, timeframe: '1m', sizing: parseSizing('percent:10'), allowShort: false, initialCash: 10_000 },
  );
  kernel.bus.onAny((e) => void events.push(e));
  await kernel.engine.tick(); // marks prices
  const webhooks: Array<[string, string]> = [];
  const metrics: MetricsRecorder = { command() {}, tick() {}, exchangeRequest() {}, webhook: (r, o) => void webhooks.push([r, o]), backtestJob() {}, alertDelivery() {}, httpRefusal() {}, chatRateLimited() {}, alertMessage() {} };
  const signals = buildSignals({ config, database, kernel, serial: createSerial(), factors, metrics, logger });
  const http = await startHttpServer({ host: '127.0.0.1', port: 0, logger, readiness: [], hardening: { ratePerMinute: 1e6, ...hardening }, mount: [(app, h) => signals.mount(app, h)] });
  return {
    config,
    kernel,
    database,
    sim,
    http,
    signals,
    factors,
    events,
    webhooks,
    url: http.url,
    async post(path, body, headers = {}) {
      const res = await fetch(`${http.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });
      return { status: res.status, json: (await res.json()) as Record<string, unknown> };
    },
    async close() {
      await http.close();
      await signals.stop();
      await sim.close();
    },
  };
}
