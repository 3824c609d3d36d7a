import { describe, expect, it } from 'vitest';
import { ButtonPayloads } from '../../../src/adapters/chat/render/button-payloads.ts';
import { escapeDiscordMarkdown } from '../../../src/adapters/chat/render/discord-markdown.ts';
import { DISCORD_LIMITS, renderDiscord, TONE_COLOUR } from '../../../src/adapters/chat/render/discord-message.ts';

function embedSize(e: { title?: string; description?: string; fields?: Array<{ name: string; value: string }>; footer?: { text: string } }): number {
  return (e.title?.length ?? 0) + (e.description?.length ?? 0) + (e.fields ?? []).reduce((n, f) => n + f.name.length + f.value.length, 0) + (e.footer?.text.length ?? 0);
}

describe('Discord renderer', () => {
  const payloads = new ButtonPayloads();

  it('escapes markdown so text shows as typed, and neutralises mass mentions', () => {
    expect(escapeDiscordMarkdown('*bold* _it_ ~~s~~ `c` |x| [l](u)')).toBe('\\*bold\\* \\_it\\_ \\~\\~s\\~\\~ \\`c\\` \\|x\\| \\[l\\](u)');
    expect(escapeDiscordMarkdown('# not a heading\n> not a quote\n- item')).toBe('\\# not a heading\n\\> not a quote\n\\- item');
    expect(escapeDiscordMarkdown('hi @everyone')).toBe('hi @\u200beveryone');
  });

  it('renders title, description, tone colour and tables as code-block fields', () => {
    const out = renderDiscord(
      { title: 'Status', text: ['Mode *paper*'], tone: 'success', tables: [{ title: 'Positions', columns: ['Symbol', 'Qty'], rows: [['BTC/USDT', 0.5]] }] },
      payloads,
    );
    const e = out.body.embeds[0];
    expect(e.title).toBe('Status');
    expect(e.description).toBe('Mode \\*paper\\*');
    expect(e.color).toBe(TONE_COLOUR.success);
    expect(e.fields).toEqual([{ name: 'Positions', value: '```\nSymbol    Qty\n--------  ---\nBTC/USDT  0.5\n```' }]);
    expect(out.body.allowed_mentions).toEqual({ parse: [] });
  });

  it('stays within every embed limit for huge replies and says what it left out', () => {
    const rows = Array.from({ length: 2000 }, (_, i) => [`ROW${i}`, i, 'z'.repeat(20)]);
    const out = renderDiscord({ title: 't'.repeat(400), text: ['d'.repeat(9000)], tables: [{ columns: ['A', 'B', 'C'], rows }, { columns: ['x'], rows: [['y']] }] }, payloads);
    const e = out.body.embeds[0];
    expect(e.title!.length).toBeLessThanOrEqual(DISCORD_LIMITS.title);
    expect(e.description!.length).toBeLessThanOrEqual(DISCORD_LIMITS.description);
    expect(e.fields!.length).toBeLessThanOrEqual(DISCORD_LIMITS.fields);
    for (const f of e.fields!) {
      expect(f.value.length).toBeLessThanOrEqual(DISCORD_LIMITS.fieldValue);
      expect(f.value.startsWith('```\n') && f.value.endsWith('\n```')).toBe(true);
    }
    expect(embedSize(e)).toBeLessThanOrEqual(DISCORD_LIMITS.embedTotal);
    expect(e.footer!.text).toMatch(/^\d+ more row\(s\) not shown/);
    const shown = e.fields!.reduce((n, f) => n + f.value.split('\n').length - 4, 0);
    expect(Number(/^(\d+)/.exec(e.footer!.text)![1]) + shown).toBe(2001);
  });

  it('keeps a triple backtick in a cell from closing the code block', () => {
    const out = renderDiscord({ tables: [{ columns: ['c'], rows: [['```evil']] }] }, payloads);
    expect(out.body.embeds[0].fields![0].value.match(/```/g)).toHaveLength(2);
  });

  it('turns buttons into components with the command as custom_id, five per row', () => {
    const buttons = Array.from({ length: 7 }, (_, i) => ({ label: `B${i}`, command: `/cmd ${i}`, style: i === 0 ? ('danger' as const) : undefined }));
    const out = renderDiscord({ text: ['pick'], buttons }, payloads);
    expect(out.body.components).toHaveLength(2);
    expect(out.body.components[0].components).toHaveLength(5);
    const first = out.body.components[0].components[0] as { style: number; custom_id: string; label: string };
    expect(first).toMatchObject({ type: 2, style: 4, custom_id: '/cmd 0', label: 'B0' });
  });

  it('attaches images and shows the first in the embed; ephemeral sets the flag', () => {
    const out = renderDiscord({ title: 'Backtest', images: [{ path: '/tmp/a.png', alt: 'equity curve' }], ephemeral: true }, payloads);
    expect(out.files).toEqual([{ name: 'chart-1.png', image: { path: '/tmp/a.png', alt: 'equity curve' } }]);
    expect(out.body.embeds[0].image).toEqual({ url: 'attachment://chart-1.png' });
    expect(out.body.attachments).toEqual([{ id: 0, filename: 'chart-1.png', description: 'equity curve' }]);
    expect(out.body.flags).toBe(64);
  });

  it('never produces an empty embed', () => {
    expect(renderDiscord({}, payloads).body.embeds[0].description).toBe('\u200b');
  });
});
