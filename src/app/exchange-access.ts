import type { AccessChange, ExchangeAccess } from '../adapters/exchange/request-gate.ts';
import type { LatencySummary } from '../domain/latency.ts';
import type { EventBus } from '../engine/bus.ts';
import type { Logger } from '../logger.ts';
import type { TradingStateHolder } from '../risk/trading-state.ts';

/** What the app reads of an exchange connection's request gate. */
export interface ExchangeAccessSource {
  status(): ExchangeAccess;
  latency(): LatencySummary;
  onChange(listener: (change: AccessChange) => void): () => void;
}

const BAN_REASON = 'exchange IP ban';

/**
 * Turn request-gate changes into what people see: a ban halts trading (the state names it and its
 * end) with one critical alert; the probe that succeeds after the ban lifts that halt — unless
 * someone changed the state meanwhile. Rate-limit pauses are logged, not alerted (they end by
 * themselves within seconds).
 */
export function watchExchangeAccess(d: { access: ExchangeAccessSource; bus: EventBus; tradingState: TradingStateHolder; logger: Logger; now: () => number }): () => void {
  return d.access.onChange((change) => {
    if (change.type === 'banned') {
      const until = new Date(change.until).toISOString();
      d.logger.error({ until: change.until, reason: change.reason }, 'exchange banned this IP: every request is held until the ban ends');
      d.bus.publish({ type: 'exchange-error', ts: d.now(), kind: 'banned', message: `IP banned until ${until}: no request is sent until then; trading resumes after a successful probe (${change.reason})`, critical: true });
      void d.tradingState.set('HALTED', `${BAN_REASON} until ${until}`, 'system').catch((err: unknown) => d.logger.error({ err }, 'could not store the ban halt'));
    } else if (change.type === 'rate-limited') {
      d.logger.warn({ until: change.until, reason: change.reason }, 'exchange rate limit: every request is paused until Retry-After');
    } else if (change.after === 'ban') {
      const s = d.tradingState.get();
      d.logger.info('exchange ban over: the probe request succeeded');
      if (s.state === 'HALTED' && s.changedBy === 'system' && s.reason.startsWith(BAN_REASON)) {
        void d.tradingState.set('ACTIVE', 'exchange ban ended: probe request succeeded', 'system').catch((err: unknown) => d.logger.error({ err }, 'could not lift the ban halt'));
      }
    }
  });
}
