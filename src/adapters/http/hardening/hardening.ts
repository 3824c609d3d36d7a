import type { Context, Hono, MiddlewareHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { clientIp } from './client-ip.ts';
import { IpBans } from './ip-bans.ts';
import { RateLimiter } from './rate-limiter.ts';
import { securityHeaders } from './security-headers.ts';

export interface HardeningOptions {
  /** Largest request body in bytes (routes may lower or raise it with `limitRoute`). */
  bodyLimitBytes: number;
  /** Longest a handler may take before the answer is 503. */
  timeoutMs: number;
  /** Requests per minute per address per route. */
  ratePerMinute: number;
  /** Failed authentications (401, or a route's `markBadSignature`) within `banWindowMs` that ban the address. */
  banAfter: number;
  banWindowMs: number;
  banMs: number;
  /** Reverse proxies whose X-Forwarded-For is believed. */
  trustedProxies: readonly string[];
  now?: () => number;
  /** Every refusal and ban, for metrics and logs. */
  onEvent?: (e: HardeningEvent) => void;
}

/** The defaults behind the HTTP_* variables. */
export const DEFAULT_HARDENING: HardeningOptions = {
  bodyLimitBytes: 256 * 1024,
  timeoutMs: 10_000,
  ratePerMinute: 600,
  banAfter: 10,
  banWindowMs: 10 * 60_000,
  banMs: 15 * 60_000,
  trustedProxies: [],
};

export type HardeningOutcome = 'banned' | 'rate_limited' | 'too_large' | 'timeout' | 'bad_signature' | 'ban_started';
export interface HardeningEvent {
  outcome: HardeningOutcome;
  route: string;
  ip: string;
}

export interface RouteLimits {
  bodyLimitBytes?: number;
  ratePerMinute?: number;
  /** No per-route rate limit (liveness probes). */
  unlimited?: boolean;
}

/** What routes can use from the hardening layer. */
export interface HttpHardening {
  /** Give the routes under `prefix` their own limits (and their own rate-limit key). */
  limitRoute(prefix: string, limits: RouteLimits): void;
  /** The sender's address as the hardening layer sees it (after trusted proxies). */
  ip(c: Context): string;
  /** Count a failed signature/secret from this request's address towards a ban (401 answers count by themselves). */
  markBadSignature(c: Context): void;
  /** Addresses banned right now. */
  banned(): string[];
}

const BAD_SIGNATURE = 'hardening.badSignature';
const IP = 'hardening.ip';

/**
 * The middleware in front of every route of the HTTP server, in order: ban check, per-route rate
 * limit, body limit (from Content-Length and while streaming), handler timeout, security headers,
 * and counting of failed authentications into temporary bans. Mounted before any route, so a
 * route added later (webhooks, dashboard) is covered without doing anything.
 */
export function applyHardening(app: Hono, o: HardeningOptions): HttpHardening {
  const now = o.now ?? Date.now;
  const proxies = new Set(o.trustedProxies);
  const bans = new IpBans({ after: o.banAfter, windowMs: o.banWindowMs, banMs: o.banMs, now });
  const routes: Array<{ prefix: string; limits: RouteLimits; limiter?: RateLimiter }> = [];
  const fallback = new RateLimiter(o.ratePerMinute, now);
  const emit = (outcome: HardeningOutcome, route: string, ip: string) => o.onEvent?.({ outcome, route, ip });

  const routeOf = (path: string) => {
    let best: (typeof routes)[number] | undefined;
    for (const r of routes) if ((path === r.prefix || path.startsWith(`${r.prefix}/`)) && (!best || r.prefix.length > best.prefix.length)) best = r;
    // Unregistered paths share one key per first segment, so /charts/<id> does not make a key per id.
    return best ?? { prefix: `/${path.split('/')[1] ?? ''}`, limits: {} as RouteLimits, limiter: fallback };
  };
  const ipOf = (c: Context): string => (c.get(IP as never) as string | undefined) ?? clientIp(c, proxies);

  const guard: MiddlewareHandler = async (c, next) => {
    const ip = clientIp(c, proxies);
    c.set(IP as never, ip as never);
    const route = routeOf(c.req.path);
    const key = route.prefix;
    const banLeft = bans.bannedFor(ip);
    if (banLeft > 0) {
      emit('banned', key, ip);
      return c.json({ error: 'this address is temporarily banned after repeated failed authentication', retry_after: banLeft }, 403, { 'Retry-After': String(banLeft) });
    }
    if (!route.limits.unlimited) {
      const wait = (route.limiter ?? fallback).take(`${ip} ${key}`);
      if (wait > 0) {
        emit('rate_limited', key, ip);
        return c.json({ error: 'too many requests', retry_after: wait }, 429, { 'Retry-After': String(wait) });
      }
    }
    const maxBytes = route.limits.bodyLimitBytes ?? o.bodyLimitBytes;
    const declared = c.req.header('content-length');
    if (declared !== undefined && Number(declared) > maxBytes) {
      emit('too_large', key, ip);
      return c.json({ error: `request body larger than ${maxBytes} bytes` }, 413);
    }
    if (c.req.raw.body && declared === undefined) {
      // Chunked upload: read at most maxBytes + 1 and refuse beyond; routes then read the buffered copy.
      const buf = await readCapped(c.req.raw, maxBytes);
      if (buf === undefined) {
        emit('too_large', key, ip);
        return c.json({ error: `request body larger than ${maxBytes} bytes` }, 413);
      }
      c.req.raw = new Request(c.req.raw, { body: buf, duplex: 'half' } as RequestInit);
    }
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new HTTPException(503, { message: 'timeout' })), o.timeoutMs);
    });
    try {
      await Promise.race([next(), timeout]);
    } catch (err) {
      if (err instanceof HTTPException && err.message === 'timeout') {
        emit('timeout', key, ip);
        c.res = c.json({ error: `no answer within ${o.timeoutMs} ms` }, 503);
      } else throw err;
    } finally {
      clearTimeout(timer);
    }
    if (c.res.status === 401 || c.get(BAD_SIGNATURE as never)) {
      emit('bad_signature', key, ip);
      if (bans.fail(ip)) emit('ban_started', key, ip);
    }
  };

  app.use('*', securityHeaders());
  app.use('*', guard);

  return {
    limitRoute(prefix, limits) {
      routes.push({ prefix, limits, limiter: limits.ratePerMinute ? new RateLimiter(limits.ratePerMinute, now) : undefined });
    },
    ip: ipOf,
    markBadSignature(c) {
      c.set(BAD_SIGNATURE as never, true as never);
    },
    banned: () => bans.list(),
  };
}

async function readCapped(req: Request, maxBytes: number): Promise<Uint8Array | undefined> {
  const reader = req.body!.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined);
      return undefined;
    }
    chunks.push(value);
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const ch of chunks) {
    out.set(ch, at);
    at += ch.byteLength;
  }
  return out;
}
