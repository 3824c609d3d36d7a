import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { openDatabase, type Database } from '../../../src/adapters/db/client.ts';
import { migrate } from '../../../src/adapters/db/migrate.ts';
import { DrizzleTradingStore } from '../../../src/adapters/db/repositories/drizzle-trading-store.ts';
import { createSimExchange, type SimExchange } from '../../../src/adapters/exchange/sim/index.ts';
import { sliceCandles } from '../../../src/domain/candles.ts';
import type { DomainEvent } from '../../../src/domain/events.ts';
import { createKernel, type Kernel } from '../../../src/kernel.ts';
import type { MarketData } from '../../../src/ports/market-data.ts';
import type { DecisionRecord } from '../../../src/ports/store.ts';
import { parseSizing } from '../../../src/risk/sizing.ts';
import type { StrategyDefinition } from '../../../src/strategies/strategy.ts';
import { createTempDatabase, pgServerUrl } from '../../support/pg-temp.ts';
import { startTcpProxy, type TcpProxy } from '../../support/tcp-proxy.ts';
import { openMigratedPglite } from '../../support/pglite-snapshot.ts';

const logger = pino({ level: 'silent' });
const SYMBOL = 'BTC/USDT';
const MIN = 60_000;

/** Wants a trade on every candle (enter when flat, exit when in): any missed candle would become an order. Records every candle it sees. */
const seen: number[] = [];
const flipper: StrategyDefinition = {
  name: 'flipper',
  description: 'test: flips on every candle',
  params: z.object({}).strict() as never,
  warmup: () => 1,
  create: () => ({
    prepare() {},
    onCandle({ candles, i, position }) {
      const ts = candles.ts[i]!;
      seen.push(ts);
      return position ? [{ kind: 'exit', reason: `flip@${ts}` }] : [{ kind: 'enter', side: 'long', reason: `flip@${ts}` }];
    },
  }),
};

interface Rig {
  kernel: Kernel;
  sim: SimExchange;
  events: DomainEvent[];
  decisions: DecisionRecord[];
  /** Advance real (and, at SIM_SPEED 1, simulated) time by `s` seconds = `s` one-minute candles. */
  advance(s: number): void;
  lastClosedTs(): number;
}

async function rig(db: Database, o: { sim?: SimExchange; wall?: { t: number }; marketData?: (sim: SimExchange) => MarketData; maxSignalAgeMs?: number } = {}): Promise<Rig> {
  const wall = o.wall ?? { t: Date.UTC(2026, 3, 1, 9) };
  const sim = o.sim ?? (await createSimExchange({ symbols: [SYMBOL], timeframe: '1m', seed: 5, speed: 1, historyCandles: 300, cash: 10_000, feeBps: 10, slippageBps: 0, marketType: 'spot', now: () => wall.t }));
  const store = new DrizzleTradingStore(db.db, () => sim.clock.now());
  const decisions: DecisionRecord[] = [];
  const insert = store.insertDecision.bind(store);
  store.insertDecision = async (d) => {
    await insert(d);
    decisions.push(d);
  };
  const kernel = await createKernel(
    { marketData: o.marketData ? o.marketData(sim) : sim, execution: sim, clock: sim.clock, store, logger, wallClock: { now: () => wall.t } },
    { mode: 'paper', strategy: flipper, params: {}, symbols: [SYMBOL], timeframe: '1m', sizing: parseSizing('percent:20'), allowShort: false, initialCash: 10_000, maxSignalAgeMs: o.maxSignalAgeMs, simulatedTime: true },
  );
  const events: DomainEvent[] = [];
  kernel.bus.onAny((e) => void events.push(e));
  return {
    kernel,
    sim,
    events,
    decisions,
    advance: (s) => (wall.t += s * 1000),
    lastClosedTs: () => Math.floor(sim.clock.now() / MIN) * MIN - MIN,
  };
}

const candleOf = (d: DecisionRecord) => Number(/flip@(\d+)/.exec((d.intent as { reason: string }).reason)![1]);

