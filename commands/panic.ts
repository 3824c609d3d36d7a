import { z } from 'zod';
import { symbol } from './arg-types.ts';
import type { Command } from './command.ts';
import { utc } from './format.ts';
import { riskServices } from './manual-order.ts';
import type { Reply } from './reply.ts';

const args = z.strictObject({ symbol: symbol().optional() });

export const panicCommand: Command<typeof args> = {
  name: 'panic',
  description:
    'The panic score (0–100) of the portfolio or one symbol: level (calm < 40 ≤ elevated < 60 ≤ high < 80 ≤ extreme), every weighted component, and a chart of the last 24 h. At PANIC_THRESHOLD new entries are refused.',
  usage: '[SYMBOL]',
  examples: ['/panic', '/panic BTC/USDT'],
  positional: ['symbol'],
  args,
  role: 'viewer',
  async run(ctx, a) {
    const scope = a.symbol ?? 'portfolio';
    const p = await riskServices(ctx).panic(scope);
    if (p.score === undefined) return { text: [`No panic score for ${scope} yet: it is computed on every engine tick.`], tone: 'info' };
    const reply: Reply = {
      title: `Panic ${scope}: ${p.score.toFixed(0)}/100 — ${p.level}`,
      text: [`As of ${p.ts ? utc(p.ts) : '—'}. Entries are refused at ${p.threshold} and above.${p.level === 'extreme' ? ' Extreme: consider /killall.' : ''}`],
      tables: [
        {
          columns: ['Component', 'Raw', '0–1', 'Weight'],
          rows: p.components.map((c) => [c.name, `${c.raw.toFixed(2)} ${c.unit}`, c.value.toFixed(2), c.weight.toFixed(2)]),
          align: ['left', 'right', 'right', 'right'],
        },
      ],
      tone: p.level === 'extreme' ? 'error' : p.level === 'calm' ? 'info' : 'warning',
    };
    if (p.level === 'extreme') reply.buttons = [{ label: 'Kill all…', command: '/killall', style: 'danger' }];
    if (p.chartPath) reply.images = [{ path: p.chartPath, caption: `Panic score ${scope}, last 24 h`, alt: `panic score of ${scope} over the last 24 hours, now ${p.score.toFixed(0)} (${p.level})` }];
    return reply;
  },
};
