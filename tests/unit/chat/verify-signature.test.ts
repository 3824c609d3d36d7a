import { generateKeyPairSync, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createDiscordVerifier } from '../../../src/adapters/chat/discord/verify-signature.ts';

function keys() {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const raw = publicKey.export({ format: 'der', type: 'spki' }).subarray(12);
  return { hex: Buffer.from(raw).toString('hex'), privateKey };
}

describe('Discord Ed25519 verification', () => {
  const { hex, privateKey } = keys();
  const verify = createDiscordVerifier(hex);
  const now = 1_750_000_000_000;
  const ts = String(now / 1000);
  const body = Buffer.from('{"type":1}');
  const sig = sign(null, Buffer.concat([Buffer.from(ts), body]), privateKey).toString('hex');

  it('accepts a request signed with the matching private key', () => {
    expect(verify(sig, ts, body, now)).toBe('ok');
  });

  it('refuses a changed body, another key, or a changed timestamp', () => {
    expect(verify(sig, ts, Buffer.from('{"type":2}'), now)).toBe('invalid');
    const other = keys();
    expect(createDiscordVerifier(other.hex)(sig, ts, body, now)).toBe('invalid');
    expect(verify(sig, String(Number(ts) + 1), body, now)).toBe('invalid');
  });

  it('refuses stale or future timestamps beyond five minutes even with a valid signature', () => {
    const old = String(now / 1000 - 301);
    const oldSig = sign(null, Buffer.concat([Buffer.from(old), body]), privateKey).toString('hex');
    expect(verify(oldSig, old, body, now)).toBe('stale');
    expect(verify(oldSig, old, body, now - 2_000)).toBe('ok');
    // Signed 301 s in the future (a replay prepared with a skewed clock): refused the same way.
    const future = String(now / 1000 + 301);
    const futureSig = sign(null, Buffer.concat([Buffer.from(future), body]), privateKey).toString('hex');
    expect(verify(futureSig, future, body, now)).toBe('stale');
    expect(verify(futureSig, future, body, now + 2_000)).toBe('ok');
    // Exactly five minutes either way is still accepted.
    for (const edge of [now / 1000 - 300, now / 1000 + 300]) {
      const edgeSig = sign(null, Buffer.concat([Buffer.from(String(edge)), body]), privateKey).toString('hex');
      expect(verify(edgeSig, String(edge), body, now), `timestamp ${edge}`).toBe('ok');
    }
  });

  it('reports missing and malformed headers without throwing', () => {
    expect(verify(undefined, ts, body, now)).toBe('missing');
    expect(verify(sig, undefined, body, now)).toBe('missing');
    expect(verify('zz', ts, body, now)).toBe('malformed');
    expect(verify(sig, 'abc', body, now)).toBe('malformed');
  });

  it('rejects a public key that is not 64 hex characters', () => {
    expect(() => createDiscordVerifier('abcd')).toThrow(/64 hex/);
  });
});

describe('Discord Ed25519 verification: the exact header and key formats', () => {
  const { hex, privateKey } = keys();
  const now = 1_750_000_000_000;
  const ts = String(now / 1000);
  const body = Buffer.from('{"type":1}');
  const sig = sign(null, Buffer.concat([Buffer.from(ts), body]), privateKey).toString('hex');

  it('accepts the key and the signature in upper-case hex', () => {
    expect(createDiscordVerifier(hex.toUpperCase())(sig.toUpperCase(), ts, body, now)).toBe('ok');
  });

  it('refuses a key that is not exactly 64 hex characters', () => {
    for (const bad of [`${hex}0`, hex.slice(1), `x${hex.slice(1)}`, `${hex.slice(0, 63)}g`, ` ${hex}`]) {
      expect(() => createDiscordVerifier(bad), bad).toThrow('DISCORD_PUBLIC_KEY must be 64 hex characters');
    }
  });

  it('reports empty headers as missing', () => {
    const verify = createDiscordVerifier(hex);
    expect(verify('', ts, body, now)).toBe('missing');
    expect(verify(sig, '', body, now)).toBe('missing');
  });

  it('reports a signature that is not exactly 128 hex characters, or a timestamp that is not 1-12 digits, as malformed', () => {
    const verify = createDiscordVerifier(hex);
    for (const bad of [sig.slice(1), `${sig}0`, `${sig.slice(0, 127)}g`, `g${sig.slice(1)}`, ` ${sig.slice(1)}`]) expect(verify(bad, ts, body, now), bad).toBe('malformed');
    for (const bad of ['1750000000000', '-1750000000', '+1750000000', '1750000000.0', ' 1750000000', '1750000000 ', '17500x0000']) expect(verify(sig, bad, body, now), bad).toBe('malformed');
  });

  it('measures the age to the millisecond of the clock: 300 s is accepted, 300.001 s is stale', () => {
    const verify = createDiscordVerifier(hex);
    expect(verify(sig, ts, body, now + 300_000)).toBe('ok');
    expect(verify(sig, ts, body, now + 300_001)).toBe('stale');
    expect(verify(sig, ts, body, now - 300_001)).toBe('stale');
  });

  it('reports a well-formed signature that is not a point on the curve as invalid, without throwing', () => {
    const verify = createDiscordVerifier(hex);
    expect(verify('f'.repeat(128), ts, body, now)).toBe('invalid');
    expect(verify('0'.repeat(128), ts, body, now)).toBe('invalid');
  });
});
