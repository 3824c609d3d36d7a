import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { balanceCommand } from '../../../commands/balance.ts';
import type { CommandContext } from '../../../commands/command.ts';
import { healthCommand } from '../../../commands/health.ts';
import { statusCommand } from '../../../commands/status.ts';
import { createFakeServices } from '../../support/fake-services.ts';

const T0 = Date.UTC(2026, 0, 10, 12);

function ctxOf(services: CommandContext['services']): CommandContext {
  return { caller: { platform: 'console', userId: 'local' }, role: 'admin', services, logger: pino({ level: 'silent' }), now: () => T0, progress: async () => {} } as CommandContext;
}

describe('the simulated market time is labelled, and candle ages are measured on the market clock', () => {
  it('/health does not call a candle of the accelerated sim "in the future"', async () => {
    const services = createFakeServices(() => T0);
    // The sim runs ahead: its last candle is 3 hours after our wall time, 30 s before its own clock.
    services.health = async () => ({
      version: 't',
      uptimeMs: 60_000,
      database: { kind: 'pglite', ok: true },
      marketData: { lastCandleAt: T0 + 3 * 3_600_000, stale: false, marketNow: T0 + 3 * 3_600_000 + 30_000, simulated: true },
      exchange: { id: 'sim', ok: true },
      engine: { lastTickAt: T0 - 1000, ticking: true },
    });
    const r = await healthCommand.run(ctxOf(services), {});
    const line = r.text!.find((l) => l.includes('market data'))!;
    expect(line).toBe('✓ market data: last candle 30s ago (simulated market time)');
    expect(r.title).toBe('Health — all good');
  });

  it('/status labels the last candle as simulated market time and shows the labelled account line', async () => {
    const services = createFakeServices(() => T0);
    const status = services.status.bind(services);
    services.status = async () => ({
      ...(await status()),
      simulatedTime: true,
      account: { marketType: 'spot', quote: 'USDT', cash: 7_900, holdings: 2_125, unrealizedPnl: 25, equity: 10_025 },
    });
    const text = (await statusCommand.run(ctxOf(services), {})).text!.join('\n');
    expect(text).toContain('(simulated market time)');
    expect(text).toContain('Equity 10,025.00 USDT = cash (free USDT) 7,900.00 + holdings 2,125.00 at last prices');
  });

  it('/balance shows the same account line under the venue balances', async () => {
    const services = createFakeServices(() => T0);
    services.account = async () => ({ marketType: 'swap', quote: 'USDT', walletBalance: 9_999, unrealizedPnl: 100, marginUsed: 400, marginAvailable: 9_699, equity: 10_099 });
    const r = await balanceCommand.run(ctxOf(services), {});
    expect(r.text).toEqual(['Equity 10,099.00 USDT = wallet 9,999.00 + unrealised 100.00 · margin used 400.00 · available 9,699.00']);
    expect(r.tables?.[0]?.columns).toEqual(['Asset', 'Free', 'In orders', 'Total']);
  });
});
