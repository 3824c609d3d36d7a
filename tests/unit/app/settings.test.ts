import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { describe, expect, it, vi } from 'vitest';
import { createSettingsAccess, listSettings, maskedSetting } from '../../../src/app/settings.ts';
import { loadConfig } from '../../../src/config.ts';
import { createSerial } from '../../../src/engine/serial.ts';
import type { Kernel, KernelOptions } from '../../../src/kernel.ts';
import { registerSecrets } from '../../../src/logger.ts';
import { loadStrategyCatalog } from '../../../src/strategies/registry.ts';

const SIGNAL = 'sig-secret-0123456789abc';

/** The parts of the kernel a reload reads and changes; `reconfigure` records what it was given. */
function kernelWith(options: Pick<KernelOptions, 'strategy' | 'params' | 'symbols'>, held: Array<{ symbol: string; quantity: number }> = []) {
  const calls: Array<Pick<KernelOptions, 'strategy' | 'params' | 'symbols'>> = [];
  let current = options;
  const kernel = {
    get options() {
      return current as KernelOptions;
    },
    ports: { marketData: { loadMarkets: async () => new Map(['BTC/USDT', 'ETH/USDT', 'SOL/USDT', 'ETH/BTC'].map((s) => [s, {}])) } },
    portfolio: { all: () => held },
    async reconfigure(next: Pick<KernelOptions, 'strategy' | 'params' | 'symbols'>) {
      calls.push(next);
      current = { ...current, ...next };
    },
  } as unknown as Kernel;
  return { kernel, calls };
}

async function setup(env: Record<string, string>, held: Array<{ symbol: string; quantity: number }> = []) {
  const catalog = await loadStrategyCatalog();
  const config = loadConfig({ DATA_DIR: 'memory://', ...env });
  const { kernel, calls } = kernelWith({ strategy: catalog.get(config.STRATEGY), params: catalog.get(config.STRATEGY).params.parse(config.STRATEGY_PARAMS) as Record<string, unknown>, symbols: config.SYMBOLS }, held);
  let next: Record<string, string> = { DATA_DIR: 'memory://', ...env };
  const settings = createSettingsAccess({ config, kernel, catalog, serial: createSerial(), logger: pino({ level: 'silent' }), readEnv: () => next });
  return { config, settings, calls, set: (e: Record<string, string>) => (next = { DATA_DIR: 'memory://', ...e }) };
}

describe('settings in effect (/show_config)', () => {
  it('masks every secret variable and scrubs registered secrets out of the others', () => {
    registerSecrets([SIGNAL]);
    const config = loadConfig({ DATA_DIR: 'memory://', SIGNAL_SECRET: SIGNAL, METRICS_TOKEN: 'metrics-token-abcdef', DATABASE_URL: 'postgres://u:pw-123456@db/x', STRATEGY_PARAMS: '{"fast":5}' });
    const list = listSettings(config);
    const value = (name: string) => list.find((s) => s.name === name)!;
    expect(value('SIGNAL_SECRET')).toMatchObject({ value: '(hidden)', changed: true });
    expect(value('METRICS_TOKEN').value).toBe('(hidden)');
    expect(value('DATABASE_URL').value).toBe('(hidden)');
    expect(value('STRATEGY_PARAMS')).toMatchObject({ value: '{"fast":5}', changed: true });
    expect(value('MODE')).toMatchObject({ value: 'paper', changed: false });
    expect(value('SYMBOLS')).toMatchObject({ value: 'BTC/USDT', changed: false });
    expect(JSON.stringify(list)).not.toContain(SIGNAL);
    expect(maskedSetting('HEARTBEAT_URL', '')).toBe('');
    expect(maskedSetting('ALERT_LEVELS', `{"x":"${SIGNAL}"}`)).toBe('{"x":"[REDACTED]"}');
  });
});

