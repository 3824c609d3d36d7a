import { z } from 'zod';
import { AppError } from '../src/domain/errors.ts';
import { wholeNumber } from './arg-types.ts';
import type { Command } from './command.ts';
import { utc } from './format.ts';

const args = z.strictObject({ n: wholeNumber(1, 200, 'how many entries').optional() });

function shortArgs(a: unknown): string {
  if (a === undefined || a === null) return '';
  const s = typeof a === 'object' ? Object.entries(a as Record<string, unknown>).map(([k, v]) => `${k}=${typeof v === 'object' ? JSON.stringify(v) : String(v)}`).join(' ') : String(a);
  return s.length > 40 ? `${s.slice(0, 39)}…` : s;
}

export const auditCommand: Command<typeof args> = {
  name: 'audit',
  description: 'The audit log: every command with who sent it, the decision (allowed, refused, confirmed, expired, …) and the result.',
  usage: '[N]',
  examples: ['/audit', '/audit 50'],
  positional: ['n'],
  args,
  role: 'admin',
  async run(ctx, { n }) {
    if (!ctx.chatOps) throw new AppError('UNAVAILABLE', 'the audit log is not available here');
    const rows = await ctx.chatOps.audit.recent(n ?? 20);
    if (rows.length === 0) return { title: 'Audit log', text: ['Nothing recorded yet.'] };
    return {
      title: `Audit log (last ${rows.length})`,
      tables: [
        {
          columns: ['Time (UTC)', 'Who', 'Role', 'Command', 'Args', 'Decision', 'Result', 'ms'],
          rows: rows.map((r) => [
            utc(r.ts).replace(' UTC', ''),
            `${r.platform}:${r.userId}`,
            r.role ?? '—',
            `/${r.command}`,
            shortArgs(r.args),
            r.decision,
            (r.result ?? '').length > 60 ? `${r.result!.slice(0, 59)}…` : (r.result ?? ''),
            r.durationMs ?? '',
          ]),
          align: ['left', 'left', 'left', 'left', 'left', 'left', 'left', 'right'],
        },
      ],
    };
  },
};
