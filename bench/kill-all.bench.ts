/**
 * Kill-all with 20 positions against the local Binance-compatible exchange, through the real ccxt
 * adapter with its production defaults (order rate budget, request gate, ccxt throttling) and the
 * embedded database. Measured from the moment kill-all is started (what /confirm does):
 * - every close request on the wire (stamped by the exchange when it arrives) within 50 ms;
 * - flat within 2 s (the run finished, every position sold down to below one lot).
 * A few rounds (each: buy 20 positions, kill-all, resume trading); after a warm-up round, the worst
 * round decides. The exchange runs in its own process (bench/support/venue-process.ts).
 */
import { pino } from 'pino';
import { openDatabase } from '../src/adapters/db/client.ts';
import { migrate } from '../src/adapters/db/migrate.ts';
import { DrizzleRiskStore } from '../src/adapters/db/repositories/drizzle-risk-store.ts';
import { DrizzleTradingStore } from '../src/adapters/db/repositories/drizzle-trading-store.ts';
import { createCcxtExchange } from '../src/adapters/exchange/ccxt-exchange.ts';
import { Portfolio } from '../src/domain/portfolio.ts';
import { EventBus } from '../src/engine/bus.ts';
import { KillAll } from '../src/engine/kill-all.ts';
import { OrderManager } from '../src/engine/order-manager.ts';
import { systemClock } from '../src/ports/clock.ts';
import { TradingStateHolder } from '../src/risk/trading-state.ts';
import { fork } from 'node:child_process';
import { join } from 'node:path';
import { TEST_API_KEY, TEST_API_SECRET, type LocalMarketSpec } from '../tests/support/local-exchange/index.ts';

const N = 20;
const ROUNDS = 4;
/** The first round warms the process up (JIT, connections), as any long-running process is: reported, not judged. */
const WARMUP = 1;
const WIRE_MS = 50;
const FLAT_MS = 2_000;
const letters = 'ABCDEFGHIJKLMNOPQRST';
const specs: LocalMarketSpec[] = [...letters].map((c, i) => ({ id: `B${c}${c}USDT`, kind: 'spot', base: `B${c}${c}`, quote: 'USDT', tickSize: 0.01, stepSize: 0.00001, minQty: 0.00001, maxQty: 1_000_000, minNotional: 5, initialPrice: 20 + i }));
const symbols = specs.map((m) => `${m.base}/USDT`);

// The exchange runs in its own process: its arrival stamps are not held up by this process's work.
const child = fork(join(import.meta.dirname, 'support/venue-process.ts'), [JSON.stringify({ markets: specs, balances: { USDT: 1_000_000 } })], { execArgv: ['--import', 'tsx'] });
const url = await new Promise<string>((resolve) => child.once('message', (m: { ready: string }) => resolve(m.ready)));
let seq = 0;
const ask = <T>(op: string, extra: Record<string, unknown> = {}) =>
  new Promise<T>((resolve) => {
    const id = ++seq;
    const on = (m: { id?: number; result: T }) => {
      if (m.id !== id) return;
      child.off('message', on);
      resolve(m.result);
    };
    child.on('message', on);
    child.send({ id, op, ...extra });
  });
const venue = {
  url,
  count: () => ask<number>('count'),
  requests: (from: number) => ask<Array<{ method: string; path: string; side?: string; ts: number }>>('requests', { from }),
  balances: () => ask<Record<string, number>>('balances', { assets: specs.map((m) => m.base) }),
};
const logger = pino({ level: 'silent' });
const adapter = await createCcxtExchange({ exchangeId: 'binance', apiKey: TEST_API_KEY, secret: TEST_API_SECRET, marketType: 'spot', sandbox: false, baseUrl: venue.url, maxLeverage: 1, logger });
await adapter.loadMarkets();
const database = await openDatabase({ dataDir: 'memory://' });
await migrate(database);
const store = new DrizzleTradingStore(database.db);
const riskStore = new DrizzleRiskStore(database.db);
const bus = new EventBus();
const portfolio = new Portfolio(1_000_000);
const orders = new OrderManager({ execution: adapter, store, clock: systemClock, mode: 'live', logger, portfolio, bus, lookupDelayMs: 0 });
const tradingState = await TradingStateHolder.load(store, () => {}, systemClock);
const killAll = new KillAll({ execution: adapter, store, riskStore, orders, portfolio, tradingState, bus, clock: systemClock, logger, marks: () => new Map(symbols.map((s, i) => [s, 20 + i])), symbols });

const rounds: Array<{ firstMs: number; lastMs: number; flatMs: number; requests: number }> = [];
for (let round = 0; round < ROUNDS; round++) {
  for (const symbol of symbols) {
    const r = await orders.submit({ kind: 'entry', symbol, side: 'buy', quantity: 1.23, reduceOnly: false, reason: 'bench' }, 'bench');
    if (r.kind !== 'placed') throw new Error(`setup buy on ${symbol}: ${r.kind}`);
  }
  // The budget refills between rounds as it would between a trading day's orders and a kill-all.
  await new Promise((r) => setTimeout(r, 4_500));
  const from = await venue.count();
  const t0 = Date.now();
  const { done } = await killAll.start('bench', false);
  const run = await done;
  const flatMs = Date.now() - t0;
  const closes = (await venue.requests(from)).filter((r) => r.method === 'POST' && r.path === '/api/v3/order');
  const failed = run.items.filter((i) => i.outcome !== 'closed');
  if (failed.length > 0 || closes.length !== N) throw new Error(`round ${round + 1}: ${closes.length} closes sent, ${failed.map((i) => `${i.symbol} ${i.outcome} ${i.detail}`).join('; ')}`);
  const balances = await venue.balances();
  for (const [i, m] of specs.entries()) {
    const left = balances[m.base]!;
    if (!(left < m.stepSize)) throw new Error(`round ${round + 1}: ${symbols[i]} not flat (${left} left)`);
  }
  const ts = closes.map((r) => r.ts - t0).sort((a, b) => a - b);
  rounds.push({ firstMs: ts[0]!, lastMs: ts[ts.length - 1]!, flatMs, requests: closes.length });
  await tradingState.set('ACTIVE', 'bench round over', 'bench');
}

for (const [k, r] of rounds.entries()) {
  process.stdout.write(`round ${k + 1}${k < WARMUP ? ' (warm-up)' : ''}: ${r.requests} closes on the wire from +${r.firstMs} ms to +${r.lastMs} ms, flat in ${r.flatMs} ms\n`);
}
const judged = rounds.slice(WARMUP);
const worstWire = Math.max(...judged.map((r) => r.lastMs));
const worstFlat = Math.max(...judged.map((r) => r.flatMs));
const wireOk = worstWire <= WIRE_MS;
const flatOk = worstFlat <= FLAT_MS;
process.stdout.write(`${wireOk ? 'PASS' : 'FAIL'} target every close on the wire within ${WIRE_MS} ms of the confirmation (worst round: ${worstWire} ms)\n`);
process.stdout.write(`${flatOk ? 'PASS' : 'FAIL'} target flat within ${FLAT_MS} ms (worst round: ${worstFlat} ms)\n`);
await adapter.close();
await database.close();
await ask('close');
process.exitCode = wireOk && flatOk ? 0 : 1;
