/**
 * Per-call fault injection for the local exchange. Faults are queued per endpoint key
 * (`'POST /api/v3/order'`, `'GET /fapi/v1/klines'`, or `'*'` for any endpoint) and each call consumes one.
 */

/** Answer with this status/body/headers instead of serving the call (nothing is processed). */
export interface RespondFault {
  status: number;
  /** Object → JSON; string → sent as-is (e.g. an HTML 502 page). */
  body?: unknown;
  headers?: Record<string, string>;
}

/** Wait, then serve the call normally. */
export interface DelayFault {
  delayMs: number;
}

/** Never answer (the client times out); the socket is destroyed when the server closes. */
export interface HangFault {
  hang: true;
}

/** Drop the connection before serving (TCP reset): nothing is processed, the client sees ECONNRESET. */
export interface ResetFault {
  reset: true;
}

/**
 * Serve the call (an order is created, balances move), then lose the answer: reply with a 5xx
 * (`status`, default 500) or never reply (`'hang'`), so the client cannot know the outcome.
 */
export interface RecordThenFailFault {
  recordThenFail: 'hang' | { status?: number; body?: unknown };
}

export type Fault = RespondFault | DelayFault | HangFault | ResetFault | RecordThenFailFault;

/** Binance's error JSON, for building RespondFault bodies. */
export function binanceError(code: number, msg: string): { code: number; msg: string } {
  return { code, msg };
}

/** Ready-made faults for the cases the test suite exercises. */
export const FAULTS = {
  rateLimited: (retryAfterSeconds = 1): RespondFault => ({
    status: 429,
    headers: { 'Retry-After': String(retryAfterSeconds) },
    body: binanceError(-1003, 'Too many requests; current limit of IP(127.0.0.1) is 6000 requests per minute. Please use the websocket for live updates to avoid polling the API.'),
  }),
  banned: (untilMs: number, retryAfterSeconds = 120): RespondFault => ({
    status: 418,
    headers: { 'Retry-After': String(retryAfterSeconds) },
    body: binanceError(-1003, `Way too much request weight used; IP banned until ${untilMs}. Please use WebSocket Streams for live updates to avoid bans.`),
  }),
  unavailable: (): RespondFault => ({ status: 503, body: binanceError(-1008, 'Service Unavailable.') }),
  /** Binance's 503 when the matching engine did not answer in time: the order may well have executed. */
  executionUnknown: (): RecordThenFailFault => ({ recordThenFail: { status: 503, body: binanceError(-1007, 'Timeout waiting for response from backend server. Send status unknown; execution status unknown.') } }),
  badGatewayHtml: (): RespondFault => ({ status: 502, body: '<html><body><h1>502 Bad Gateway</h1></body></html>', headers: { 'Content-Type': 'text/html' } }),
  insufficientBalance: (): RespondFault => ({ status: 400, body: binanceError(-2010, 'Account has insufficient balance for requested action.') }),
  invalidSymbol: (): RespondFault => ({ status: 400, body: binanceError(-1121, 'Invalid symbol.') }),
  filterFailure: (filter = 'LOT_SIZE'): RespondFault => ({ status: 400, body: binanceError(-1013, `Filter failure: ${filter}`) }),
  invalidKey: (): RespondFault => ({ status: 401, body: binanceError(-2015, 'Invalid API-key, IP, or permissions for action.') }),
} as const;

/** Deterministic PRNG (mulberry32) so a random fault pattern is the same on every run. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface RandomFault {
  endpoints: ReadonlySet<string>;
  probability: number;
  fault: Fault;
  random: () => number;
  when?: (params: Record<string, string>) => boolean;
}

export class FaultQueue {
  private readonly queues = new Map<string, Fault[]>();
  private readonly randoms: RandomFault[] = [];
  /** Calls answered by a random fault (wall-clock time the call arrived). */
  readonly randomHits: Array<{ endpoint: string; ts: number; fault: Fault }> = [];

  /**
   * Answer each call of `endpoints` (`'METHOD /path'` or `'*'`) with `fault` with probability
   * `probability`, drawn from a PRNG seeded with `seed` (the same calls fail on every run). Queued
   * faults are taken first. `when` narrows it to calls whose parameters match (e.g. one symbol).
   */
  addRandom(endpoints: string | readonly string[], probability: number, fault: Fault, seed: number, when?: (params: Record<string, string>) => boolean): this {
    if (!(probability >= 0 && probability <= 1)) throw new Error(`fault probability ${probability} is not within 0..1`);
    this.randoms.push({ endpoints: new Set(typeof endpoints === 'string' ? [endpoints] : endpoints), probability, fault, random: seededRandom(seed), when });
    return this;
  }

  /** Queue `fault` for the next `times` calls of `endpoint` (`'METHOD /path'` or `'*'`). */
  add(endpoint: string, fault: Fault, times = 1): this {
    const q = this.queues.get(endpoint) ?? [];
    for (let i = 0; i < times; i++) q.push(fault);
    this.queues.set(endpoint, q);
    return this;
  }

  /** Take the next fault for a call, exact endpoint first, then the wildcard queue. */
  take(endpoint: string, params: Record<string, string> = {}): Fault | undefined {
    for (const key of [endpoint, '*']) {
      const q = this.queues.get(key);
      if (q && q.length > 0) return q.shift();
    }
    for (const r of this.randoms) {
      if (!(r.endpoints.has(endpoint) || r.endpoints.has('*')) || (r.when && !r.when(params))) continue;
      if (r.random() < r.probability) {
        this.randomHits.push({ endpoint, ts: Date.now(), fault: r.fault });
        return r.fault;
      }
    }
    return undefined;
  }

  /** Faults still queued (all endpoints). */
  pending(): number {
    let n = 0;
    for (const q of this.queues.values()) n += q.length;
    return n;
  }

  clear(): void {
    this.queues.clear();
    this.randoms.length = 0;
  }
}
