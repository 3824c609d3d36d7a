import { z } from 'zod';
import type { Command } from './command.ts';

const args = z.strictObject({});

export const reconcileCommand: Command<typeof args> = {
  name: 'reconcile',
  description: 'Reconcile with the exchange now: open orders, recent trades, balances and positions against what tradeops stored. Offline fills are ingested, external orders and holdings reported (never touched).',
  examples: ['/reconcile'],
  args,
  role: 'admin',
  leaderOnly: true,
  async run(ctx) {
    const r = await ctx.services.reconcile();
    if (!r.ok) return { title: 'Reconciliation failed', text: [r.error ?? 'unknown error', 'New orders are held until a run succeeds; it is retried with backoff.'], tone: 'error' };
    const f = r.findings!;
    const text = [
      `${f.settled} open order(s) settled · ${f.filledOffline.length} filled while offline · ${f.closedOnExchange.length} cancelled on the exchange`,
      ...f.adopted.map((a) => `${a.symbol}: position ${a.from} → ${a.to} (the exchange holds less; adopted)`),
      ...(f.cashAdopted ? [`cash ${f.cashAdopted.from.toFixed(2)} → ${f.cashAdopted.to.toFixed(2)} (adopted from the exchange)`] : []),
      ...f.externalOrders.map((o) => `external order ${o.clientOrderId}: ${o.side} ${o.amount} ${o.symbol} (left alone)`),
      ...f.externalHoldings.map((h) => `external holding ${h.amount} ${h.asset} (left alone)`),
      ...(f.externalPositions ?? []).map((p) => `external position ${p.quantity} ${p.symbol} (left alone)`),
      ...f.mismatches.map((m) => `✗ ${m.symbol}: position ${m.position} ≠ Σ fills ${m.fills}`),
    ];
    const clean = f.mismatches.length === 0 && f.adopted.length === 0 && !f.cashAdopted && f.filledOffline.length === 0;
    return { title: clean ? 'Reconciled — storage matches the exchange' : 'Reconciled — differences found', text, tone: f.mismatches.length > 0 ? 'error' : clean ? 'success' : 'warning' };
  },
};
