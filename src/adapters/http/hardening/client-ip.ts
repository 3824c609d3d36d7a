import type { Context } from 'hono';
import { getConnInfo } from '@hono/node-server/conninfo';

/** `::ffff:127.0.0.1` → `127.0.0.1`, so IPv4 peers look the same on a dual-stack socket. */
export function normaliseIp(ip: string): string {
  return ip.startsWith('::ffff:') && ip.includes('.') ? ip.slice(7) : ip;
}

/**
 * The address a request came from: the socket's peer, or — only when that peer is one of
 * `trustedProxies` — the right-most X-Forwarded-For entry that is not itself a trusted proxy.
 * Trusting the header from anyone would let every sender pick its own address (and dodge bans).
 */
export function clientIp(c: Context, trustedProxies: ReadonlySet<string>): string {
  let peer: string;
  try {
    peer = normaliseIp(getConnInfo(c).remote.address ?? 'unknown');
  } catch {
    peer = 'unknown';
  }
  if (trustedProxies.size === 0 || !trustedProxies.has(peer)) return peer;
  const chain = (c.req.header('x-forwarded-for') ?? '').split(',').map((s) => normaliseIp(s.trim())).filter(Boolean);
  for (let i = chain.length - 1; i >= 0; i--) if (!trustedProxies.has(chain[i]!)) return chain[i]!;
  return peer;
}
