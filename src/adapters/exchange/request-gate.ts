import type { Exchange } from 'ccxt';
import { LatencyWindow, type LatencySummary } from '../../domain/latency.ts';
import { ExecutionError } from '../../ports/execution.ts';
import type { ClassifiedFailure } from './error-mapping.ts';

/** How requests to one exchange may go out right now. */
export interface ExchangeAccess {
  /** ok; paused (rate limited until `until`); banned (IP ban until `until`); probing (ban over, one request tests it). */
  state: 'ok' | 'paused' | 'banned' | 'probing';
  until?: number;
  reason?: string;
}

export type AccessChange =
  | { type: 'banned'; until: number; reason: string }
  | { type: 'rate-limited'; until: number; reason: string }
  | { type: 'resumed'; after: 'ban' | 'rate-limit' };

export interface RequestGateOptions {
  exchangeId: string;
  now: () => number;
  /** Pauses up to this long are waited out; longer ones fail at once with retryAt (no request sent). */
  maxWaitMs?: number;
  /** Pause after a 429 that names no Retry-After. */
  defaultPauseMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

/**
 * One gate per exchange connection, in front of every REST request (market data, orders, balances
 * alike — it wraps ccxt's `fetch`). A 429 pauses every request until Retry-After; a 418 (IP ban)
 * stops every request until the ban's end, then lets exactly one request through as a probe: its
 * success resumes traffic, another ban starts over. Nothing is sent while paused or banned — the
 * caller gets an ExecutionError with `retryAt`, or waits when the pause is short.
 *
 * Freqtrade and ccxt both retry a DDoSProtection per call; a per-call retry keeps the other paths
 * (klines polling, balance reads) hammering a venue that has already banned the IP, which is how a
 * 429 becomes a ban. Hence one gate for all paths.
 */
export class RequestGate {
  private mode: ExchangeAccess['state'] = 'ok';
  private until = 0;
  private reason = '';
  private pausedBy: 'ban' | 'rate-limit' = 'rate-limit';
  private probe: Promise<void> | undefined;
  private endProbe: (() => void) | undefined;
  private readonly listeners = new Set<(change: AccessChange) => void>();
  private readonly latencies = new LatencyWindow(1_000);
  private readonly sleep: (ms: number) => Promise<void>;
  /** Requests refused by the gate (never sent). */
  refused = 0;

  constructor(private readonly o: RequestGateOptions) {
    this.sleep = o.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
  }

  status(): ExchangeAccess {
    return this.mode === 'ok' ? { state: 'ok' } : { state: this.mode, until: this.until, reason: this.reason };
  }

  latency(): LatencySummary {
    return this.latencies.summary();
  }

  onChange(listener: (change: AccessChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Call before sending: resolves when the request may go out, or throws (nothing is sent). */
  async before(): Promise<void> {
    for (;;) {
      if (this.mode === 'probing') {
        if (!this.probe) {
          this.probe = new Promise((r) => (this.endProbe = r));
          return; // this request is the probe
        }
        await this.probe;
        continue;
      }
      if (this.mode === 'ok') return;
      const waitMs = this.until - this.o.now();
      if (waitMs <= 0) {
        this.endPause();
        continue;
      }
      const banned = this.mode === 'banned';
      if (banned || waitMs > (this.o.maxWaitMs ?? 10_000)) {
        this.refused++;
        const what = banned ? 'the exchange banned this IP' : 'the exchange rate-limited this IP';
        throw new ExecutionError(banned ? 'banned' : 'retryable', `${this.o.exchangeId}: no request sent — ${what} until ${new Date(this.until).toISOString()} (${this.reason})`, { retryAt: this.until });
      }
      const seen = this.until;
      await this.sleep(waitMs);
      // The sleep stands for the whole pause (tests inject an instant one); a newer pause starts over.
      if (this.until === seen && this.mode === 'paused') this.endPause();
    }
  }

  /** Record a request's answer. `failure` is the classified error when it failed. */
  after(latencyMs: number, failure?: Pick<ClassifiedFailure, 'kind' | 'retryAt' | 'retryAfterMs' | 'reason'>): void {
    this.latencies.record(latencyMs);
    const now = this.o.now();
    if (failure?.kind === 'banned') {
      const until = failure.retryAt ?? now + (failure.retryAfterMs ?? 120_000);
      const first = this.pausedBy !== 'ban' || this.mode === 'ok' || this.mode === 'paused';
      this.mode = 'banned';
      this.pausedBy = 'ban';
      this.until = Math.max(until, this.until);
      this.reason = failure.reason;
      this.finishProbe();
      if (first) this.emit({ type: 'banned', until: this.until, reason: failure.reason });
      return;
    }
    if (failure?.kind === 'rate-limit') {
      const until = failure.retryAt ?? now + (this.o.defaultPauseMs ?? 1_000);
      if (this.mode === 'banned' && this.until > until) return;
      if (this.mode !== 'probing') this.pausedBy = 'rate-limit';
      this.mode = this.mode === 'probing' ? 'banned' : 'paused';
      this.until = Math.max(until, this.until);
      this.reason = failure.reason;
      this.finishProbe();
      if (this.mode === 'paused') this.emit({ type: 'rate-limited', until: this.until, reason: failure.reason });
      return;
    }
    if (this.mode === 'probing') {
      // Any answer that is not a ban or rate limit proves the IP is served again.
      this.mode = 'ok';
      this.finishProbe();
      this.emit({ type: 'resumed', after: 'ban' });
    }
  }

  private endPause(): void {
    if (this.mode === 'banned') {
      this.mode = 'probing';
      return;
    }
    this.mode = 'ok';
    this.emit({ type: 'resumed', after: 'rate-limit' });
  }

  private finishProbe(): void {
    const end = this.endProbe;
    this.probe = undefined;
    this.endProbe = undefined;
    end?.();
  }

  private emit(change: AccessChange): void {
    for (const l of this.listeners) {
      try {
        l(change);
      } catch {
        // a listener's failure must not break the request path
      }
    }
  }
}

/**
 * Route every REST request of a ccxt instance through the gate: wait or refuse before sending,
 * record latency and the classified failure after.
 */
export function gateRequests(ex: Exchange, gate: RequestGate, classify: (err: unknown) => ClassifiedFailure): void {
  type FetchFn = (url: string, method?: string, headers?: unknown, body?: unknown) => Promise<unknown>;
  const target = ex as unknown as { fetch: FetchFn };
  const original = target.fetch.bind(ex) as FetchFn;
  target.fetch = async (url, method, headers, body) => {
    await gate.before();
    const t0 = performance.now();
    try {
      const res = await original(url, method, headers, body);
      gate.after(performance.now() - t0);
      return res;
    } catch (err) {
      gate.after(performance.now() - t0, classify(err));
      throw err;
    }
  };
}
