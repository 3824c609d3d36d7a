import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * Slow kinds of file first: end-to-end and browser files (real processes, a minute each at most),
 * then integration files, then unit files (milliseconds). With two workers the run ends on short files
 * instead of one worker finishing a long end-to-end file alone. Within a kind, vitest's own order:
 * the last run's slowest (and failed) files first, or, on a fresh clone without that record, the
 * largest files first.
 */
class SlowKindsFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const kind = (spec: TestSpecification): number => {
      const path = spec.moduleId.replaceAll('\\', '/');
      if (path.includes('/tests/e2e/') || path.includes('/tests/browser/')) return 0;
      return path.includes('/tests/unit/') ? 2 : 1;
    };
    const ordered = await super.sort(files);
    const rank = new Map(ordered.map((spec, i) => [spec, i]));
    return ordered.sort((a, b) => kind(a) - kind(b) || rank.get(a)! - rank.get(b)!);
  }
}

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // vitest's default is one worker fewer than there are cores: one worker on a 2-core machine,
    // which then sits idle most of the run (the suite waits on child processes, sockets and timers;
    // the single worker used ~57 % of one core). Two files at a time on 2 cores; more on bigger machines.
    // --maxWorkers (or VITEST_MAX_WORKERS) overrides it.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    sequence: { sequencer: SlowKindsFirstSequencer },
    globalSetup: ['tests/support/global-setup.ts'],
  },
});
