import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Hono } from 'hono';

/**
 * Charts served by URL (LINE image messages need a public URL, not an upload). Each link is an
 * unguessable token (32 random bytes, base64url) that expires; the file path never appears in the
 * URL. Links live in memory: a restart invalidates them, which is fine for an image the platform
 * fetches within seconds of the message.
 */
export interface ChartLinks {
  /** Whether links can be made (PUBLIC_URL is set). */
  readonly enabled: boolean;
  /** A public URL for the PNG at `path`, or undefined when PUBLIC_URL is unset. */
  create(path: string, ttlMs?: number): string | undefined;
  /** Adds `GET /charts/:token.png` to the app (once per app). */
  mount(app: Hono): void;
  /** Live links (tests, metrics). */
  size(): number;
}

export interface ChartLinksOptions {
  /** Public base URL of the HTTP server (PUBLIC_URL); undefined disables links. */
  publicUrl?: string;
  /** Default lifetime of a link (1 hour). */
  ttlMs?: number;
  /** Bound on live links; the oldest go first. */
  maxLinks?: number;
  now?: () => number;
}

const TOKEN = /^[A-Za-z0-9_-]{43}$/;

export function createChartLinks(options: ChartLinksOptions = {}): ChartLinks {
  const now = options.now ?? Date.now;
  const ttl = options.ttlMs ?? 3_600_000;
  const max = options.maxLinks ?? 5_000;
  const links = new Map<string, { path: string; expiresAt: number }>();
  const base = options.publicUrl?.replace(/\/+$/, '');
  const mounted = new WeakSet<Hono>();

  const sweep = () => {
    const t = now();
    for (const [token, link] of links) if (link.expiresAt <= t) links.delete(token);
    while (links.size > max) links.delete(links.keys().next().value as string);
  };

  return {
    enabled: Boolean(base),
    create(path, ttlMs = ttl) {
      if (!base) return undefined;
      sweep();
      const token = randomBytes(32).toString('base64url');
      links.set(token, { path, expiresAt: now() + ttlMs });
      return `${base}/charts/${token}.png`;
    },
    mount(app) {
      // Idempotent: the composition root and the chat may both mount it.
      if (mounted.has(app)) return;
      mounted.add(app);
      app.get('/charts/:file', async (c) => {
        const file = c.req.param('file');
        const token = file.endsWith('.png') ? file.slice(0, -4) : '';
        const link = TOKEN.test(token) ? links.get(token) : undefined;
        if (!link || link.expiresAt <= now()) {
          if (link) links.delete(token);
          return c.json({ error: 'not found' }, 404);
        }
        let png: Buffer;
        try {
          png = await readFile(link.path);
        } catch {
          return c.json({ error: 'not found' }, 404);
        }
        const maxAge = Math.max(0, Math.floor((link.expiresAt - now()) / 1000));
        return c.body(new Uint8Array(png), 200, {
          'Content-Type': 'image/png',
          'Cache-Control': `private, max-age=${maxAge}`,
          'X-Content-Type-Options': 'nosniff',
        });
      });
    },
    size() {
      sweep();
      return links.size;
    },
  };
}