describe.skipIf(!pgServerUrl())('catch-up after a gap in ticks on PostgreSQL (connections refused for 30 s)', () => {
  let proxy: TcpProxy | undefined;
  let db: Database | undefined;
  let drop: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await db?.close();
    await proxy?.close();
    await drop?.();
  });

  it('makes at most one decision per symbol after the outage, on the newest candle, and alerts the skipped batch once', async () => {
    const temp = await createTempDatabase();
    drop = temp.drop;
    const direct = await openDatabase({ url: temp.url });
    await migrate(direct);
    await direct.close();
    proxy = await startTcpProxy('127.0.0.1', Number(new URL(temp.url).port || 5432));
    const viaProxy = new URL(temp.url);
    viaProxy.hostname = '127.0.0.1';
    viaProxy.port = String(proxy.port);
    db = await openDatabase({ url: viaProxy.toString(), maxConnections: 2 });
    const wall = { t: Date.UTC(2026, 3, 1, 9) };
    const r = await rig(db, { wall });

    await r.kernel.engine.tick(); // start: history is context
    for (let k = 0; k < 3; k++) {
      r.advance(1);
      await r.kernel.engine.tick();
    }
    expect(r.decisions).toHaveLength(3); // one per candle while healthy

    // The outage, in real time: the scheduler keeps ticking every second and every tick fails; the
    // simulated market (SIM_SPEED 1: a candle per second) moves on meanwhile.
    proxy.refuse();
    const failed: unknown[] = [];
    const base = wall.t;
    const t0 = Date.now();
    while (Date.now() - t0 < 30_000) {
      wall.t = base + (Date.now() - t0);
      await r.kernel.engine.tick().catch((err: unknown) => failed.push(err));
      await new Promise((res) => setTimeout(res, 1000));
    }
    wall.t = base + 30_000;
    expect(failed.length).toBeGreaterThan(0);
    expect(proxy.resets).toBeGreaterThan(0);
    expect(r.decisions).toHaveLength(3);
    const seenBefore = seen.length;

    proxy.accept();
    await r.kernel.engine.tick();
    const after = r.decisions.slice(3);
    expect(after).toHaveLength(1);
    expect(candleOf(after[0]!)).toBe(r.lastClosedTs());
    expect(after[0]!.verdict).toBe('approved');
    // The strategy saw every missed candle (its state moved on), in order.
    expect(seen.length - seenBefore).toBeGreaterThanOrEqual(30);
    const skipped = r.events.filter((e) => e.type === 'candles-skipped');
    expect(skipped).toHaveLength(1);
    expect(skipped[0]).toMatchObject({ symbol: SYMBOL, acted: true, newestTs: r.lastClosedTs() });
    expect((skipped[0] as { skipped: number }).skipped).toBeGreaterThanOrEqual(29);

    // Healthy again: one decision per new candle, no further alert.
    r.advance(1);
    await r.kernel.engine.tick();
    expect(r.decisions).toHaveLength(5);
    expect(r.events.filter((e) => e.type === 'candles-skipped')).toHaveLength(1);
  }, 180_000);
});

describe('catch-up after a restart and with a lagging feed (PGlite)', () => {
  let db: Database | undefined;
  afterEach(async () => {
    await db?.close();
    db = undefined;
  });

  it('a restart after 20 missed candles makes at most one decision, on the newest candle', async () => {
    db = await openMigratedPglite();
    const wall = { t: Date.UTC(2026, 3, 1, 9) };
    const first = await rig(db, { wall });
    await first.kernel.engine.tick();
    first.advance(1);
    await first.kernel.engine.tick();
    expect(first.decisions).toHaveLength(1);

    // The process dies; 20 candles close while it is down; a new process starts on the same data.
    first.advance(20);
    const second = await rig(db, { wall, sim: first.sim });
    await second.kernel.engine.tick();
    expect(second.decisions).toHaveLength(1);
    expect(candleOf(second.decisions[0]!)).toBe(second.lastClosedTs());
    const skipped = second.events.filter((e) => e.type === 'candles-skipped');
    expect(skipped).toHaveLength(1);
    expect(skipped[0]).toMatchObject({ skipped: 19, gapMs: 20 * MIN, acted: true, simulated: true });
  }, 60_000);

  it('a newest candle older than MAX_SIGNAL_AGE decides nothing, and the alert says so', async () => {
    db = await openMigratedPglite();
    let lag = 0;
    // A stalled feed: the venue's candles arrive `lag` candles late.
    const lagging = (sim: SimExchange): MarketData => ({
      ...sim,
      exchangeId: sim.exchangeId,
      loadMarkets: () => sim.loadMarkets(),
      fetchPrice: (s) => sim.fetchPrice(s),
      async fetchCandles(symbol, tf, since, limit) {
        const c = await sim.fetchCandles(symbol, tf, since, limit + lag);
        return sliceCandles(c, 0, Math.max(0, c.length - lag));
      },
    });
    const r = await rig(db, { marketData: lagging, maxSignalAgeMs: 2 * MIN });
    await r.kernel.engine.tick();
    lag = 5;
    r.advance(8);
    await r.kernel.engine.tick();
    expect(r.decisions).toHaveLength(0);
    expect(r.events.filter((e) => e.type === 'candles-skipped')).toMatchObject([{ skipped: 3, acted: false }]);
    lag = 0;
    r.advance(1);
    await r.kernel.engine.tick();
    expect(r.decisions).toHaveLength(1);
    expect(candleOf(r.decisions[0]!)).toBe(r.lastClosedTs());
  }, 60_000);
});
