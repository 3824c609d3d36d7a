/**
 * Environment for child processes started by tests: vitest sets MODE=test (Vite's mode), which is
 * also tradeops' MODE variable, and a developer's shell may hold tradeops variables. Start clean.
 */
export function childEnv(extra: Record<string, string> = {}): Record<string, string> {
  const keep = ['PATH', 'HOME', 'TMPDIR', 'LANG', 'TZ', 'SYSTEMROOT', 'TRADEOPS_TEST_PG_URL'];
  const env: Record<string, string> = {};
  for (const k of keep) if (process.env[k] !== undefined) env[k] = process.env[k]!;
  return { ...env, ...extra };
}
