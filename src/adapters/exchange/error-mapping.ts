import { ExecutionError, type ExecutionErrorKind } from '../../ports/execution.ts';
import { scrubSecrets, scrubbedError } from './scrub.ts';

/**
 * Error mapping at the ccxt boundary. ccxt's classes never leave the adapter: every failure is
 * classified once (by class, HTTP status and the venue's own error code) and turned into an
 * ExecutionError whose message has been scrubbed of URLs, signatures and keys.
 *
 * | failure                                                    | reads (after retries) | order creation     |
 * |------------------------------------------------------------|-----------------------|--------------------|
 * | timeout, connection, 5xx, ExchangeNotAvailable, bad answer | retryable             | unknown-outcome    |
 * | 429 / RateLimitExceeded / DDoSProtection                   | retryable (+retryAt)  | unknown-outcome, refusedOnArrival |
 * | 418 / "IP banned until"                                    | banned (+retryAt)     | banned             |
 * | 401, -2015/-2014/-1022, AuthenticationError               | auth                  | auth               |
 * | OrderNotFound (-2013, -2011)                               | not found → caller    | rejected           |
 * | NotSupported                                               | unsupported           | unsupported        |
 * | any other ExchangeError (funds, filters, symbol, …)       | rejected              | rejected           |
 */

type ErrorCtor = abstract new (...args: never[]) => Error;

/** The ccxt error classes the classifier needs, taken from the dynamically imported module. */
export interface CcxtErrorClasses {
  BaseError: ErrorCtor;
  ExchangeError: ErrorCtor;
  AuthenticationError: ErrorCtor;
  OrderNotFound: ErrorCtor;
  NotSupported: ErrorCtor;
  OperationFailed: ErrorCtor;
  NetworkError: ErrorCtor;
  DDoSProtection: ErrorCtor;
  RateLimitExceeded: ErrorCtor;
}

export function errorClassesOf(mod: Record<string, unknown>): CcxtErrorClasses {
  const names = ['BaseError', 'ExchangeError', 'AuthenticationError', 'OrderNotFound', 'NotSupported', 'OperationFailed', 'NetworkError', 'DDoSProtection', 'RateLimitExceeded'] as const;
  const out = {} as Record<(typeof names)[number], ErrorCtor>;
  for (const n of names) {
    const c = mod[n];
    if (typeof c !== 'function') throw new Error(`ccxt module has no ${n} error class`);
    out[n] = c as ErrorCtor;
  }
  return out;
}

/** What the HTTP layer saw for a failed call (recorded by the client wrapper, see ccxt-client.ts). */
export interface HttpTag {
  status: number;
  retryAfterMs?: number;
  /** Response body (truncated): the venue's `{ code, msg }` when ccxt's message dropped it. */
  body?: string;
}

const httpTags = new WeakMap<object, HttpTag>();

export function tagHttpFailure(err: unknown, tag: HttpTag): void {
  if (err !== null && typeof err === 'object') httpTags.set(err, tag);
}

export function httpTagOf(err: unknown): HttpTag | undefined {
  return err !== null && typeof err === 'object' ? httpTags.get(err) : undefined;
}

/** Retry-After is either delta-seconds or an HTTP date. */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

export type FailureKind = 'network' | 'rate-limit' | 'banned' | 'auth' | 'not-found' | 'rejected' | 'unsupported' | 'unknown';

export interface ClassifiedFailure {
  kind: FailureKind;
  /** ccxt class name (e.g. InsufficientFunds) or the JS error name. */
  className: string;
  status?: number;
  /** The venue's own error code, e.g. "-2010". */
  venueCode?: string;
  /** Human reason, scrubbed: the venue's message when it sent one. */
  reason: string;
  retryAfterMs?: number;
  /** For bans and rate limits: when calls may resume (UTC ms). */
  retryAt?: number;
  cause: Error;
}

/** Binance-family codes that mean the key/signature is refused — even when ccxt calls it DDoSProtection. */
const AUTH_CODES = new Set(['-2015', '-2014', '-1022', '-2008', '-1002']);
const RATE_CODES = new Set(['-1003', '-1015']);
const NOT_FOUND_CODES = new Set(['-2013', '-2011']);
/** -1007 "execution status unknown", -1001 disconnected, -1006 unexpected answer, -1008 server busy. */
const NETWORK_CODES = new Set(['-1007', '-1001', '-1006', '-1008']);

/** Pull `{ "code": …, "msg": … }` out of a ccxt message (ccxt appends the response body). */
export function extractVenueError(message: string): { code?: string; msg?: string } {
  const start = message.indexOf('{');
  const end = message.lastIndexOf('}');
  if (start >= 0 && end > start) {
    try {
      const body = JSON.parse(message.slice(start, end + 1)) as Record<string, unknown>;
      const code = body.code ?? body.retCode ?? body.error_code;
      const msg = body.msg ?? body.message ?? body.retMsg;
      if (code !== undefined || msg !== undefined) {
        return { code: code === undefined ? undefined : String(code), msg: typeof msg === 'string' ? msg : undefined };
      }
    } catch {
      // not a JSON body: fall through to the regex
    }
  }
  const m = /"code"\s*:\s*"?(-?\d+)"?\s*,\s*"msg"\s*:\s*"((?:[^"\\]|\\.)*)"/.exec(message);
  return m ? { code: m[1], msg: m[2] } : {};
}

