import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Hono } from 'hono';
import { getRequestListener } from '@hono/node-server';
import type { Logger } from '../../logger.ts';
import { applyHardening, DEFAULT_HARDENING, type HardeningOptions, type HttpHardening } from './hardening/hardening.ts';

export interface ReadinessProbe {
  name: string;
  check(): Promise<boolean>;
}

export interface HttpServerOptions {
  host: string;
  port: number;
  logger: Logger;
  /** Checks behind GET /readyz (database, migrations, engine ticking). */
  readiness: ReadinessProbe[];
  /** Limits, bans and headers applied to every route (see hardening/hardening.ts); defaults fill what is left out. */
  hardening?: Partial<HardeningOptions>;
  /** Routes added by other components (webhooks, metrics, charts); all of them sit behind the hardening. */
  mount?: Array<(app: Hono, hardening: HttpHardening) => void>;
  /** Extra fields of GET /healthz (the process's role among several). */
  healthz?: () => Record<string, unknown>;
}

export interface HttpServer {
  readonly app: Hono;
  readonly hardening: HttpHardening;
  readonly url: string;
  close(): Promise<void>;
}

/**
 * The one HTTP server of the process. Hono keeps routing and request parsing declarative; raw bodies
 * stay available (`c.req.text()`) for signature checks of LINE and Discord.
 */
export async function startHttpServer(options: HttpServerOptions): Promise<HttpServer> {
  const app = new Hono();
  const log = options.logger;
  const limits: HardeningOptions = { ...DEFAULT_HARDENING, ...options.hardening };
  const hardening = applyHardening(app, limits);
  hardening.limitRoute('/healthz', { unlimited: true });

  app.get('/healthz', (c) => c.json({ status: 'ok', ...options.healthz?.() }));
  app.get('/readyz', async (c) => {
    const results: Record<string, boolean> = {};
    await Promise.all(
      options.readiness.map(async (p) => {
        try {
          results[p.name] = await p.check();
        } catch {
          results[p.name] = false;
        }
      }),
    );
    const ready = Object.values(results).every(Boolean);
    return c.json({ status: ready ? 'ready' : 'not ready', checks: results }, ready ? 200 : 503);
  });
  for (const mount of options.mount ?? []) mount(app, hardening);
  app.notFound((c) => c.json({ error: 'not found' }, 404));
  app.onError((err, c) => {
    log.error({ err, path: c.req.path }, 'http handler failed');
    return c.json({ error: 'internal error' }, 500);
  });

  const server: Server = createServer(getRequestListener(app.fetch));
  server.keepAliveTimeout = 5_000;
  // Slow senders (slowloris) get as long as a handler does to deliver headers and body, no longer.
  server.headersTimeout = Math.min(10_000, limits.timeoutMs);
  server.requestTimeout = limits.timeoutMs;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const addr = server.address() as AddressInfo;
  const host = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  const url = `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${addr.port}`;
  return {
    app,
    hardening,
    url,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeIdleConnections();
        const timer = setTimeout(() => server.closeAllConnections(), 3_000);
        server.close(() => {
          clearTimeout(timer);
          resolve();
        });
      }),
  };
}
