import type { Hono } from 'hono';
import type { Logger } from '../../../logger.ts';
import type { FactorStore } from '../../../ports/factors.ts';
import type { MetricsRecorder } from '../../../ports/metrics.ts';
import { parseFactors } from '../../../signals/parse-factors.ts';
import { SignalRefusal } from '../../../signals/signal.ts';
import type { SignalSource } from '../../../signals/sources.ts';
import type { HttpHardening } from '../hardening/hardening.ts';
import type { WebhookAuditEntry } from './signal-route.ts';
import { createWebhookAuth, refusalResponse, type WebhookAuthOptions } from './webhook-auth.ts';

export const FACTOR_PATH = '/webhooks/factor';

export interface FactorRouteOptions extends WebhookAuthOptions {
  symbols: readonly string[];
  store: FactorStore;
  audit(entry: WebhookAuditEntry): Promise<void>;
  metrics: MetricsRecorder;
  logger: Logger;
}

/** POST /webhooks/factor: the same authentication as signals; stores time-stamped numeric factors. */
export function mountFactorRoute(app: Hono, hardening: HttpHardening, o: FactorRouteOptions): void {
  const authenticate = createWebhookAuth(o, hardening);
  hardening.limitRoute(FACTOR_PATH, { bodyLimitBytes: 16 * 1024 });
  app.post(FACTOR_PATH, async (c) => {
    let source: SignalSource | undefined;
    const ip = hardening.ip(c);
    const done = (decision: WebhookAuditEntry['decision'], reason: string, args?: unknown) => {
      o.metrics.webhook(FACTOR_PATH, reason);
      o.audit({ route: FACTOR_PATH, source: source?.name, ip, decision, reason, args }).catch((err) => o.logger.error({ err }, 'factor audit failed'));
    };
    try {
      const auth = await authenticate(c);
      source = auth.source;
      const readings = parseFactors(auth.body, { symbols: o.symbols, now: o.now(), allowedSymbols: source.symbols });
      const newer = await o.store.record(readings, source.name);
      done('allowed', 'accepted', readings);
      return c.json({ ok: true, stored: readings.length, newer });
    } catch (err) {
      if (!(err instanceof SignalRefusal)) throw err;
      if (err.status === 401) hardening.markBadSignature(c);
      done(err.status === 429 ? 'rate_limited' : err.status === 400 ? 'invalid' : 'refused', err.reason);
      return refusalResponse(c, err);
    }
  });
}