export interface ErrorMapperOptions {
  exchangeId: string;
  classes: CcxtErrorClasses;
  secrets: readonly (string | undefined)[];
  now: () => number;
  /** Ban length to assume when a 418 carries neither a ban end nor Retry-After. */
  defaultBanMs?: number;
}

export type OperationMode = 'read' | 'create';

export class ErrorMapper {
  constructor(private readonly o: ErrorMapperOptions) {}

  scrub(text: string): string {
    return scrubSecrets(text, this.o.secrets);
  }

  classify(err: unknown): ClassifiedFailure {
    const { classes } = this.o;
    const now = this.o.now();
    const tag = httpTagOf(err);
    const rawMessage = err instanceof Error ? err.message : String(err);
    const className = err instanceof Error ? err.constructor?.name || err.name : typeof err;
    const fromBody = tag?.body !== undefined ? extractVenueError(tag.body) : {};
    const venue = fromBody.code !== undefined || fromBody.msg !== undefined ? fromBody : extractVenueError(rawMessage);
    const reasonText = venue.msg !== undefined ? `${venue.msg}${venue.code !== undefined ? ` (code ${venue.code})` : ''}` : this.stripPrefix(rawMessage);
    const base = { className, status: tag?.status, venueCode: venue.code, reason: this.scrub(reasonText), retryAfterMs: tag?.retryAfterMs, cause: scrubbedError(err, this.o.secrets) };
    const is = (c: ErrorCtor) => err instanceof c;
    const code = venue.code;

    const bannedUntil = /banned until (\d{12,})/i.exec(`${rawMessage} ${tag?.body ?? ''}`);
    if (tag?.status === 418 || bannedUntil) {
      const retryAt = bannedUntil ? Number(bannedUntil[1]) : now + (tag?.retryAfterMs ?? this.o.defaultBanMs ?? 120_000);
      return { ...base, kind: 'banned', retryAt };
    }
    if (tag?.status === 401 || (code !== undefined && AUTH_CODES.has(code)) || is(classes.AuthenticationError)) return { ...base, kind: 'auth' };
    if (tag?.status === 429 || (code !== undefined && RATE_CODES.has(code)) || is(classes.RateLimitExceeded) || is(classes.DDoSProtection)) {
      return { ...base, kind: 'rate-limit', retryAt: tag?.retryAfterMs !== undefined ? now + tag.retryAfterMs : undefined };
    }
    if (is(classes.OrderNotFound) || (code !== undefined && NOT_FOUND_CODES.has(code))) return { ...base, kind: 'not-found' };
    if (is(classes.OperationFailed) || (tag !== undefined && tag.status >= 500) || (code !== undefined && NETWORK_CODES.has(code))) return { ...base, kind: 'network' };
    if (is(classes.NotSupported)) return { ...base, kind: 'unsupported' };
    if (is(classes.BaseError)) return { ...base, kind: 'rejected' };
    return { ...base, kind: 'unknown' };
  }

  /**
   * The ExecutionError for a classified failure. Order creation never reports a transient failure as
   * retryable: the request may have been executed, so the caller must look the order up first.
   */
  toExecutionError(f: ClassifiedFailure, op: string, mode: OperationMode): Error {
    const kind = this.kindFor(f, mode);
    const label = `${this.o.exchangeId} ${op}`;
    if (kind === undefined) {
      // Not a ccxt failure on a read: a bug or an unexpected answer. Keep it an ordinary error.
      const e = new Error(`${label} failed: ${f.className}: ${f.reason}`);
      e.name = f.className;
      return e;
    }
    const what: Record<ExecutionErrorKind, string> = {
      rejected: 'rejected by the exchange',
      'unknown-outcome': 'outcome unknown (the order may or may not exist: look it up by clientOrderId before any resend)',
      retryable: 'failed after retries',
      auth: 'refused: authentication failed (check the API key, its permissions and IP whitelist)',
      banned: 'refused: the exchange banned this IP',
      unsupported: 'not supported by the exchange',
    };
    const until = f.retryAt !== undefined ? `; retry after ${new Date(f.retryAt).toISOString()}` : '';
    // A rate-limit answer is the venue refusing this request (Binance: "HTTP 429 ... when breaking a
    // request rate limit"): still looked up before a resend, but nothing of it is queued there.
    const refusedOnArrival = f.kind === 'rate-limit' && mode === 'create';
    return new ExecutionError(kind, `${label} ${what[kind]} — ${f.className}: ${f.reason}${until}`, { retryAt: f.retryAt, cause: f.cause, refusedOnArrival });
  }

  /** Classify and map in one step. */
  map(err: unknown, op: string, mode: OperationMode): Error {
    if (err instanceof ExecutionError) return err;
    return this.toExecutionError(this.classify(err), op, mode);
  }

  private kindFor(f: ClassifiedFailure, mode: OperationMode): ExecutionErrorKind | undefined {
    switch (f.kind) {
      case 'banned':
        return 'banned';
      case 'auth':
        return 'auth';
      case 'unsupported':
        return 'unsupported';
      case 'network':
      case 'rate-limit':
        return mode === 'create' ? 'unknown-outcome' : 'retryable';
      case 'unknown':
        return mode === 'create' ? 'unknown-outcome' : undefined;
      case 'not-found':
      case 'rejected':
        return 'rejected';
    }
  }

  /** "binance GET … 400 Bad Request" → drop the leading exchange id ccxt puts on every message. */
  private stripPrefix(message: string): string {
    const prefix = `${this.o.exchangeId} `;
    return message.startsWith(prefix) ? message.slice(prefix.length) : message;
  }
}
