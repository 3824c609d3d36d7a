import type { MetricsRecorder } from '../../ports/metrics.ts';

/**
 * Wrap a port object (market data, execution) so every call that returns a promise is timed into
 * the exchange latency histogram, and every failure counted by kind (`ExecutionError.kind`:
 * network, rate_limit, auth, banned, rejected, …). Methods run on the original object, so adapters
 * with private state are unaffected; synchronous members pass through untouched.
 */
export function instrumentExchange<T extends object>(port: T, metrics: MetricsRecorder, now: () => number = () => performance.now()): T {
  return new Proxy(port, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target) as unknown;
      if (typeof value !== 'function' || typeof prop !== 'string' || prop === 'constructor') return value;
      return (...args: unknown[]) => {
        const started = now();
        const result = (value as (...a: unknown[]) => unknown).apply(target, args);
        if (!(result instanceof Promise)) return result;
        return result.then(
          (v) => {
            metrics.exchangeRequest(prop, (now() - started) / 1000);
            return v;
          },
          (err: unknown) => {
            metrics.exchangeRequest(prop, (now() - started) / 1000, errorKind(err));
            throw err;
          },
        );
      };
    },
  });
}

function errorKind(err: unknown): string {
  const kind = (err as { kind?: unknown })?.kind;
  if (typeof kind === 'string' && /^[a-z_-]{1,32}$/.test(kind)) return kind;
  return 'internal';
}
