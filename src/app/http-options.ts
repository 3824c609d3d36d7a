import type { HardeningOptions } from '../adapters/http/hardening/hardening.ts';
import type { Config } from '../config.ts';
import type { Logger } from '../logger.ts';
import type { MetricsRecorder } from '../ports/metrics.ts';

/** HTTP_* variables → the hardening layer's options; refusals and bans go to metrics and the log. */
export function hardeningOptions(config: Config, metrics: MetricsRecorder, logger: Logger): HardeningOptions {
  return {
    bodyLimitBytes: config.HTTP_BODY_LIMIT_KB * 1024,
    timeoutMs: config.HTTP_TIMEOUT_SECONDS * 1000,
    ratePerMinute: config.HTTP_RATE_LIMIT,
    banAfter: config.HTTP_BAN_AFTER,
    banWindowMs: 10 * 60_000,
    banMs: config.HTTP_BAN_MINUTES * 60_000,
    trustedProxies: config.HTTP_TRUSTED_PROXIES,
    onEvent(e) {
      metrics.httpRefusal(e.route, e.outcome);
      if (e.outcome === 'ban_started') logger.warn({ ip: e.ip, route: e.route, minutes: config.HTTP_BAN_MINUTES }, 'address banned after repeated failed authentication');
    },
  };
}
