import { describe, expect, it } from 'vitest';
import { renderTable, renderText, textWidth } from '../../../src/adapters/chat/render/text.ts';

describe('plain text renderer', () => {
  it('aligns tables: text left, numbers and numeric text right', () => {
    const lines = renderTable({
      columns: ['Symbol', 'Qty', 'P&L'],
      rows: [
        ['BTC/USDT', 0.05, '+25.00'],
        ['ETH/USDT', 12, '-1,234.50'],
      ],
    });
    expect(lines).toEqual([
      'Symbol     Qty        P&L',
      '────────  ────  ─────────',
      'BTC/USDT  0.05     +25.00',
      'ETH/USDT    12  -1,234.50',
    ]);
  });

  it('honours explicit alignment and measures wide characters', () => {
    expect(textWidth('日本')).toBe(4);
    expect(textWidth('e\u0301')).toBe(1);
    const lines = renderTable({ columns: ['A', 'B'], rows: [['日本', '1'], ['x', '22']], align: ['right', 'left'] });
    expect(lines).toEqual(['   A  B', '────  ──', '日本  1', '   x  22']);
  });

  it('keeps cells on one line and shows non-finite numbers as a dash', () => {
    expect(renderTable({ columns: ['v'], rows: [[Number.NaN], ['a\nb']] }).slice(2)).toEqual(['—', 'a b']);
  });

  it('renders a whole reply: title, text, tables, images, buttons as commands to type', () => {
    const out = renderText({
      title: 'Confirm /stop?',
      text: ['Trading goes to HALTED.'],
      tables: [{ title: 'Open positions', columns: ['Symbol', 'Qty'], rows: [['BTC/USDT', 1]] }],
      images: [{ path: '/data/chart.png', alt: 'equity chart' }],
      buttons: [
        { label: 'Confirm', command: '/confirm AB3K9Z' },
        { label: 'Cancel', command: '/cancel AB3K9Z' },
      ],
    });
    expect(out).toBe(
      [
        'Confirm /stop?',
        'Trading goes to HALTED.',
        '',
        'Open positions:',
        'Symbol    Qty',
        '────────  ───',
        'BTC/USDT    1',
        '[image] equity chart: /data/chart.png',
        '',
        '[Confirm] /confirm AB3K9Z   [Cancel] /cancel AB3K9Z',
      ].join('\n'),
    );
  });
});
