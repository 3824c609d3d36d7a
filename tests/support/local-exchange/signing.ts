import { createHmac, timingSafeEqual } from 'node:crypto';
import { apiErrors } from './api-error.ts';

/** Credentials the local exchange accepts unless a test passes its own. */
export const TEST_API_KEY = 'localTestApiKey0123456789abcdefLOCALKEY';
export const TEST_API_SECRET = 'localTestApiSecret0123456789abcdefLOCALSECRET';

export interface SignedRequest {
  apiKeyHeader: string | undefined;
  /** Raw query string without the leading '?'. */
  rawQuery: string;
  /** Raw form body ('' when none). */
  rawBody: string;
}

/** Remove `signature=<value>` (and its separator) from a raw parameter string; returns [rest, signature]. */
function splitSignature(raw: string): [string, string | undefined] {
  const parts = raw === '' ? [] : raw.split('&');
  let signature: string | undefined;
  const rest: string[] = [];
  for (const part of parts) {
    if (part.startsWith('signature=')) signature = decodeURIComponent(part.slice('signature='.length));
    else rest.push(part);
  }
  return [rest.join('&'), signature];
}

/**
 * Binance SIGNED endpoint check: the X-MBX-APIKEY header must be the known key (-2014/-2015, 401),
 * the HMAC-SHA256 (hex) of `queryString + body` without the signature must match (-1022), and the
 * timestamp must lie within recvWindow of the server clock (-1021).
 */
export function verifySignedRequest(req: SignedRequest, apiKey: string, secret: string, serverTime: number): void {
  if (req.apiKeyHeader === undefined || req.apiKeyHeader === '') throw apiErrors.keyFormat();
  if (req.apiKeyHeader !== apiKey) throw apiErrors.invalidKey();
  const [query, sigInQuery] = splitSignature(req.rawQuery);
  const [body, sigInBody] = splitSignature(req.rawBody);
  const signature = sigInQuery ?? sigInBody;
  if (signature === undefined) throw apiErrors.mandatory('signature');
  const payload = query + body;
  const expected = createHmac('sha256', secret).update(payload).digest('hex');
  const a = Buffer.from(expected);
  const b = Buffer.from(signature);
  if (a.length !== b.length || !timingSafeEqual(a, b)) throw apiErrors.badSignature();
  const params = new URLSearchParams(payload);
  const timestamp = Number(params.get('timestamp'));
  if (!Number.isFinite(timestamp) || timestamp <= 0) throw apiErrors.mandatory('timestamp');
  const recvWindow = Number(params.get('recvWindow') ?? 5000);
  if (timestamp > serverTime + 1000 || serverTime - timestamp > recvWindow) throw apiErrors.recvWindow();
}
