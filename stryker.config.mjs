// Mutation testing of the safety-critical core: `npm run mutation` (see docs/testing.md).
// Globs, not file lists, so code that lands in these folders is mutated without editing this file.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutation.config.ts' },
  plugins: ['@stryker-mutator/vitest-runner'],
  mutate: [
    // risk gate, pre-flight rules, sizing, Kelly, panic score, trading state, kill-all
    'src/risk/**/*.ts',
    'src/domain/trading-state.ts',
    'src/**/kill-all*.ts',
    'src/**/killall*.ts',
    // order lifecycle, order manager, fill processing, reconciliation
    'src/domain/orders.ts',
    'src/engine/order-manager.ts',
    'src/engine/fill-processor.ts',
    'src/**/*reconcil*.ts',
    // configuration validation and secret redaction
    'src/config.ts',
    'src/config-*.ts',
    'src/logger.ts',
    'src/adapters/exchange/scrub.ts',
    // webhook signature checks (Telegram, Discord, LINE, signal webhook)
    'src/adapters/chat/secret-compare.ts',
    'src/adapters/chat/discord/verify-signature.ts',
    'src/adapters/chat/discord/interactions-route.ts',
    'src/adapters/chat/line/line-webhook-route.ts',
    'src/adapters/chat/telegram/telegram-webhook-route.ts',
    'src/**/*signal-webhook*.ts',
    'src/**/*webhook-signature*.ts',
    // alert outbox retry and pacing
    'src/alerts/outbox.ts',
    'src/alerts/pacing.ts',
    // candle gaps and parsing
    'src/domain/candle-gaps.ts',
    'src/domain/candle-parsing/**/*.ts',
    // type-only modules have nothing to mutate
    '!src/**/*.d.ts',
  ],
  coverageAnalysis: 'perTest',
  ignoreStatic: true,
  concurrency: 2,
  timeoutMS: 20_000,
  dryRunTimeoutMinutes: 15,
  // Re-runs only mutants whose code or covering tests changed since the last run (reports/ is ignored by git).
  incremental: true,
  incrementalFile: 'reports/mutation/stryker-incremental.json',
  reporters: ['html', 'json', 'clear-text', 'progress'],
  htmlReporter: { fileName: 'reports/mutation/index.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
  thresholds: { high: 90, low: 85, break: null },
};
