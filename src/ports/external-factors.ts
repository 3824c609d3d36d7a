/**
 * External factors (funding rate, on-chain netflow, fear & greed, …) fed from outside — the factor
 * webhook (POST /webhooks/factor) writes, the panic score and strategies read. A value older than the
 * reader's maximum age counts as absent.
 *
 * Names the panic score reads (docs/risk.md): `funding_rate` (fraction per 8 h, per symbol or
 * global), `onchain_netflow_z` (z-score, global), `fear_greed` (0–100, global).
 */
export interface ExternalFactors {
  /** Record a value observed at `ts` (UTC ms); `symbol` undefined = applies to every symbol. */
  put(name: string, value: number, ts: number, symbol?: string): void;
  /** Latest value no older than `maxAgeMs` at `now`: the symbol's own, else the global one. */
  latest(name: string, now: number, maxAgeMs: number, symbol?: string): number | undefined;
}
