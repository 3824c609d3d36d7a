/**
 * SIGTERM at the moment the ready line appears stops the bot cleanly (exit code 0): the line is
 * written only once the signal handlers are in place (src/cli/start.ts). Before, a supervisor that
 * stopped the bot as soon as it read the line got Node's default action about half the time
 * (killed by SIGTERM: no clean stop, exit code null).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { spawnBot, tempDataDir, type BotProcess } from '../support/spawn-bot.ts';

describe('tradeops start and a signal right after ready', () => {
  let bot: BotProcess | undefined;
  afterEach(async () => {
    await bot?.stop('SIGKILL');
    bot = undefined;
  });

  it('stops cleanly on SIGTERM sent the moment the ready line is read (three starts)', async () => {
    const dataDir = tempDataDir();
    for (let i = 0; i < 3; i++) {
      bot = spawnBot(['start'], { DATA_DIR: dataDir, HTTP_PORT: '0', CONSOLE: 'false', LOG_LEVEL: 'warn' });
      await bot.waitFor(/tradeops ready:/, 15_000);
      const stopped = await bot.stop('SIGTERM');
      expect({ start: i, code: stopped.code, signal: bot.child.signalCode }).toEqual({ start: i, code: 0, signal: null });
    }
  }, 60_000);
});
