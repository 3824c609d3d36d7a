/** The treasury sweep's configuration (SWEEP_*). */
export interface SweepSettings {
  /** SWEEP_ENABLED: false = every sweep is a dry run. */
  enabled: boolean;
  /** SWEEP_ADDRESS: the one allow-listed destination. */
  address?: string;
  /** SWEEP_NETWORK. */
  network?: string;
  /** SWEEP_KEEP: quote balance always left on the exchange. */
  keep: number;
  /** SWEEP_MAX_PER_DAY: most quote moved per UTC day (0 = sweeping is off). */
  maxPerDay: number;
}

export interface SweepPlan {
  currency: string;
  /** Free quote balance on the venue now. */
  free: number;
  keep: number;
  maxPerDay: number;
  /** Already sent (or possibly sent) today, UTC. */
  sweptToday: number;
  /** What would move: min(free − keep, maxPerDay − sweptToday), down to whole cents; 0 when blocked. */
  amount: number;
  dryRun: boolean;
  address?: string;
  network?: string;
  /** Why nothing can move (the sweep is refused with this sentence). */
  blocked?: string;
}

/**
 * What a sweep moves: the free quote balance above SWEEP_KEEP, never past SWEEP_MAX_PER_DAY for the
 * UTC day, to SWEEP_ADDRESS only. Pure: the caller brings the balance and today's total. Rounded
 * down to whole cents so a venue's precision never rounds it up past the keep or the cap.
 */
export function planSweep(s: SweepSettings, currency: string, free: number, sweptToday: number): SweepPlan {
  const base = { currency, free, keep: s.keep, maxPerDay: s.maxPerDay, sweptToday, dryRun: !s.enabled, address: s.address, network: s.network };
  const blocked = (why: string): SweepPlan => ({ ...base, amount: 0, blocked: why });
  if (!s.address) return blocked('SWEEP_ADDRESS is not set: there is no allow-listed address to sweep to');
  if (!(s.maxPerDay > 0)) return blocked('SWEEP_MAX_PER_DAY is 0: sweeping is off');
  const above = free - s.keep;
  if (!(above > 0)) return blocked(`the free balance ${free} ${currency} is not above SWEEP_KEEP ${s.keep}: nothing to sweep`);
  const room = s.maxPerDay - sweptToday;
  if (!(room > 0)) return blocked(`${sweptToday} ${currency} already swept today reaches SWEEP_MAX_PER_DAY ${s.maxPerDay}`);
  const amount = Math.floor(Math.min(above, room) * 100 + 1e-9) / 100;
  if (!(amount > 0)) return blocked(`less than 0.01 ${currency} could move`);
  return { ...base, amount };
}

/** Start of the UTC day of `ts`. */
export function utcDayStart(ts: number): number {
  return ts - (((ts % 86_400_000) + 86_400_000) % 86_400_000);
}
