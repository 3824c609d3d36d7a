import { existsSync, readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';
import { ConfigError } from './config-error.ts';

/** The environment the process started with, before a .env file was merged into process.env. */
const STARTUP_ENV: Readonly<Record<string, string | undefined>> = { ...process.env };

/**
 * The environment read again for `/reload_config`: the .env file (or ENV_FILE) as it is now, under
 * the environment the process started with. (`readEnv` merged the file into process.env at start,
 * so process.env would keep the old file values.)
 */
export function rereadEnv(): Record<string, string | undefined> {
  const file = STARTUP_ENV.ENV_FILE ?? '.env';
  let fromFile: Record<string, string> = {};
  if (existsSync(file)) {
    try {
      fromFile = parseEnv(readFileSync(file, 'utf8')) as Record<string, string>;
    } catch (err) {
      throw new ConfigError([`ENV_FILE: cannot read ${file}: ${(err as Error).message}`]);
    }
  }
  return { ...fromFile, ...STARTUP_ENV };
}

/** process.env, with ./.env (or ENV_FILE) loaded underneath it when the file exists. */
export function readEnv(): Record<string, string | undefined> {
  const file = process.env.ENV_FILE ?? '.env';
  if (existsSync(file)) {
    try {
      process.loadEnvFile(file);
    } catch (err) {
      throw new ConfigError([`ENV_FILE: cannot read ${file}: ${(err as Error).message}`]);
    }
  }
  return process.env;
}
