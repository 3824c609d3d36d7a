import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, registerSecrets, scrubSecrets } from '../../src/logger.ts';

/** A logger writing JSON lines into an array. */
function capture(level = 'info') {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  return { logger: createLogger({ level, destination }), lines };
}

// Shaped like nothing any pattern knows: no key=, no Bearer, no token format, no URL.
const SECRET = 'Zq7-mellow-harbor-42';
const OTHER = 'pl41n~W0rds&stuff';

describe('scrubSecrets: registered secret values', () => {
  registerSecrets([SECRET, OTHER, undefined, '', 'abc12']);

  it('replaces a registered value that no pattern matches, every occurrence', () => {
    expect(scrubSecrets(`connecting as ${SECRET}; retry with ${SECRET}.`)).toBe('connecting as [REDACTED]; retry with [REDACTED].');
    expect(scrubSecrets(`a${OTHER}b`)).toBe('a[REDACTED]b');
  });

  it('ignores values shorter than 6 characters, which would mangle ordinary text', () => {
    expect(scrubSecrets('order abc12 filled')).toBe('order abc12 filled');
  });

  it('leaves text without secrets untouched', () => {
    const text = 'BTC/USDT buy 0.5 @ 42000 (clientOrderId to-abc-123)';
    expect(scrubSecrets(text)).toBe(text);
  });
});

describe('scrubSecrets: patterns for secrets nobody registered', () => {
  it.each([
    ['https://api.telegram.org/bot123456:AAE-secret_part/sendMessage', 'https://api.telegram.org/bot[REDACTED]/sendMessage'],
    ['token 1234567890:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsawq in text', 'token [REDACTED] in text'],
    ['GET /api/v3/order?symbol=BTCUSDT&signature=abc123def&apiKey=XYZ', 'GET /api/v3/order?symbol=BTCUSDT&signature=[REDACTED]&apiKey=[REDACTED]'],
    ['/x?token=t0k3n&key=k3y&api_key=a&sign=s&secret=q&SIGNATURE=up', '/x?token=[REDACTED]&key=[REDACTED]&api_key=[REDACTED]&sign=[REDACTED]&secret=[REDACTED]&SIGNATURE=[REDACTED]'],
    ['Authorization: Bearer abcdefghijklmnop1234', 'Authorization: Bearer [REDACTED]'],
    ['Authorization: Bot MTIzNDU2Nzg5MDEyMzQ1Njc4.abc', 'Authorization: Bot [REDACTED]'],
    ['connect postgres://tradeops:p4ss@db:5432/x failed', 'connect postgres://tradeops:[REDACTED]@db:5432/x failed'],
    ['postgresql://u:pw@h/db', 'postgresql://u:[REDACTED]@h/db'],
  ])('%s', (input, expected) => {
    expect(scrubSecrets(input)).toBe(expected);
  });

  it('leaves short Bearer words and ordinary numbers alone', () => {
    expect(scrubSecrets('Bearer short and 12345:abc')).toBe('Bearer short and 12345:abc');
  });
});

describe('the process logger never writes a secret', () => {
  it('scrubs registered values from the message, nested fields and errors', () => {
    const { logger, lines } = capture();
    const err = new Error(`login failed for ${SECRET}`);
    logger.info({ detail: { note: `using ${SECRET}` }, list: [`x ${OTHER}`] }, `starting with ${SECRET}`);
    logger.error({ err }, 'failed');
    const out = lines.join('\n');
    expect(out).not.toContain(SECRET);
    expect(out).not.toContain(OTHER);
    const [first, second] = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(first).toMatchObject({ msg: 'starting with [REDACTED]', detail: { note: 'using [REDACTED]' }, list: ['x [REDACTED]'] });
    expect(second).toMatchObject({ msg: 'failed', err: { type: 'Error', message: 'login failed for [REDACTED]' } });
    expect(String((second!.err as { stack: string }).stack)).toContain('login failed for [REDACTED]');
  });

  it('redacts credential fields by name, at the top level and nested', () => {
    const { logger, lines } = capture();
    logger.info({ apiKey: 'k-1', config: { EXCHANGE_API_SECRET: 's-1', TELEGRAM_BOT_TOKEN: 't-1' }, headers: { authorization: 'a-1', 'x-line-signature': 'l-1' }, req: { token: 'r-1' } }, 'fields');
    const line = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(line).toMatchObject({
      apiKey: '[REDACTED]',
      config: { EXCHANGE_API_SECRET: '[REDACTED]', TELEGRAM_BOT_TOKEN: '[REDACTED]' },
      headers: { authorization: '[REDACTED]', 'x-line-signature': '[REDACTED]' },
      req: { token: '[REDACTED]' },
    });
  });

  it('writes at and above the configured level only', () => {
    const { logger, lines } = capture('warn');
    logger.info('quiet');
    logger.warn('loud');
    expect(lines.map((l) => (JSON.parse(l) as { msg: string }).msg)).toEqual(['loud']);
  });
});
