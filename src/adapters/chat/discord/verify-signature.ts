import { createPublicKey, verify, type KeyObject } from 'node:crypto';

/** DER SubjectPublicKeyInfo prefix of an Ed25519 key; the raw 32-byte key follows it. */
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

/** Discord signs `timestamp + body`; older than this (or as far in the future) is refused as a replay. */
export const MAX_SIGNATURE_AGE_S = 300;

export type SignatureCheck = 'ok' | 'missing' | 'malformed' | 'stale' | 'invalid';

/**
 * Verifier of Discord interaction requests (X-Signature-Ed25519, X-Signature-Timestamp) with
 * node:crypto only. The key is parsed once; every failure mode is reported, none throws.
 */
export function createDiscordVerifier(publicKeyHex: string): (signatureHex: string | undefined, timestamp: string | undefined, body: Buffer, nowMs?: number) => SignatureCheck {
  if (!/^[0-9a-fA-F]{64}$/.test(publicKeyHex)) throw new Error('DISCORD_PUBLIC_KEY must be 64 hex characters');
  const key: KeyObject = createPublicKey({ key: Buffer.concat([ED25519_SPKI_PREFIX, Buffer.from(publicKeyHex, 'hex')]), format: 'der', type: 'spki' });
  return (signatureHex, timestamp, body, nowMs = Date.now()) => {
    if (!signatureHex || !timestamp) return 'missing';
    if (!/^[0-9a-fA-F]{128}$/.test(signatureHex) || !/^\d{1,12}$/.test(timestamp)) return 'malformed';
    if (Math.abs(nowMs / 1000 - Number(timestamp)) > MAX_SIGNATURE_AGE_S) return 'stale';
    try {
      const ok = verify(null, Buffer.concat([Buffer.from(timestamp, 'utf8'), body]), key, Buffer.from(signatureHex, 'hex'));
      return ok ? 'ok' : 'invalid';
    } catch {
      return 'invalid';
    }
  };
}
