import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * The order Stryker's test runs go in. Each mutant runs against the files of the tests that cover it
 * and stops at the first failure (bail), so the files most likely to fail soonest should go first.
 * vitest's own order is the opposite: slow files first (a PGlite or local-exchange file of 40 s, a
 * 40,000-row fixture) before the unit file of milliseconds that kills the mutant. Here: unit files
 * before the others; within each, files that failed on the last run first (a file that killed the
 * previous mutant tends to kill its neighbour), then new files, then the quickest first.
 */
class QuickFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const isUnit = (spec: TestSpecification): boolean => spec.moduleId.replaceAll('\\', '/').includes('/tests/unit/');
    const key = (spec: TestSpecification): [number, number, number] => {
      const last = this.ctx.cache.getTestSpecificationResult(spec);
      return [isUnit(spec) ? 0 : 1, last?.failed ? 0 : 1, last ? last.duration : -1];
    };
    const keys = new Map(files.map((spec) => [spec, key(spec)]));
    return [...files].sort((a, b) => {
      const [ka, kb] = [keys.get(a)!, keys.get(b)!];
      return ka[0] - kb[0] || ka[1] - kb[1] || ka[2] - kb[2];
    });
  }
}

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
    sequence: { sequencer: QuickFirstSequencer },
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
