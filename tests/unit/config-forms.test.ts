import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.ts';
import { DOMAIN_EVENT_TYPES } from '../../src/domain/events.ts';
import { timeframeToMs } from '../../src/domain/timeframe.ts';

/** Forms of configuration values at the edges of what is accepted: spaces, host names, anchors. */

function refused(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).problems;
  }
  throw new Error(`${JSON.stringify(env)} was accepted`);
}

describe('values with spaces around them', () => {
  it('MAX_SIGNAL_AGE is accepted and kept without them, so the engine can read it', () => {
    // Bug: " 5m " passed the check as it was, and `start` then failed on it (timeframe " 5m " is not valid).
    const age = loadConfig({ MAX_SIGNAL_AGE: ' 5m ' }).MAX_SIGNAL_AGE;
    expect(age).toBe('5m');
    expect(timeframeToMs(age!)).toBe(300_000);
  });

  it('decimal numbers are read without them', () => {
    expect(loadConfig({ MAX_LEVERAGE: ' 2.5 ' }).MAX_LEVERAGE).toBe(2.5);
    expect(loadConfig({ PAPER_CASH: '\t500\t' }).PAPER_CASH).toBe(500);
  });
});

describe('anchored patterns refuse values that only contain a valid one', () => {
  it.each([
    ['SYMBOLS', 'x-BTC/USDT'],
    ['SYMBOLS', 'BTC/USDT-x'],
    ['MAX_SIGNAL_AGE', '5mx'],
    ['MAX_SIGNAL_AGE', 'x5m'],
  ])('%s=%j', (name, value) => {
    expect(refused({ [name]: value })).toEqual([expect.stringMatching(new RegExp(`^${name}: got ${JSON.stringify(value).replace(/[/\\]/g, '\\$&')} — expected`))]);
  });
});

describe('HTTP_HOST host names', () => {
  const label = (n: number) => 'a'.repeat(n);

  it.each(['a', 'bot-1', '1host', 'db.internal.example', 'my.x', 'a1.b2-c.d', `${label(63)}.example`, [label(63), label(63), label(63), label(61)].join('.')])('accepts %s', (host) => {
    expect(loadConfig({ HTTP_HOST: host }).HTTP_HOST).toBe(host);
  });

  it.each([
    ['longer than 253 characters', [label(63), label(63), label(63), label(63)].join('.')],
    ['a label of 64 characters', `${label(64)}.example`],
    ['a label ending in a dash', 'db-.example'],
    ['a label starting with a dash', 'db.-example'],
    ['an empty label', 'db..example'],
    ['a trailing dot', 'db.example.'],
    ['only digits and dots that are no address', '10.0.0.256'],
  ])('refuses %s', (_what, host) => {
    expect(refused({ HTTP_HOST: host })).toEqual([expect.stringMatching(/^HTTP_HOST: got .* — expected an address to bind/)]);
  });
});

describe('ALERT_LEVELS refusal', () => {
  it('lists the alert types one may name, comma-separated', () => {
    expect(DOMAIN_EVENT_TYPES).toContain('fill');
    expect(refused({ ALERT_LEVELS: 'fill:on,fills:off' })).toEqual([
      `ALERT_LEVELS: got "fill:on,fills:off" — "fills:off" is not TYPE:on|silent|off with TYPE one of ${DOMAIN_EVENT_TYPES.join(', ')}`,
    ]);
  });
});
