import { defineConfig } from 'vitest/config';

/**
 * The tests `npm run mutation` runs against each mutant: the unit and integration tests of the scoped,
 * safety-critical code (stryker.config.mjs `mutate`). Fast ones only — no e2e (no spawned processes),
 * databases on PGlite only (no global setup probing the local PostgreSQL server).
 * Folders rather than files, so tests added next to the code they cover are picked up. The slow
 * integration files (trading engine, alert fan-out, the outbox's timing scenarios: 40–100 s each, a fresh
 * PGlite per test) and the timing-sensitive exchange secrets test (300 ms timeouts) are left to
 * `npm test`: each surviving mutant would re-run them.
 */
const config = defineConfig({
  test: {
    include: [
      'tests/unit/risk/**/*.test.ts',
      'tests/unit/engine/**/*.test.ts',
      'tests/unit/domain/**/*.test.ts',
      'tests/unit/alerts/**/*.test.ts',
      'tests/unit/config*.test.ts',
      'tests/unit/logger*.test.ts',
      // the logger's second destination (the /logs ring): createLogger's ring and level wiring
      'tests/unit/log-ring.test.ts',
      'tests/unit/backtest/kelly.test.ts',
      'tests/unit/chat/verify-signature.test.ts',
      'tests/unit/chat/webhook-*.test.ts',
      'tests/unit/chat/progress-and-payloads.test.ts',
      'tests/unit/adapters/files/**/*.test.ts',
      'tests/unit/webhooks/**/*.test.ts',
      'tests/integration/alerts/outbox-*.test.ts',
      'tests/integration/engine/fill-processor*.test.ts',
      'tests/integration/engine/reconcil*.test.ts',
      // kill-all through the risk layer (PGlite, simulated exchange): without it kill-all.ts has no coverage.
      'tests/integration/engine/risk-layer.test.ts',
      'tests/integration/exchange/order-faults.test.ts',
      // reconciliation against the local exchange (the engine's reconciler and the start/interval service)
      'tests/integration/exchange/reconciliation.test.ts',
      'tests/integration/exchange/scrub.test.ts',
      // the reconciliation service (start, interval and backoff, the order hold)
      'tests/unit/app/reconciliation*.test.ts',
    ],
    exclude: ['tests/e2e/**', 'node_modules/**'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    env: { TRADEOPS_TEST_PG_URL: '' },
  },
});

/**
 * MUTATION_UNIT_ONLY=1: the unit tests alone (milliseconds each: no database, no local exchange) — a
 * quick lower bound of the score on a busy machine, where every mutant would otherwise also re-run the
 * PGlite and local-exchange files that cover it.
 */
if (process.env.MUTATION_UNIT_ONLY === '1') config.test!.include = config.test!.include!.filter((p) => p.startsWith('tests/unit/'));

export default config;
