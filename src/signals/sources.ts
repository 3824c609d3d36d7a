import { createHmac } from 'node:crypto';
import { z } from 'zod';
import { safeEqual } from '../domain/safe-equal.ts';

/** A sender of signals and factors: its own secret, what it may trade, how much and how often. */
export interface SignalSource {
  name: string;
  secret: string;
  /** Symbols it may trade (exchange form, BTC/USDT); undefined = every configured symbol. */
  symbols?: readonly string[];
  /** Largest quote amount of one order it may cause; undefined = no cap beyond the risk gate. */
  maxAmount?: number;
  /** Signals per minute. */
  rateLimit: number;
}

const sourceSchema = z
  .object({
    secret: z.string().min(12, 'expected at least 12 characters'),
    symbols: z.array(z.string().regex(/^[A-Z0-9]{2,20}\/[A-Z0-9]{2,20}(:[A-Z0-9]{2,20})?$/, 'expected exchange symbols such as BTC/USDT')).min(1).optional(),
    max_amount: z.number().positive('expected a positive quote amount').optional(),
    rate_limit: z.number().int().min(1).max(100_000).optional(),
  })
  .strict();

/**
 * SIGNAL_SECRET is the source named `tradingview`; SIGNAL_SOURCES (a JSON object of name → settings)
 * adds more. Throws an Error whose message names the source and the field at fault.
 */
export function parseSignalSources(secret: string | undefined, sourcesJson: string | undefined, defaultRate: number): SignalSource[] {
  const out: SignalSource[] = [];
  if (secret) out.push({ name: 'tradingview', secret, rateLimit: defaultRate });
  if (!sourcesJson) return out;
  let raw: unknown;
  try {
    raw = JSON.parse(sourcesJson);
  } catch {
    throw new Error('expected a JSON object such as {"tv":{"secret":"at-least-12-chars","symbols":["BTC/USDT"],"max_amount":500,"rate_limit":10}}');
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw new Error('expected a JSON object of source name → {secret, symbols?, max_amount?, rate_limit?}');
  for (const [name, value] of Object.entries(raw)) {
    if (!/^[a-z0-9][a-z0-9_-]{0,31}$/.test(name)) throw new Error(`source "${name}": names are 1-32 lowercase letters, digits, _ and -`);
    if (out.some((s) => s.name === name)) throw new Error(`source "${name}" is defined twice (SIGNAL_SECRET already defines "tradingview")`);
    const r = sourceSchema.safeParse(value);
    if (!r.success) {
      const issue = r.error.issues[0]!;
      throw new Error(`source "${name}": ${issue.path.length ? `${issue.path.join('.')}: ` : ''}${issue.message}`);
    }
    if (out.some((s) => s.secret === r.data.secret)) throw new Error(`source "${name}": its secret is the same as another source's`);
    out.push({ name, secret: r.data.secret, symbols: r.data.symbols, maxAmount: r.data.max_amount, rateLimit: r.data.rate_limit ?? defaultRate });
  }
  return out;
}

/** HMAC-SHA256 of the raw body, hex — what a sender puts in X-Signature. */
export function signBody(rawBody: string, secret: string): string {
  return createHmac('sha256', secret).update(rawBody).digest('hex');
}

/**
 * Which source sent this: by X-Signature (HMAC-SHA256 of the raw body, hex, optionally prefixed
 * `sha256=`) or by the passphrase in the body. Every comparison is constant-time and every source is
 * tried, so timing tells nothing about which secret came close.
 */
export function authenticateSource(sources: readonly SignalSource[], given: { signature?: string; passphrase?: unknown; rawBody: string }): SignalSource | undefined {
  let found: SignalSource | undefined;
  const sig = given.signature?.trim().replace(/^sha256=/i, '').toLowerCase();
  const pass = typeof given.passphrase === 'string' ? given.passphrase : undefined;
  for (const s of sources) {
    const ok = sig ? safeEqual(sig, signBody(given.rawBody, s.secret)) : pass !== undefined ? safeEqual(pass, s.secret) : false;
    if (ok && !found) found = s;
  }
  return found;
}
