// Mutation testing of the safety-critical core: `npm run mutation` (see docs/testing.md).
// Globs, not file lists, so code that lands in these folders is mutated without editing this file.
// MUTATION_PART=risk|orders|secrets|alerts|parsing runs one part (its own report and incremental
// file), for a quicker look on a busy machine; without it, everything in one report.

const PARTS = {
  // the risk gate, pre-flight rules, sizing, Kelly, panic score, protections, trading state, kill-all
  risk: ['src/risk/**/*.ts', 'src/domain/trading-state.ts', 'src/**/kill-all*.ts', 'src/**/killall*.ts'],
  // order lifecycle, order manager, fill processing, reconciliation
  orders: ['src/domain/orders.ts', 'src/engine/order-manager.ts', 'src/engine/request-window.ts', 'src/engine/fill-processor.ts', 'src/**/*reconcil*.ts'],
  // configuration validation, secret redaction, webhook signature checks (Telegram, Discord, LINE, signals)
  secrets: [
    'src/config.ts',
    'src/config-*.ts',
    'src/env-file.ts',
    'src/logger.ts',
    'src/adapters/exchange/scrub.ts',
    'src/adapters/chat/secret-compare.ts',
    'src/adapters/chat/discord/verify-signature.ts',
    'src/adapters/chat/discord/interactions-route.ts',
    'src/adapters/chat/line/line-webhook-route.ts',
    'src/adapters/chat/telegram/telegram-webhook-route.ts',
    'src/**/*signal-webhook*.ts',
    'src/**/*webhook-signature*.ts',
  ],
  // the alert outbox's retry and pacing (its tests run on PGlite: the slowest part)
  alerts: ['src/alerts/outbox.ts', 'src/alerts/pacing.ts'],
  // candle gaps and parsing (what imported data becomes)
  parsing: ['src/domain/candle-gaps.ts', 'src/domain/candle-parsing/**/*.ts'],
};

const part = process.env.MUTATION_PART;
if (part !== undefined && !(part in PARTS)) throw new Error(`MUTATION_PART must be one of ${Object.keys(PARTS).join(', ')}`);
const dir = `reports/mutation${part ? `/${part}` : ''}`;

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutation.config.ts' },
  plugins: ['@stryker-mutator/vitest-runner'],
  mutate: part ? PARTS[part] : Object.values(PARTS).flat(),
  coverageAnalysis: 'perTest',
  ignoreStatic: true,
  concurrency: 2,
  timeoutMS: 20_000,
  dryRunTimeoutMinutes: 15,
  // Re-runs only mutants whose code or covering tests changed since the last run (reports/ is ignored by git).
  incremental: true,
  incrementalFile: `${dir}/stryker-incremental.json`,
  reporters: ['html', 'json', 'clear-text', 'progress'],
  htmlReporter: { fileName: `${dir}/index.html` },
  jsonReporter: { fileName: `${dir}/mutation.json` },
  // Not copied into the sandbox: other parts' sandboxes, reports, build output, data.
  ignorePatterns: ['/.stryker-tmp*', '/reports', '/dist', '/data', '/tmp', '/out', '/test-results', '/coverage'],
  tempDirName: `.stryker-tmp${part ? `-${part}` : ''}`, // one per part: parts may run side by side
  cleanTempDir: 'always',
  thresholds: { high: 90, low: 85, break: null },
};
