import type { ReloadView, SettingsAccess, SettingView } from '../../commands/services.ts';
import { ENV_DOCS } from '../config-schema.ts';
import { type Config, ConfigError, loadConfig, rereadEnv, SECRET_VARIABLES } from '../config.ts';
import { AppError } from '../domain/errors.ts';
import { quoteOf } from '../domain/market.ts';
import type { Kernel } from '../kernel.ts';
import { scrubSecrets, type Logger } from '../logger.ts';
import type { Serial } from '../engine/serial.ts';
import { parseStrategyParams, type StrategyCatalog } from '../strategies/registry.ts';

/** What `/reload_config` applies to the running process; every other change waits for a restart. */
export const RELOADABLE = ['STRATEGY', 'STRATEGY_PARAMS', 'SYMBOLS'] as const;

const SECRETS = new Set<string>(SECRET_VARIABLES);

/** A configuration value as text, the way it is written in the environment. */
export function settingText(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) return value.join(',');
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** A value safe to show in a chat: secrets are `(hidden)` when set, and any secret inside a value is scrubbed. */
export function maskedSetting(name: string, value: unknown): string {
  const text = settingText(value);
  if (SECRETS.has(name) && text !== '') return '(hidden)';
  return scrubSecrets(text);
}

/** The configuration in effect, every variable, secrets masked (`/show_config`). */
export function listSettings(config: Config): SettingView[] {
  return Object.entries(ENV_DOCS).map(([name, d]) => {
    const raw = settingText((config as Record<string, unknown>)[name]);
    return { name, group: d.group, value: maskedSetting(name, (config as Record<string, unknown>)[name]), changed: raw !== (d.default ?? '') };
  });
}

export interface SettingsDeps {
  /** The configuration object the process runs on; reloaded values are written into it. */
  config: Config;
  kernel: Kernel;
  catalog: StrategyCatalog;
  /** Reloads run between ticks (the tick's serial queue). */
  serial: Serial;
  logger: Logger;
  /** Where the configuration is read from (default: the environment with ./.env under it). */
  readEnv?: () => Record<string, string | undefined>;
}

/**
 * `/show_config` and `/reload_config`. A reload reads the environment and .env again, validates the
 * whole configuration, and applies STRATEGY, STRATEGY_PARAMS and SYMBOLS to the running kernel
 * between two ticks. Anything invalid is refused with one line and nothing changes; a symbol with an
 * open position cannot be dropped (its stop-loss would no longer be watched). On a real venue a new
 * symbol's candles are read over REST on each tick; its live feed (websocket) starts at the next restart.
 */
export function createSettingsAccess(d: SettingsDeps): SettingsAccess {
  const { config, kernel } = d;
  return {
    list: () => listSettings(config),
    async reload(by) {
      let next: Config;
      try {
        next = loadConfig((d.readEnv ?? rereadEnv)());
      } catch (err) {
        if (err instanceof ConfigError) throw new AppError('BAD_REQUEST', `configuration not reloaded: ${scrubSecrets(err.problems.join('; '))}`);
        throw err;
      }
      const strategy = d.catalog.get(next.STRATEGY);
      const params = parseStrategyParams(strategy, next.STRATEGY_PARAMS);
      const markets = await kernel.ports.marketData.loadMarkets();
      const unknown = next.SYMBOLS.filter((s) => !markets.has(s));
      if (unknown.length > 0) throw new AppError('BAD_REQUEST', `configuration not reloaded: ${unknown.join(', ')} not listed on ${config.EXCHANGE}`);
      const quote = quoteOf(kernel.options.symbols[0] ?? config.SYMBOLS[0]!);
      const otherQuote = next.SYMBOLS.filter((s) => quoteOf(s) !== quote);
      if (otherQuote.length > 0) throw new AppError('BAD_REQUEST', `configuration not reloaded: ${otherQuote.join(', ')} is not quoted in ${quote}, the currency the account is kept in (a restart can change it)`);
      const held = kernel.portfolio.all().filter((p) => p.quantity !== 0 && !next.SYMBOLS.includes(p.symbol)).map((p) => p.symbol);
      if (held.length > 0) throw new AppError('CONFLICT', `configuration not reloaded: ${held.join(', ')} still has an open position (close it before dropping the symbol)`);

      const applied: string[] = [];
      const before = { STRATEGY: config.STRATEGY, STRATEGY_PARAMS: settingText(kernel.options.params), SYMBOLS: settingText(config.SYMBOLS) };
      const after = { STRATEGY: next.STRATEGY, STRATEGY_PARAMS: settingText(params), SYMBOLS: settingText(next.SYMBOLS) };
      for (const k of RELOADABLE) if (before[k] !== after[k]) applied.push(`${k}: ${before[k]} → ${after[k]}`);
      if (applied.length > 0) {
        await d.serial.run(() => kernel.reconfigure({ strategy, params, symbols: next.SYMBOLS }));
        config.STRATEGY = next.STRATEGY;
        config.STRATEGY_PARAMS = next.STRATEGY_PARAMS;
        // In place: the reconciler and the signal intake hold this very list and follow the change.
        config.SYMBOLS.splice(0, config.SYMBOLS.length, ...next.SYMBOLS);
        d.logger.info({ by, applied }, 'configuration reloaded');
      }
      const reloadable = new Set<string>(RELOADABLE);
      const needRestart = Object.keys(ENV_DOCS).filter(
        (name) => !reloadable.has(name) && settingText((config as Record<string, unknown>)[name]) !== settingText((next as Record<string, unknown>)[name]),
      );
      return { applied, needRestart } satisfies ReloadView;
    },
  };
}
