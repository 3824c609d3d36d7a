import type { Hono } from 'hono';
import type { Registry } from 'prom-client';
import { safeEqual } from '../../chat/secret-compare.ts';

/**
 * GET /metrics in the Prometheus text format. With a token set, only `Authorization: Bearer <token>`
 * gets an answer (compared in constant time); a wrong or missing token is a 401, which the hardening
 * layer counts towards a ban. Without a token the route is open — the start warns when the server
 * binds beyond loopback that way.
 */
export function mountMetricsRoute(app: Hono, o: { registry: Registry; token?: string }): void {
  app.get('/metrics', async (c) => {
    if (o.token) {
      const header = c.req.header('authorization') ?? '';
      const given = header.startsWith('Bearer ') ? header.slice(7).trim() : '';
      if (!given || !safeEqual(given, o.token)) return c.json({ error: 'a valid bearer token is required' }, 401, { 'WWW-Authenticate': 'Bearer realm="metrics"' });
    }
    return c.body(await o.registry.metrics(), 200, { 'content-type': o.registry.contentType });
  });
}

/** True for addresses only this machine can reach (127.0.0.0/8, ::1, localhost). */
export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}
