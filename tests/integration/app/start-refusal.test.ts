import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../src/config.ts';
import { startApp } from '../../../src/main.ts';

describe('start refuses a bad configuration before it touches the database', () => {
  it.each([
    [{ CHAT_USERS: 'telegram123' }, 'CHAT_USERS'],
    [{ STRATEGY_PARAMS: '{"fast":"ten"}' }, 'STRATEGY_PARAMS'],
    [{ SIM_DATA: '/nonexistent.csv' }, 'SIM_DATA'],
  ])('%j: ConfigError naming the variable, and no database created', async (env, variable) => {
    const dataDir = join(mkdtempSync(join(tmpdir(), 'tradeops-refuse-')), 'data');
    const config = loadConfig({ DATA_DIR: dataDir, HTTP_PORT: '0', CONSOLE: 'false', ...env });
    const err = await startApp(config, { stdin: new PassThrough(), stdout: new PassThrough() }, pino({ level: 'silent' })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).message).toMatch(new RegExp(`${variable}(: got| entry)`));
    expect(existsSync(dataDir)).toBe(false);
  });
});
