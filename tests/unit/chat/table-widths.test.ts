import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { parseArgs, parseCommandLine } from '../../../commands/args.ts';
import type { CommandContext } from '../../../commands/command.ts';
import { COMMANDS } from '../../../commands/index.ts';
import type { Reply, ReplyTable } from '../../../commands/reply.ts';
import { ButtonPayloads } from '../../../src/adapters/chat/render/button-payloads.ts';
import { renderDiscord } from '../../../src/adapters/chat/render/discord-message.ts';
import { renderLine } from '../../../src/adapters/chat/render/line-messages.ts';
import { layoutTable, PHONE_WIDTH, tableLines, textWidth } from '../../../src/adapters/chat/render/table-layout.ts';
import { renderTelegram } from '../../../src/adapters/chat/render/telegram-html.ts';
import { renderText } from '../../../src/adapters/chat/render/text.ts';
import { createFakeServices, FAKE_T0 } from '../../support/fake-services.ts';

const payloads = new ButtonPayloads();

/** Every tabular command's real reply, from the fake services (the same figures the router tests use). */
const LINES = ['/backtests', '/strategies', '/positions', '/trades', '/fills', '/balance', '/status', '/pnl week 4', '/daily 7', '/profit', '/performance', '/show_config', '/help backtest', '/size', '/panic'];

async function replyOf(line: string): Promise<Reply> {
  const parsed = parseCommandLine(line)!;
  const command = COMMANDS.find((c) => c.name === parsed.name)!;
  const args = parseArgs(command, parsed.rest);
  if (!args.ok) throw new Error(args.message);
  const ctx: CommandContext = { caller: { platform: 'telegram', userId: '1', chatId: '1' }, role: 'admin', services: createFakeServices(), logger: pino({ level: 'silent' }), now: () => FAKE_T0, progress: async () => {}, commands: COMMANDS };
  return command.run(ctx, args.value);
}

const unescape = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

/** Monospace lines as each platform shows them. */
const monospace = {
  telegram: (r: Reply) => renderTelegram(r, payloads).messages.flatMap((m) => [...m.html.matchAll(/<pre>([\s\S]*?)<\/pre>/g)].flatMap((x) => unescape(x[1]!).split('\n'))),
  discord: (r: Reply) => (renderDiscord(r, payloads).body.embeds[0]!.fields ?? []).flatMap((f) => f.value.replace(/^```\n|\n```$/g, '').split('\n')),
  /** LINE has no monospace: each Flex row (a horizontal box, or one text of a card) is a line. */
  line: (r: Reply) =>
    renderLine(r, { payloads }).flatMap((m) => {
      if (m.type !== 'flex') return [];
      const out: string[] = [];
      const walk = (c: any): void => {
        if (c?.type === 'box' && c.layout === 'horizontal') out.push(c.contents.map((t: any) => t.text).join('  '));
        else if (c?.type === 'text') out.push(...String(c.text).split('\n'));
        else for (const k of ['contents', 'body', 'header']) if (c?.[k]) (Array.isArray(c[k]) ? c[k] : [c[k]]).forEach(walk);
      };
      walk(m.contents);
      return out;
    }),
};

describe('one table renderer: at most 40 characters a line on a phone', () => {
  it.each(Object.keys(monospace) as Array<keyof typeof monospace>)('%s: every tabular command fits, wide tables become cards', async (platform) => {
    let cards = 0;
    let grids = 0;
    for (const line of LINES) {
      const reply = await replyOf(line);
      expect(reply.tables?.length ?? 0, `${line} has a table`).toBeGreaterThan(0);
      for (const t of reply.tables!) (layoutTable(t, { maxWidth: PHONE_WIDTH }).kind === 'cards' ? cards++ : grids++);
      const lines = monospace[platform](reply);
      expect(lines.length, line).toBeGreaterThan(0);
      for (const l of lines) expect(textWidth(l), `${platform} ${line}: "${l}"`).toBeLessThanOrEqual(PHONE_WIDTH);
    }
    // Both layouts occur: /backtests and /trades are cards on a phone, /balance stays a grid.
    expect(cards).toBeGreaterThan(0);
    expect(grids).toBeGreaterThan(0);
  });

  it('the console (a terminal) keeps the full grid', async () => {
    const text = renderText(await replyOf('/backtests'));
    expect(text).toMatch(/#\s+Status\s+Strategy\s+Symbol\s+TF/);
    expect(Math.max(...text.split('\n').map(textWidth))).toBeGreaterThan(PHONE_WIDTH);
  });

  it('a card names the row by its first cell and lists the rest as key: value, wrapping long values', () => {
    const table: ReplyTable = { columns: ['Name', 'Active', 'Description'], rows: [['rsi-bb', 'yes', 'RSI mean reversion: buy oversold (optionally below the lower Bollinger band), sell overbought'], ['sma-cross', '', 'fast/slow SMA crossover']] };
    expect(tableLines(table, { maxWidth: 40 })).toEqual([
      'rsi-bb',
      '  Active: yes',
      '  Description: RSI mean reversion: buy',
      '    oversold (optionally below the lower',
      '    Bollinger band), sell overbought',
      '',
      'sma-cross',
      '  Description: fast/slow SMA crossover',
    ]);
    expect(tableLines({ columns: ['A', 'B'], rows: [['x', 1]] }, { maxWidth: 40 })).toEqual(['A  B', '-  -', 'x  1']);
    expect(tableLines({ columns: ['#', 'Status', 'Note'], rows: [[7, 'done', 'x'.repeat(40)]] }, { maxWidth: 40 }).slice(0, 2)).toEqual(['#7', '  Status: done']);
  });

  it('money reads with 2 decimals and prices at the market precision in every table', async () => {
    const trades = (await replyOf('/trades')).tables![0]!;
    for (const r of trades.rows) {
      expect(String(r[4])).toMatch(/^[+-][0-9,]+\.[0-9]{2}$/);
      expect(String(r[2])).toMatch(r[0] === 'BTC/USDT' ? /^[0-9,]+\.[0-9]$/ : /^[0-9,]+\.[0-9]{2}$/);
    }
    const fills = (await replyOf('/fills')).tables![0]!;
    for (const r of fills.rows) expect(String(r[5])).toMatch(/^[0-9,]+\.[0-9]{2}$/);
  });
});
