import { z } from 'zod';
import { AppError } from '../src/domain/errors.ts';
import { choice } from './arg-types.ts';
import type { Command } from './command.ts';
import { qty } from './format.ts';
import { riskServices } from './manual-order.ts';
import { actor } from './pause.ts';

const args = z.strictObject({ scope: choice(['include-external'] as const, 'the option').optional() });

/** How long /killall waits for the report before answering "running" (the report also goes to every alert channel). */
const REPLY_WAIT_MS = 20_000;

export const killallCommand: Command<typeof args> = {
  name: 'killall',
  description:
    'Flatten everything tradeops holds: HALTED at once (persisted first), its open orders cancelled and its positions closed with reduce-only market orders, all symbols in parallel; a report per symbol follows on every channel. Stays HALTED until an admin sends /resume. `include-external` also cancels orders and sells holdings tradeops did not create.',
  usage: '[include-external]',
  examples: ['/killall', '/killall include-external'],
  positional: ['scope'],
  args,
  role: 'admin',
  leaderOnly: true,
  async confirm({ scope }, ctx) {
    const plan = await riskServices(ctx).killAllPlan(scope === 'include-external');
    if (plan.running !== undefined) throw new AppError('CONFLICT', `kill-all #${plan.running} is already running; nothing new was sent. Its report follows on every channel.`);
    const lines = plan.lines.map((l) => `• ${l.symbol}: ${l.quantity !== 0 ? `close ${qty(Math.abs(l.quantity))} (${l.quantity > 0 ? 'long' : 'short'})` : 'no position'}${l.orders ? `, cancel ${l.orders} order(s)` : ''}${l.external ? ' — includes external' : ''}`);
    return [
      'Trading goes HALTED now and stays HALTED until an admin sends /resume.',
      lines.length ? 'Then, all symbols in parallel:' : 'tradeops holds no position and no open order: only the halt happens.',
      ...lines,
      scope === 'include-external' ? 'Orders and holdings tradeops did not create are included.' : 'Orders and holdings tradeops did not create are left alone.',
    ].join('\n');
  },
  async run(ctx, { scope }) {
    const r = await riskServices(ctx).killAll(actor(ctx.caller), scope === 'include-external', REPLY_WAIT_MS);
    if (!r.started) return { title: `Kill-all #${r.runId} is already running`, text: ['Nothing new was sent; its report follows on every channel.'], tone: 'warning' };
    if (!r.finished) return { title: `Kill-all #${r.runId} running`, text: ['Trading is HALTED. The report per symbol follows on every channel.'], tone: 'warning' };
    const failed = r.lines.filter((l) => l.outcome === 'failed').length;
    return {
      title: `Kill-all #${r.runId} ${failed ? `finished, ${failed} symbol(s) failed` : 'finished: flat'}`,
      text: ['Trading stays HALTED until an admin sends /resume.'],
      tables: r.lines.length ? [{ columns: ['Symbol', 'Outcome', 'Detail'], rows: r.lines.map((l) => [l.symbol, l.outcome, l.detail]), align: ['left', 'left', 'left'] }] : undefined,
      tone: failed ? 'error' : 'success',
    };
  },
};
