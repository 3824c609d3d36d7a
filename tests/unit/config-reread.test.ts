import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * `/reload_config` reads the .env file named by ENV_FILE again, under the environment the process
 * started with. src/env-file.ts (re-exported by config.ts) takes that environment when it is first
 * loaded, so it is loaded here (once, not re-imported per test) after ENV_FILE and a startup variable
 * are set.
 */

const dir = mkdtempSync(join(tmpdir(), 'tradeops-reread-'));
const envFile = join(dir, 'reload.env');
writeFileSync(envFile, 'TRADEOPS_R_A=one\nTRADEOPS_R_B=file\n');
const before = { ENV_FILE: process.env.ENV_FILE, TRADEOPS_R_B: process.env.TRADEOPS_R_B };
process.env.ENV_FILE = envFile;
process.env.TRADEOPS_R_B = 'startup';
const { ConfigError, rereadEnv } = await import('../../src/config.ts');

afterAll(() => {
  for (const [k, v] of Object.entries(before)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
});

describe('the .env file read again for /reload_config', () => {
  it('takes the file as it is now, under the environment the process started with', () => {
    process.env.TRADEOPS_R_B = 'changed later';
    expect(rereadEnv()).toMatchObject({ TRADEOPS_R_A: 'one', TRADEOPS_R_B: 'startup', ENV_FILE: envFile });
    writeFileSync(envFile, 'TRADEOPS_R_A=two\nTRADEOPS_R_C=new\n');
    expect(rereadEnv()).toMatchObject({ TRADEOPS_R_A: 'two', TRADEOPS_R_B: 'startup', TRADEOPS_R_C: 'new' });
  });

  it('gives the startup environment alone when the file is gone', () => {
    rmSync(envFile);
    const env = rereadEnv();
    expect(env.TRADEOPS_R_B).toBe('startup');
    expect(env.TRADEOPS_R_A).toBeUndefined();
  });

  it('refuses a file it cannot read, naming ENV_FILE and the path', () => {
    mkdirSync(envFile);
    expect(() => rereadEnv()).toThrow(ConfigError);
    expect(() => rereadEnv()).toThrow(new RegExp(`^invalid configuration:\\n {2}- ENV_FILE: cannot read ${envFile}: \\S`));
  });
});
