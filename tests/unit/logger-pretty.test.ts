/**
 * LOG_FORMAT=pretty: human-readable lines on stderr, still scrubbed; pino-pretty is loaded only
 * then (a JSON logger never loads it). Run in a child process: the pretty stream writes to fd 2.
 */
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const LOGGER = resolve(import.meta.dirname, '../../src/logger.ts');

function logOneLine(format: 'pretty' | 'json'): { stderr: string; prettyLoaded: boolean } {
  const code = `
    import { createRequire } from 'node:module';
    const { createLogger, registerSecrets } = await import(${JSON.stringify(LOGGER)});
    registerSecrets(['Zq7-mellow-harbor-42']);
    const log = createLogger({ level: 'info', format: '${format}' });
    log.info({ order: 'o-1', note: 'key Zq7-mellow-harbor-42' }, 'order filled');
    const loaded = Object.keys(createRequire(import.meta.url).cache).some((k) => k.includes('/pino-pretty/'));
    setTimeout(() => process.stdout.write(String(loaded)), 50);`;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  expect(r.status, r.stderr).toBe(0);
  return { stderr: r.stderr, prettyLoaded: r.stdout.trim() === 'true' };
}

describe('the pretty log format', () => {
  it('writes readable, scrubbed lines to stderr, with pino-pretty loaded for it', () => {
    const pretty = logOneLine('pretty');
    expect(pretty.prettyLoaded).toBe(true);
    expect(pretty.stderr).toMatch(/INFO.*order filled/);
    expect(pretty.stderr).toContain('o-1');
    expect(pretty.stderr).toContain('key [REDACTED]');
    expect(pretty.stderr).not.toContain('Zq7-mellow-harbor-42');
    expect(() => JSON.parse(pretty.stderr.trim().split('\n')[0]!)).toThrow();
  });

  it('JSON lines never load pino-pretty', () => {
    const json = logOneLine('json');
    expect(json.prettyLoaded).toBe(false);
    const line = JSON.parse(json.stderr.trim().split('\n').at(-1)!) as { msg: string; note: string; order: string };
    expect(line).toMatchObject({ msg: 'order filled', order: 'o-1', note: 'key [REDACTED]' });
  });
});
