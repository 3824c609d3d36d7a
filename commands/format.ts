/*
 * Text formatting shared by command replies. Replies are structural (src: commands/reply.ts); these
 * helpers only decide how a number or a time reads, identically on every platform.
 */

/** `1234.5` → `1,234.50` (fixed decimals, thousands separators); non-finite → `—`. */
export function money(n: number, decimals = 2): string {
  if (!Number.isFinite(n)) return '—';
  return n.toLocaleString('en-US', { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
}

/** Signed money: `+12.30`, `-4.00`. */
export function signedMoney(n: number, decimals = 2): string {
  if (!Number.isFinite(n)) return '—';
  return `${n > 0 ? '+' : ''}${money(n, decimals)}`;
}

/** Signed percentage: `+1.23%`. */
export function pct(n: number | null | undefined, decimals = 2): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '—';
  return `${n > 0 ? '+' : ''}${n.toFixed(decimals)}%`;
}

/** A share of a whole (a win rate, an exposure): a percent without a sign. */
export function share(n: number | null | undefined, decimals = 2): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '—';
  return `${n.toFixed(decimals)}%`;
}

/** A quantity or price with up to 8 significant digits, no float noise (`0.30000000000000004` → `0.3`). */
export function qty(n: number): string {
  if (!Number.isFinite(n)) return '—';
  return String(Number(n.toPrecision(8)));
}

/** A plain metric value (backtest metrics): numbers to 4 significant digits, null as `—`. */
export function metric(v: number | string | null | undefined): string {
  if (v === null || v === undefined) return '—';
  if (typeof v === 'string') return v;
  if (!Number.isFinite(v)) return '—';
  return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(4)));
}

/** UTC time `2024-01-31 12:00:05 UTC`. */
export function utc(ts: number | undefined): string {
  if (ts === undefined || !Number.isFinite(ts)) return '—';
  return `${new Date(ts).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** UTC date `2024-01-31`. */
export function utcDay(ts: number): string {
  return new Date(ts).toISOString().slice(0, 10);
}

/** A duration in its two largest units: `3d 4h`, `5m 12s`, `800ms`. */
export function duration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '—';
  if (ms < 1000) return `${Math.round(ms)}ms`;
  const units: Array<[string, number]> = [['d', 86_400_000], ['h', 3_600_000], ['m', 60_000], ['s', 1000]];
  const parts: string[] = [];
  let rest = ms;
  for (const [u, size] of units) {
    const n = Math.floor(rest / size);
    if (n > 0 || parts.length > 0) parts.push(`${n}${u}`);
    rest -= n * size;
    if (parts.length === 2) break;
  }
  return parts.filter((p) => !p.startsWith('0')).join(' ') || '0s';
}

/** `12s ago` relative to `now`; `—` when unknown. */
export function ago(ts: number | undefined, now: number): string {
  if (ts === undefined || !Number.isFinite(ts)) return '—';
  if (ts > now) return `in ${duration(ts - now)}`;
  return `${duration(now - ts)} ago`;
}

/** A price or amount at its market's precision (`decimals`, from the tick size or lot step); without one, `qty`. */
export function atPrecision(n: number, decimals: number | undefined): string {
  if (decimals === undefined) return qty(n);
  return money(n, Math.min(Math.max(decimals, 0), 12));
}
