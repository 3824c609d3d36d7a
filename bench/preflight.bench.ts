/**
 * One pre-flight check (the whole default chain, every limit on, a denial's input hash included)
 * in process. Target: p99 ≤ 1 ms.
 */
import type { MarketInfo } from '../src/domain/market.ts';
import { preflightInputHash } from '../src/risk/input-hash.ts';
import { runPreflight, type PreflightContext } from '../src/risk/preflight/index.ts';
import { intentKey, type RiskLimits } from '../src/risk/risk-view.ts';

const market: MarketInfo = { symbol: 'BTC/USDT', base: 'BTC', quote: 'USDT', type: 'spot', amountStep: 0.00001, priceStep: 0.01, minAmount: 0.00001, minNotional: 5, contractSize: 1, makerFee: 0.001, takerFee: 0.001 };
const limits: RiskLimits = { maxPositionPct: 25, maxOrderNotional: 5000, maxOpenPositions: 10, dailyLossPct: 5, maxDrawdownPct: 20, maxOrdersPerMinute: 30, priceBandPct: 5, maxPriceAgeMs: 120_000, maxSpreadPct: 1, panicThreshold: 70 };
const seen = new Set(Array.from({ length: 200 }, (_, i) => intentKey('strategy', `S${i}/USDT`, 'long', 60_000 * i)));
const locks = new Map(Array.from({ length: 20 }, (_, i) => [`S${i}/USDT`, { until: i, reason: 'cooldown' }] as const));

function ctx(i: number): PreflightContext {
  const now = 1_700_000_000_000 + i;
  return {
    kind: 'entry', side: 'long', symbol: 'BTC/USDT', quantity: 0.01 + (i % 7) * 0.00001, price: 42_000 + (i % 100), position: undefined, market,
    tradingState: { state: 'ACTIVE', reason: 'started', changedBy: 'system', changedAt: 0 }, allowShort: false, available: 9_000, equity: 10_000,
    source: 'strategy', orderType: i % 2 ? 'limit' : 'market', limitPrice: i % 2 ? 42_010.5 : undefined,
    risk: { limits, snapshot: { now, panicScore: (i % 90), openPositions: i % 12, dayStartEquity: 10_200, peakEquity: 11_000, ordersLastMinute: i % 40, priceTs: now - 5_000, spreadPct: 0.02, candleTs: 60_000 * (i % 300), seenIntents: seen, locks } },
  };
}

const N = 200_000;
for (let i = 0; i < 20_000; i++) runPreflight(ctx(i)); // warm-up
const times = new Float64Array(N);
let denied = 0;
for (let i = 0; i < N; i++) {
  const c = ctx(i);
  const t0 = performance.now();
  const d = runPreflight(c);
  if (d.length > 0) {
    denied++;
    preflightInputHash(c);
  }
  times[i] = performance.now() - t0;
}
times.sort();
const p = (q: number) => times[Math.min(N - 1, Math.floor(q * N))]!;
process.stdout.write(`pre-flight check: ${N} runs (${denied} denied, hashed), p50 ${(p(0.5) * 1000).toFixed(1)} µs, p99 ${(p(0.99) * 1000).toFixed(1)} µs, max ${(times[N - 1]! * 1000).toFixed(0)} µs\n`);
const ok = p(0.99) <= 1;
process.stdout.write(`${ok ? 'PASS' : 'FAIL'} target one pre-flight check p99 ≤ 1 ms (${p(0.99).toFixed(4)} ms)\n`);
process.exitCode = ok ? 0 : 1;
