import { describe, expect, it } from 'vitest';
import { ButtonPayloads } from '../../../src/adapters/chat/render/button-payloads.ts';
import { FLEX_ROWS_PER_BUBBLE } from '../../../src/adapters/chat/render/line-flex.ts';
import { LINE_TEXT_LIMIT, batches, renderLine, splitText } from '../../../src/adapters/chat/render/line-messages.ts';

describe('LINE renderer', () => {
  const payloads = new ButtonPayloads();

  it('sends title and paragraphs as one text message', () => {
    expect(renderLine({ title: 'Status', text: ['a', 'b'] }, { payloads })).toEqual([{ type: 'text', text: 'Status\n\na\n\nb' }]);
  });

  it('splits text over 5000 characters at line boundaries', () => {
    const text = Array.from({ length: 300 }, (_, i) => `line ${i} ${'x'.repeat(40)}`).join('\n');
    const parts = splitText(text, LINE_TEXT_LIMIT);
    expect(parts.length).toBeGreaterThan(2);
    for (const p of parts) expect(p.length).toBeLessThanOrEqual(LINE_TEXT_LIMIT);
    expect(parts.join('\n')).toBe(text);
    const huge = splitText('y'.repeat(12_000), LINE_TEXT_LIMIT);
    expect(huge.map((p) => p.length)).toEqual([5000, 5000, 2000]);
  });

  it('renders tables as Flex bubbles (a carousel when long) with alt text', () => {
    const rows = Array.from({ length: 60 }, (_, i) => [`S${i}`, i]);
    const [, flex] = renderLine({ text: ['t'], tables: [{ title: 'Trades', columns: ['Symbol', 'Qty'], rows }] }, { payloads }) as Array<Record<string, any>>;
    expect(flex.type).toBe('flex');
    expect(flex.altText).toBe('Trades: Symbol, Qty (60 rows)');
    expect(flex.contents.type).toBe('carousel');
    expect(flex.contents.contents).toHaveLength(Math.ceil(60 / FLEX_ROWS_PER_BUBBLE));
    const firstBody = flex.contents.contents[0].body.contents;
    expect(firstBody[0].contents.map((c: { text: string }) => c.text)).toEqual(['Symbol', 'Qty']);
    expect(firstBody[2].contents[1]).toMatchObject({ text: '0', align: 'end' });
    expect(JSON.stringify(flex.contents.contents[0]).length).toBeLessThan(30_000);
  });

  it('makes buttons quick-reply postbacks whose data is the command line', () => {
    const msgs = renderLine({ text: ['Stop trading?'], buttons: [{ label: 'Confirm', command: '/confirm ABC123' }, { label: 'Cancel', command: '/cancel ABC123' }] }, { payloads });
    const last = msgs.at(-1)!;
    expect(last.quickReply!.items!.map((i) => i.action)).toEqual([
      { type: 'postback', label: 'Confirm', data: '/confirm ABC123', displayText: 'Confirm' },
      { type: 'postback', label: 'Cancel', data: '/cancel ABC123', displayText: 'Cancel' },
    ]);
  });

  it('sends images by URL, or their alt text when no URL can be made', () => {
    const image = { path: '/tmp/c.png', alt: 'equity curve', caption: 'Run #3' };
    expect(renderLine({ images: [image] }, { payloads, imageUrl: () => 'https://bot.example/charts/t.png' })).toEqual([
      { type: 'image', originalContentUrl: 'https://bot.example/charts/t.png', previewImageUrl: 'https://bot.example/charts/t.png' },
    ]);
    expect(renderLine({ images: [image] }, { payloads, imageUrl: () => undefined })).toEqual([{ type: 'text', text: 'Run #3 — equity curve' }]);
  });

  it('batches messages by five per API call', () => {
    expect(batches([1, 2, 3, 4, 5, 6, 7]).map((b) => b.length)).toEqual([5, 2]);
  });
});
