import type { Context } from 'hono';
import type { HttpHardening } from '../hardening/hardening.ts';
import { RateLimiter } from '../hardening/rate-limiter.ts';
import { parseSignalBody } from '../../../signals/parse-signal.ts';
import { SignalRefusal } from '../../../signals/signal.ts';
import { authenticateSource, type SignalSource } from '../../../signals/sources.ts';

export interface WebhookAuthOptions {
  sources: readonly SignalSource[];
  /** Sender addresses allowed (SIGNAL_ALLOWED_IPS); empty = any. */
  allowedIps: ReadonlySet<string>;
  now: () => number;
}

export interface Authenticated {
  source: SignalSource;
  body: Record<string, unknown>;
  ip: string;
}

/**
 * The front half shared by /webhooks/signal and /webhooks/factor: sender address allowed (403), raw
 * body parsed (400), source authenticated by X-Signature (HMAC-SHA256 of the raw body) or by the
 * body's passphrase (401, counted towards a ban), per-source rate limit (429).
 */
export function createWebhookAuth(o: WebhookAuthOptions, hardening: HttpHardening) {
  const limiters = new Map(o.sources.map((s) => [s.name, new RateLimiter(s.rateLimit, o.now)]));
  return async function authenticate(c: Context): Promise<Authenticated> {
    const ip = hardening.ip(c);
    if (o.allowedIps.size > 0 && !o.allowedIps.has(ip)) throw new SignalRefusal(403, 'ip_not_allowed', `sender address ${ip} is not in SIGNAL_ALLOWED_IPS`);
    const raw = await c.req.text();
    const signature = c.req.header('x-signature');
    let body: Record<string, unknown> | undefined;
    let source: SignalSource | undefined;
    if (signature) {
      source = authenticateSource(o.sources, { signature, rawBody: raw });
      if (!source) throw new SignalRefusal(401, 'bad_signature', 'X-Signature is not the HMAC-SHA256 of the body under any source secret');
      body = parseSignalBody(raw);
    } else {
      body = parseSignalBody(raw);
      const passphrase = body.passphrase ?? body.secret;
      if (passphrase === undefined) throw new SignalRefusal(401, 'unauthenticated', 'send the passphrase field or an X-Signature header', 'passphrase');
      source = authenticateSource(o.sources, { passphrase, rawBody: raw });
      if (!source) throw new SignalRefusal(401, 'bad_passphrase', 'wrong passphrase', 'passphrase');
    }
    const wait = limiters.get(source.name)!.take(source.name);
    if (wait > 0) throw Object.assign(new SignalRefusal(429, 'rate_limited', `source ${source.name} is over its rate limit of ${source.rateLimit} per minute`), { retryAfter: wait });
    return { source, body, ip };
  };
}

/** A refusal as the JSON answer: `{ ok: false, error, reason, field? }`. */
export function refusalResponse(c: Context, r: SignalRefusal): Response {
  const headers: Record<string, string> = {};
  const retry = (r as SignalRefusal & { retryAfter?: number }).retryAfter;
  if (retry) headers['Retry-After'] = String(retry);
  return c.json({ ok: false, error: r.message, reason: r.reason, ...(r.field ? { field: r.field } : {}) }, r.status, headers);
}
