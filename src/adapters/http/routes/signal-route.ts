import { createHash } from 'node:crypto';
import type { Context, Hono } from 'hono';
import type { Logger } from '../../../logger.ts';
import type { MetricsRecorder } from '../../../ports/metrics.ts';
import { canonicalFields, normaliseSignal } from '../../../signals/parse-signal.ts';
import { SignalRefusal, type Signal } from '../../../signals/signal.ts';
import type { IntakePriority } from '../../../signals/intake-priority.ts';
import type { QueuedSignal } from '../../../signals/signal-processor.ts';
import type { SignalSource } from '../../../signals/sources.ts';
import type { HttpHardening } from '../hardening/hardening.ts';
import { createWebhookAuth, refusalResponse, type WebhookAuthOptions } from './webhook-auth.ts';

export const SIGNAL_PATH = '/webhooks/signal';

/** One audit entry per request: who, what, and how it ended. Never holds the passphrase. */
export interface WebhookAuditEntry {
  route: string;
  source?: string;
  ip: string;
  decision: 'allowed' | 'refused' | 'invalid' | 'rate_limited' | 'duplicate';
  reason: string;
  args?: unknown;
}

export interface SignalRouteOptions extends WebhookAuthOptions {
  symbols: readonly string[];
  maxLagSeconds: number;
  /** Record the signal; false when this (source, id) was already seen. */
  record(source: string, signal: Signal, receivedAt: number): Promise<boolean>;
  enqueue(item: QueuedSignal): void;
  audit(entry: WebhookAuditEntry): Promise<void>;
  metrics: MetricsRecorder;
  logger: Logger;
  /** Marks requests in flight so that signal processing waits for them. */
  intake?: IntakePriority;
}

/**
 * POST /webhooks/signal (TradingView, 3Commas-style and custom senders). Every refusal is a JSON
 * body naming the reason (and the field) with its status: 401 secret, 403 address or symbol, 400
 * malformed, 409 too old, 429 over the source's rate, 200 `duplicate: true` for a known id. An
 * accepted signal is stored before the answer and processed after it, so the sender gets its answer
 * in milliseconds and a restart loses nothing.
 */
export function mountSignalRoute(app: Hono, hardening: HttpHardening, o: SignalRouteOptions): void {
  const authenticate = createWebhookAuth(o, hardening);
  hardening.limitRoute(SIGNAL_PATH, { bodyLimitBytes: 16 * 1024 });
  app.post(SIGNAL_PATH, async (c) => {
    o.intake?.enter();
    try {
      return await intake(c);
    } finally {
      o.intake?.leave();
    }
  });

  async function intake(c: Context): Promise<Response> {
    const receivedAt = o.now();
    let source: SignalSource | undefined;
    let signal: Signal | undefined;
    const ip = hardening.ip(c);
    const done = (decision: WebhookAuditEntry['decision'], reason: string) => {
      o.metrics.webhook(SIGNAL_PATH, reason);
      o.audit({ route: SIGNAL_PATH, source: source?.name, ip, decision, reason, args: signal }).catch((err) => o.logger.error({ err }, 'signal audit failed'));
    };
    try {
      const auth = await authenticate(c);
      source = auth.source;
      const fields = canonicalFields(auth.body);
      const fallbackId = `sha256:${createHash('sha256').update(await c.req.text()).digest('hex').slice(0, 32)}`;
      signal = normaliseSignal(fields, { symbols: o.symbols, fallbackId });
      if (signal.symbol && source.symbols && !source.symbols.includes(signal.symbol)) {
        throw new SignalRefusal(403, 'symbol_not_allowed', `symbol: ${signal.symbol} is not among the symbols source ${source.name} may trade (${source.symbols.join(', ')})`, 'symbol');
      }
      if (signal.time !== undefined) {
        const lag = Math.min(signal.maxLag ?? Infinity, o.maxLagSeconds);
        const age = (receivedAt - signal.time) / 1000;
        if (age > lag) throw new SignalRefusal(409, 'too_old', `time: the signal is ${Math.round(age)} s old, more than the ${lag} s allowed (SIGNAL_MAX_LAG / max_lag)`, 'time');
        if (-age > lag) throw new SignalRefusal(409, 'from_the_future', `time: the signal is ${Math.round(-age)} s in the future (sender clock?), more than the ${lag} s allowed`, 'time');
      }
      if (!(await o.record(source.name, signal, receivedAt))) {
        done('duplicate', 'duplicate');
        return c.json({ ok: true, duplicate: true, id: signal.id });
      }
      o.enqueue({ source, signal, receivedAt });
      done('allowed', 'accepted');
      return c.json({ ok: true, accepted: true, id: signal.id });
    } catch (err) {
      if (!(err instanceof SignalRefusal)) throw err;
      if (err.status === 401) hardening.markBadSignature(c);
      done(err.status === 429 ? 'rate_limited' : err.status === 400 ? 'invalid' : 'refused', err.reason);
      return refusalResponse(c, err);
    }
  }
}
