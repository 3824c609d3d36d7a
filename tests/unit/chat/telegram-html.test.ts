import { describe, expect, it } from 'vitest';
import type { Reply } from '../../../commands/reply.ts';
import { ButtonPayloads } from '../../../src/adapters/chat/render/button-payloads.ts';
import { escapeHtml, renderTelegram, TELEGRAM_TEXT_LIMIT } from '../../../src/adapters/chat/render/telegram-html.ts';

/** Every tag opened in a chunk is closed in it, in order, and every `&` starts a known entity. */
function assertValidHtml(html: string): void {
  const stack: string[] = [];
  for (const m of html.matchAll(/<(\/?)([a-z]+)>/g)) {
    if (m[1]) expect(stack.pop()).toBe(m[2]);
    else stack.push(m[2]);
  }
  expect(stack).toEqual([]);
  for (const m of html.matchAll(/&[^;\s]*;?/g)) expect(['&amp;', '&lt;', '&gt;']).toContain(m[0]);
  // No raw angle brackets except the tags this renderer writes.
  expect(html.replace(/<\/?(b|pre)>/g, '')).not.toMatch(/[<>]/);
}

function unescape(s: string): string {
  return s.replace(/<\/?(b|pre)>/g, '').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

describe('Telegram HTML renderer', () => {
  const payloads = new ButtonPayloads();

  it('escapes the three characters HTML parse mode reserves', () => {
    expect(escapeHtml('a < b && c > d')).toBe('a &lt; b &amp;&amp; c &gt; d');
    const out = renderTelegram({ title: '<script>', text: ['Tom & Jerry <3', 'x>y'] }, payloads);
    expect(out.messages).toHaveLength(1);
    expect(out.messages[0].html).toBe('<b>&lt;script&gt;</b>\n\nTom &amp; Jerry &lt;3\n\nx&gt;y');
    assertValidHtml(out.messages[0].html);
  });

  it('puts tables in <pre> with aligned columns and numbers on the right', () => {
    const out = renderTelegram({ tables: [{ title: 'Positions', columns: ['Symbol', 'Qty'], rows: [['BTC/USDT', 0.5], ['ETH/<USDT>', 12]] }] }, payloads);
    const html = out.messages[0].html;
    expect(html).toContain('<b>Positions</b>');
    expect(html).toContain('<pre>Symbol      Qty\n----------  ---\nBTC/USDT    0.5\nETH/&lt;USDT&gt;   12</pre>');
    assertValidHtml(html);
  });

  it('splits a long reply under 4096 characters at line boundaries, closing and reopening <pre>', () => {
    const rows = Array.from({ length: 400 }, (_, i) => [`SYM${i}/USDT & <x>`, i * 1.5, 'a'.repeat(10)]);
    const reply: Reply = { title: 'Big', text: ['intro & <more>'], tables: [{ columns: ['Symbol', 'Value', 'Note'], rows }] };
    const out = renderTelegram(reply, payloads);
    expect(out.messages.length).toBeGreaterThan(2);
    for (const m of out.messages) {
      expect(m.html.length).toBeLessThanOrEqual(TELEGRAM_TEXT_LIMIT);
      assertValidHtml(m.html);
    }
    // Every row survives, whole, exactly once.
    const text = out.messages.map((m) => unescape(m.html)).join('\n');
    for (let i = 0; i < 400; i++) expect(text.split('\n').filter((l) => l.startsWith(`SYM${i}/USDT & <x> `))).toHaveLength(1);
    // The pre block continues in later chunks.
    expect(out.messages[1].html.startsWith('<pre>')).toBe(true);
  });

  it('hard-splits a single line longer than the limit without cutting an entity', () => {
    const line = '&<>'.repeat(3000);
    const out = renderTelegram({ text: [line] }, payloads);
    expect(out.messages.length).toBeGreaterThan(1);
    for (const m of out.messages) {
      expect(m.html.length).toBeLessThanOrEqual(TELEGRAM_TEXT_LIMIT);
      assertValidHtml(m.html);
    }
    expect(out.messages.map((m) => unescape(m.html)).join('')).toBe(line);
  });

  it('keeps emoji (surrogate pairs) whole when splitting', () => {
    const line = '📈'.repeat(5000);
    const out = renderTelegram({ text: [line] }, payloads);
    for (const m of out.messages) expect(m.html).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
    expect(out.messages.map((m) => m.html).join('')).toBe(line);
  });

  it('puts buttons as an inline keyboard on the last message with callback_data of at most 64 bytes', () => {
    const long = `/backtest sma-cross BTC/USDT 1h 2024-01-01 2024-06-30 fast=10 slow=30 stop=0.05`;
    const p = new ButtonPayloads();
    const out = renderTelegram(
      {
        text: ['x\n'.repeat(3000)],
        buttons: [
          { label: 'Confirm', command: '/confirm 4F7K2Q', style: 'danger' },
          { label: 'Cancel', command: '/cancel 4F7K2Q' },
          { label: 'Again', command: long },
        ],
      },
      p,
    );
    expect(out.messages.length).toBeGreaterThan(1);
    expect(out.messages.slice(0, -1).every((m) => m.keyboard === undefined)).toBe(true);
    const buttons = out.messages.at(-1)!.keyboard!.flat();
    expect(buttons.map((b) => b.text)).toEqual(['Confirm', 'Cancel', 'Again']);
    expect(buttons[0].callback_data).toBe('/confirm 4F7K2Q');
    for (const b of buttons) expect(Buffer.byteLength(b.callback_data)).toBeLessThanOrEqual(64);
    expect(buttons[2].callback_data).not.toBe(long);
    expect(p.decode(buttons[2].callback_data)).toBe(long);
  });

  it('returns images for sendPhoto with an escaped caption within 1024 characters', () => {
    const out = renderTelegram({ text: ['done'], images: [{ path: '/tmp/x.png', alt: 'equity', caption: `<equity> & ${'x'.repeat(2000)}` }] }, payloads);
    expect(out.photos).toHaveLength(1);
    expect(out.photos[0].captionHtml!.startsWith('&lt;equity&gt; &amp; ')).toBe(true);
    expect(out.photos[0].captionHtml!.length).toBeLessThanOrEqual(1024);
  });

  it('marks the tone on the title', () => {
    expect(renderTelegram({ title: 'Refused', tone: 'error' }, payloads).messages[0].html).toBe('<b>❌ Refused</b>');
  });
});
