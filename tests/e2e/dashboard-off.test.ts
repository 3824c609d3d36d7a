import { afterAll, describe, expect, it } from 'vitest';
import { spawnBot, tempDataDir, type BotProcess } from '../support/spawn-bot.ts';

describe('DASHBOARD=false (the real process)', () => {
  let bot: BotProcess | undefined;
  afterAll(async () => {
    await bot?.stop('SIGKILL');
  });

  it('mounts no dashboard route and /dashboard says it is off', async () => {
    bot = spawnBot(['start'], { DATA_DIR: tempDataDir(), HTTP_PORT: '0', CONSOLE: 'true', LOG_FORMAT: 'json', LOG_LEVEL: 'warn', DASHBOARD: 'false' });
    const url = /http=(http:\/\/[^\s]+)/.exec((await bot.waitFor(/tradeops ready: (.*)\n/, 30_000))[1]!)![1]!;
    for (const path of ['/', '/api/overview', '/assets/dashboard.js', `/login/${'A'.repeat(43)}`]) expect((await fetch(`${url}${path}`)).status, path).toBe(404);
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    const mark = bot.stdout().length;
    bot.send('/dashboard');
    await bot.waitFor(/web dashboard is turned off \(DASHBOARD=false\)/, 10_000, mark);
  });
});
