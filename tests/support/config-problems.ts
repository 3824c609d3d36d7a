import { expect } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.ts';

/** The problems `loadConfig` reports for `env`; the test fails if the configuration is accepted. */
export function configProblems(env: Record<string, string | undefined>): string[] {
  try {
    loadConfig(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).problems;
  }
  throw new Error(`configuration ${JSON.stringify(env)} was accepted`);
}
