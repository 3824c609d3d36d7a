import { z } from 'zod';
import type { Command } from './command.ts';
import { scrubSecrets } from '../src/logger.ts';
import { ago, duration } from './format.ts';

const args = z.strictObject({});

const mark = (ok: boolean) => (ok ? '✓' : '✗');
const ms = (v: number | undefined) => (v === undefined ? '' : ` (${Math.round(v)} ms)`);

export const healthCommand: Command<typeof args> = {
  name: 'health',
  description: 'Database, market data freshness, exchange reachability and latency, engine ticks, version and uptime.',
  examples: ['/health'],
  args,
  role: 'viewer',
  async run(ctx) {
    const h = await ctx.services.health();
    const now = ctx.now();
    const ok = h.database.ok && !h.marketData.stale && h.exchange.ok && h.engine.ticking;
    return {
      title: `Health — ${ok ? 'all good' : 'attention needed'}`,
      text: [
        `${mark(h.database.ok)} database ${h.database.kind}${ms(h.database.latencyMs)}`,
        // Candle times are market time: measured against the market's clock (the sim's runs ahead of ours).
        `${mark(!h.marketData.stale)} market data: last candle ${ago(h.marketData.lastCandleAt, h.marketData.marketNow ?? now)}${h.marketData.simulated ? ' (simulated market time)' : ''}${h.marketData.stale ? ' — stale' : ''}`,
        `${mark(h.exchange.ok)} exchange ${h.exchange.id}${ms(h.exchange.latencyMs)}${h.exchange.error ? ` — ${scrubSecrets(h.exchange.error)}` : ''}`,
        ...(h.exchange.access && h.exchange.access.state !== 'ok' ? [`✗ exchange requests ${h.exchange.access.state}${h.exchange.access.until ? ` until ${new Date(h.exchange.access.until).toISOString()}` : ''}`] : []),
        ...(h.exchange.requests && h.exchange.requests.count > 0 ? [`exchange request latency p50 ${Math.round(h.exchange.requests.p50Ms!)} ms · p99 ${Math.round(h.exchange.requests.p99Ms!)} ms (${h.exchange.requests.count} requests)`] : []),
        `${mark(h.engine.ticking)} engine: last tick ${ago(h.engine.lastTickAt, now)}`,
        ...(h.role ? [`role: ${h.role}`] : []),
        `tradeops ${h.version}, up ${duration(h.uptimeMs)}`,
      ],
      tone: ok ? 'success' : 'warning',
    };
  },
};
