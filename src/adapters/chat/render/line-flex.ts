import type { messagingApi } from '@line/bot-sdk';
import type { ReplyTable } from '../../../../commands/reply.ts';
import { cardLines, cellText, columnAlign, layoutTable, PHONE_WIDTH, type TableCard, wrapText } from './table-layout.ts';

/** Rows per bubble and bubbles per carousel: keeps each bubble well under LINE's 30 KB. */
export const FLEX_ROWS_PER_BUBBLE = 25;
export const FLEX_MAX_BUBBLES = 12;
/** Cards (one per row of a table too wide for a phone) per bubble. */
export const FLEX_CARDS_PER_BUBBLE = 8;
export const LINE_ALT_TEXT_LIMIT = 400;

type FlexComponent = messagingApi.FlexComponent;

function cell(text: string, align: 'start' | 'end', bold: boolean): FlexComponent {
  return {
    type: 'text',
    // An empty text component is rejected by the API.
    text: text.length > 0 ? text.slice(0, 200) : '-',
    size: 'xs',
    flex: 1,
    align,
    wrap: true,
    ...(bold ? { weight: 'bold' as const } : {}),
  } as FlexComponent;
}

function bubble(table: ReplyTable, rows: ReplyTable['rows'], title: string | undefined): messagingApi.FlexBubble {
  const align = columnAlign(table).map((a) => (a === 'right' ? ('end' as const) : ('start' as const)));
  const line = (values: string[], bold: boolean): FlexComponent =>
    ({ type: 'box', layout: 'horizontal', spacing: 'sm', contents: values.map((v, i) => cell(v, align[i], bold)) }) as FlexComponent;
  const contents: FlexComponent[] = [line(table.columns, true), { type: 'separator' } as FlexComponent];
  for (const r of rows) contents.push(line(table.columns.map((_, i) => cellText(r[i] ?? '')), false));
  const b: messagingApi.FlexBubble = {
    type: 'bubble',
    size: table.columns.length > 3 ? 'giga' : 'mega',
    body: { type: 'box', layout: 'vertical', spacing: 'sm', contents },
  };
  if (title) b.header = { type: 'box', layout: 'vertical', contents: [{ type: 'text', text: title.slice(0, 200), weight: 'bold', wrap: true } as FlexComponent] };
  return b;
}

function text(value: string, extra: Record<string, unknown> = {}): FlexComponent {
  return { type: 'text', text: value.length > 0 ? value : '-', size: 'xs', wrap: true, ...extra } as FlexComponent;
}

/** One card per row: the row's name in bold, then `key: value` lines of at most PHONE_WIDTH characters. */
function cardBubble(cards: TableCard[], title: string | undefined): messagingApi.FlexBubble {
  const contents: FlexComponent[] = [];
  cards.forEach((card, i) => {
    if (i > 0) contents.push({ type: 'separator' } as FlexComponent);
    const lines = cardLines(card, PHONE_WIDTH);
    const titleCount = wrapText(card.title, PHONE_WIDTH).length;
    contents.push(text(lines.slice(0, titleCount).join('\n'), { weight: 'bold' }));
    // Proportional type: the card's two-space indent is dropped, its continuation lines keep two.
    if (lines.length > titleCount) contents.push(text(lines.slice(titleCount).map((l) => l.replace(/^ {2}/, '')).join('\n')));
  });
  const b: messagingApi.FlexBubble = { type: 'bubble', size: 'mega', body: { type: 'box', layout: 'vertical', spacing: 'sm', contents } };
  if (title) b.header = { type: 'box', layout: 'vertical', contents: [{ type: 'text', text: title.slice(0, 200), weight: 'bold', wrap: true } as FlexComponent] };
  return b;
}

/**
 * A table as a Flex message: a grid bubble (a carousel when the rows need several) with a bold header
 * row and numbers right-aligned when the table fits a phone's 40 characters, else one card per row
 * (`key: value`); alt text for notifications and clients without Flex support.
 */
export function tableToFlex(table: ReplyTable): { message: messagingApi.FlexMessage; hiddenRows: number } {
  const bubbles: messagingApi.FlexBubble[] = [];
  const layout = layoutTable(table, { maxWidth: PHONE_WIDTH });
  const perBubble = layout.kind === 'grid' ? FLEX_ROWS_PER_BUBBLE : FLEX_CARDS_PER_BUBBLE;
  for (let i = 0; i < table.rows.length || (i === 0 && bubbles.length === 0); i += perBubble) {
    if (bubbles.length === FLEX_MAX_BUBBLES) break;
    const partTitle = i === 0 ? table.title : table.title ? `${table.title} (cont.)` : undefined;
    if (layout.kind === 'grid') bubbles.push(bubble(table, table.rows.slice(i, i + perBubble), partTitle));
    else bubbles.push(cardBubble(layout.cards.slice(i, i + perBubble), partTitle));
    if (table.rows.length === 0) break;
  }
  const shown = Math.min(table.rows.length, perBubble * FLEX_MAX_BUBBLES);
  const alt = `${table.title ?? 'Table'}: ${table.columns.join(', ')} (${table.rows.length} rows)`;
  return {
    message: {
      type: 'flex',
      altText: alt.slice(0, LINE_ALT_TEXT_LIMIT),
      contents: bubbles.length === 1 ? bubbles[0] : { type: 'carousel', contents: bubbles },
    },
    hiddenRows: table.rows.length - shown,
  };
}
