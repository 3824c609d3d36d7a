import { z } from 'zod';
import { AppError } from '../src/domain/errors.ts';
import type { Command } from './command.ts';
import { money } from './format.ts';
import { riskServices } from './manual-order.ts';
import { actor } from './pause.ts';

const args = z.strictObject({});

export const sweepCommand: Command<typeof args> = {
  name: 'sweep',
  description:
    'Treasury sweep: move the free quote balance above SWEEP_KEEP to the one allow-listed address (SWEEP_ADDRESS on SWEEP_NETWORK), never more than SWEEP_MAX_PER_DAY a UTC day. A dry run (recorded and alerted, nothing sent) unless SWEEP_ENABLED=true.',
  examples: ['/sweep'],
  args,
  role: 'admin',
  leaderOnly: true,
  async confirm(_a, ctx) {
    const p = await riskServices(ctx).sweepPlan();
    if (p.blocked) throw new AppError('CONFLICT', `Nothing to sweep: ${p.blocked}.`);
    return [
      p.dryRun ? 'DRY RUN (SWEEP_ENABLED=false): the sweep is recorded and alerted, nothing is sent.' : 'This withdraws from the exchange for real.',
      `Move ${money(p.amount)} ${p.currency} to ${p.address}${p.network ? ` on ${p.network}` : ''}.`,
      `Free ${money(p.free)} ${p.currency}, kept ${money(p.keep)}; swept today ${money(p.sweptToday)} of ${money(p.maxPerDay)} a day.`,
    ].join('\n');
  },
  async run(ctx) {
    const r = await riskServices(ctx).sweep(actor(ctx.caller));
    const p = r.plan;
    const what = `${money(p.amount)} ${p.currency} to ${p.address}${p.network ? ` (${p.network})` : ''}`;
    switch (r.status) {
      case 'dry-run':
        return { title: `Sweep dry run: ${what}`, text: [r.detail, 'Set SWEEP_ENABLED=true to send for real.'], tone: 'info' };
      case 'sent':
        return { title: `Swept ${what}`, text: [r.detail, ...(r.txId ? [`transaction ${r.txId}`] : [])], tone: 'success' };
      case 'unknown':
        return { title: `Sweep of ${what}: outcome unknown`, text: [r.detail], tone: 'error' };
      case 'failed':
        return { title: `Sweep of ${what} failed`, text: [r.detail], tone: 'error' };
    }
  },
};
