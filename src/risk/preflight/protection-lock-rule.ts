import type { PreflightRule } from './rule.ts';

/** A protection (cooldown after an exit, stop-loss guard) has locked the symbol for entries. */
export const protectionLockRule: PreflightRule = (ctx) => {
  const r = ctx.risk;
  if (!r || ctx.kind !== 'entry') return undefined;
  const lock = r.snapshot.locks.get(ctx.symbol);
  return lock && lock.until > r.snapshot.now
    ? { code: 'SYMBOL_LOCKED', message: `${ctx.symbol} is locked until ${new Date(lock.until).toISOString().slice(0, 16).replace('T', ' ')} UTC: ${lock.reason}` }
    : undefined;
};