describe('reloading the configuration (/reload_config)', () => {
  it('applies strategy, parameters and symbols; lists other changes as needing a restart', async () => {
    const s = await setup({ STRATEGY: 'sma-cross', STRATEGY_PARAMS: '{"fast":10,"slow":30}' });
    expect(await s.settings.reload('console:console')).toEqual({ applied: [], needRestart: [] });
    expect(s.calls).toEqual([]);
    const heldByReconciler = s.config.SYMBOLS;
    s.set({ STRATEGY: 'rsi-bb', STRATEGY_PARAMS: '{"rsiPeriod":7}', SYMBOLS: 'BTC/USDT,ETH/USDT', LOG_LEVEL: 'debug' });
    const r = await s.settings.reload('console:console');
    expect(r.applied).toEqual([
      'STRATEGY: sma-cross → rsi-bb',
      expect.stringMatching(/^STRATEGY_PARAMS: \{"fast":10,"slow":30\} → \{"rsiPeriod":7,/),
      'SYMBOLS: BTC/USDT → BTC/USDT,ETH/USDT',
    ]);
    expect(r.needRestart).toEqual(['LOG_LEVEL']);
    expect(s.calls).toHaveLength(1);
    expect(s.calls[0]!.strategy.name).toBe('rsi-bb');
    expect(s.calls[0]!.symbols).toEqual(['BTC/USDT', 'ETH/USDT']);
    expect([s.config.STRATEGY, s.config.SYMBOLS]).toEqual(['rsi-bb', ['BTC/USDT', 'ETH/USDT']]);
    // Components that took the symbol list at start (reconciler, signal intake) see the new one.
    expect(heldByReconciler).toEqual(['BTC/USDT', 'ETH/USDT']);
  });

  it('refuses a bad configuration in one line and changes nothing', async () => {
    const s = await setup({ SYMBOLS: 'BTC/USDT,ETH/USDT' }, [{ symbol: 'ETH/USDT', quantity: 0.5 }]);
    const cases: Array<[Record<string, string>, RegExp]> = [
      [{ STRATEGY: 'nope' }, /unknown strategy "nope"/],
      [{ STRATEGY: 'sma-cross', STRATEGY_PARAMS: '{"fast":"x"}' }, /invalid parameters for sma-cross: fast/],
      [{ MODE: 'fast' }, /configuration not reloaded: MODE: got "fast"/],
      [{ SYMBOLS: 'BTC/USDT,DOGE/USDT' }, /DOGE\/USDT not listed on sim/],
      [{ SYMBOLS: 'BTC/USDT' }, /ETH\/USDT still has an open position/],
      [{ SYMBOLS: 'BTC/USDT,ETH/USDT,ETH/BTC' }, /ETH\/BTC is not quoted in USDT/],
    ];
    for (const [env, message] of cases) {
      s.set(env);
      const err = await s.settings.reload('console:console').catch((e: Error) => e);
      expect(err, JSON.stringify(env)).toBeInstanceOf(Error);
      expect((err as Error).message).toMatch(message);
      expect((err as Error).message).not.toContain('\n');
    }
    expect(s.calls).toEqual([]);
    expect(s.config.SYMBOLS).toEqual(['BTC/USDT', 'ETH/USDT']);
  });

  it('re-reads the .env file, under the environment the process started with', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'reread-'));
    const file = join(dir, '.env');
    writeFileSync(file, 'STRATEGY=rsi-bb\n');
    process.env.ENV_FILE = file;
    // STARTUP_ENV is taken when config.ts is first loaded: load a fresh copy that sees ENV_FILE.
    vi.resetModules();
    const fresh = await import('../../../src/config.ts');
    try {
      expect(fresh.rereadEnv().STRATEGY).toBe('rsi-bb');
      writeFileSync(file, 'STRATEGY=breakout\n');
      expect(fresh.rereadEnv().STRATEGY).toBe('breakout');
    } finally {
      delete process.env.ENV_FILE;
    }
  });
});
