import { afterEach, describe, expect, it } from 'vitest';
import { spawnBot, tempDataDir, type BotProcess } from '../support/spawn-bot.ts';

const READY = /tradeops ready: (.*)\n/;

describe('tradeops start (the real CLI, no configuration)', () => {
  let bot: BotProcess | undefined;
  afterEach(async () => {
    await bot?.stop('SIGKILL');
    bot = undefined;
  });

  it('starts within 15 s, answers /help and /status on the console, serves health, stops cleanly on SIGTERM, and restarts on the same database', async () => {
    const dataDir = tempDataDir();
    const env = { DATA_DIR: dataDir, HTTP_PORT: '0', CONSOLE: 'true', LOG_FORMAT: 'json' };
    bot = spawnBot(['start'], env);
    const ready = await bot.waitFor(READY, 15_000);
    const line = ready[1]!;
    for (const part of ['mode=paper', 'exchange=sim', 'database=pglite', 'strategy=sma-cross', 'symbols=BTC/USDT', 'http=http://127.0.0.1:']) {
      expect(line).toContain(part);
    }
    const url = /http=(http:\/\/[^\s]+)/.exec(line)![1]!;

    const health = await fetch(`${url}/healthz`);
    expect(health.status).toBe(200);
    // The engine ticks every second on the simulated exchange: ready once it has ticked.
    let ready200 = false;
    for (let i = 0; i < 30 && !ready200; i++) {
      ready200 = (await fetch(`${url}/readyz`)).status === 200;
      if (!ready200) await new Promise((r) => setTimeout(r, 250));
    }
    expect(ready200).toBe(true);
    const metrics = await (await fetch(`${url}/metrics`)).text();
    for (const name of ['tradeops_engine_ticks', 'tradeops_trading_state{state="ACTIVE"} 1', 'tradeops_events_total{type="startup"} 1']) {
      expect(metrics).toContain(name);
    }
    expect(metrics).toMatch(/^tradeops_equity \d+(\.\d+)?$/m);

    let mark = bot.stdout().length;
    bot.send('/help');
    await bot.waitFor(/\/status/, 10_000, mark);
    for (const cmd of ['/help', '/status', '/positions', '/whoami']) expect(bot.stdout().slice(mark)).toContain(cmd);

    mark = bot.stdout().length;
    bot.send('/status');
    await bot.waitFor(/database[^\n]*pglite/i, 10_000, mark);
    const status = bot.stdout().slice(mark);
    expect(status).toMatch(/\bpaper\b/);
    expect(status).toMatch(/ACTIVE/);
    expect(status).toMatch(/\bup(time)? \d+/i);
    expect(status).toMatch(/equity[^\n]*10,000\.00 USDT/i);
    expect(status).toMatch(/last tick/i);

    const stopped = await bot.stop('SIGTERM');
    expect(stopped.code).toBe(0);
    expect(stopped.ms).toBeLessThan(10_000);

    // Same data directory: the audit log written by the first run is there.
    bot = spawnBot(['start'], env);
    await bot.waitFor(READY, 15_000);
    mark = bot.stdout().length;
    bot.send('/audit 20');
    await bot.waitFor(/status/, 10_000, mark);
    expect(bot.stdout().slice(mark)).toMatch(/console[^\n]*status/);
    const again = await bot.stop('SIGINT');
    expect(again.code).toBe(0);
  });

  it('refuses a bad configuration with exit code 2 and a message naming the variable', async () => {
    for (const [env, name, accepts] of [
      [{ MODE: 'fast' }, 'MODE', 'paper, live'],
      [{ HTTP_PORT: 'abc' }, 'HTTP_PORT', 'whole number'],
      [{ MODE: 'live', EXCHANGE: 'binance' }, 'LIVE_TRADING_ACK', 'LIVE_TRADING_ACK=yes'],
    ] as const) {
      const p = spawnBot(['start'], { DATA_DIR: tempDataDir(), ...env });
      const { code } = await new Promise<{ code: number | null }>((res) => p.child.on('exit', (c) => res({ code: c })));
      expect(code).toBe(2);
      expect(p.stderr()).toContain(`${name}: got`);
      expect(p.stderr()).toContain(accepts);
    }
  });
});
