import type { MiddlewareHandler } from 'hono';

/**
 * A strict policy for any HTML the server sends: only same-origin scripts, styles, images and
 * fetches; no framing, no plugins, no inline script. Pages that need more set their own header.
 */
export const HTML_CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/**
 * Headers on every response. Everything this server says is private (balances, positions, charts of
 * one account), so `Cache-Control: no-store` unless a route chose its own caching.
 */
export function securityHeaders(): MiddlewareHandler {
  return async (c, next) => {
    await next();
    const h = c.res.headers;
    h.set('X-Content-Type-Options', 'nosniff');
    h.set('Referrer-Policy', 'no-referrer');
    h.set('X-Frame-Options', 'DENY');
    h.set('Cross-Origin-Resource-Policy', 'same-origin');
    if (!h.has('Cache-Control')) h.set('Cache-Control', 'no-store');
    if ((h.get('Content-Type') ?? '').toLowerCase().startsWith('text/html') && !h.has('Content-Security-Policy')) h.set('Content-Security-Policy', HTML_CSP);
  };
}
