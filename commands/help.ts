import { z } from 'zod';
import { AppError } from '../src/domain/errors.ts';
import { text } from './arg-types.ts';
import { type Command, type CommandContext, ROLE_RANK, type Role } from './command.ts';
import { describeCommand } from './describe.ts';
import type { Reply } from './reply.ts';

const args = z.strictObject({ command: text(40, 'a command name').optional() });

function visible(ctx: CommandContext): Command[] {
  const role = ctx.role;
  return (ctx.commands ?? []).filter((c) => c.public || (role !== undefined && ROLE_RANK[role] >= ROLE_RANK[c.role]));
}

const ORDER: Role[] = ['viewer', 'trader', 'admin'];

export const helpCommand: Command<typeof args> = {
  name: 'help',
  description: 'List the commands you may use, or explain one command: usage, arguments and examples.',
  usage: '[COMMAND]',
  examples: ['/help', '/help backtest'],
  positional: ['command'],
  args,
  role: 'viewer',
  public: true,
  async run(ctx, { command }): Promise<Reply> {
    const mine = visible(ctx);
    if (command !== undefined) {
      const name = command.replace(/^\//, '').toLowerCase();
      const c = (ctx.commands ?? []).find((x) => x.name === name);
      if (!c) throw new AppError('NOT_FOUND', `There is no command /${name.slice(0, 32)} — send /help for the list.`);
      const d = describeCommand(c);
      const lines = [c.description, `Usage: ${d.usage}`, `Role: ${c.public ? 'anyone' : `${c.role} and above`}${d.confirm ? ' · asks for confirmation first' : ''}${d.leaderOnly ? ' · leader only (a standby process refuses it)' : ''}`];
      if (!mine.includes(c)) lines.push(`You cannot use it: it needs the ${c.role} role.`);
      const reply: Reply = { title: `/${c.name}`, text: lines };
      if (d.args.length > 0) {
        reply.tables = [{ columns: ['Argument', 'Accepts'], rows: d.args.map((a) => [`${a.display}${a.required ? '' : ' (optional)'}`, a.accepts || '—']), align: ['left', 'left'] }];
      }
      if (d.examples.length > 0) reply.text!.push(`Examples: ${d.examples.join('  ·  ')}`);
      return reply;
    }
    const lines: string[] = [];
    for (const role of ORDER) {
      const group = mine.filter((c) => !c.public && c.role === role);
      if (role === 'viewer') group.unshift(...mine.filter((c) => c.public));
      if (group.length === 0) continue;
      lines.push(`${role === 'viewer' ? 'Everyone' : role === 'trader' ? 'Traders' : 'Admins'}:`);
      for (const c of group) {
        if (c.aliasOf) continue;
        const aliases = group.filter((x) => x.aliasOf === c.name).map((x) => `/${x.name}`);
        lines.push(`/${c.name}${c.usage ? ` ${c.usage}` : ''}${aliases.length ? ` (also ${aliases.join(', ')})` : ''} — ${c.description}`);
      }
    }
    if (ctx.role === undefined) lines.push('You are not on the allow-list yet: send /whoami and give your id to an admin.');
    lines.push('Send /help COMMAND for details and examples.');
    return { title: ctx.role ? `Commands (you are ${ctx.role})` : 'Commands', text: lines };
  },
};
