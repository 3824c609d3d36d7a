import type { messagingApi } from '@line/bot-sdk';
import type { ReplyTable } from '../../../../commands/reply.ts';
import { formatCell } from './monospace-table.ts';

/** Rows per bubble and bubbles per carousel: keeps each bubble well under LINE's 30 KB. */
export const FLEX_ROWS_PER_BUBBLE = 25;
export const FLEX_MAX_BUBBLES = 12;
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
  const align = table.columns.map((_, i) => {
    const a = table.align?.[i] ?? (table.rows.length > 0 && table.rows.every((r) => typeof r[i] === 'number') ? 'right' : 'left');
    return a === 'right' ? ('end' as const) : ('start' as const);
  });
  const line = (values: string[], bold: boolean): FlexComponent =>
    ({ type: 'box', layout: 'horizontal', spacing: 'sm', contents: values.map((v, i) => cell(v, align[i], bold)) }) as FlexComponent;
  const contents: FlexComponent[] = [line(table.columns, true), { type: 'separator' } as FlexComponent];
  for (const r of rows) contents.push(line(table.columns.map((_, i) => formatCell(r[i] ?? '')), false));
  const b: messagingApi.FlexBubble = {
    type: 'bubble',
    size: table.columns.length > 3 ? 'giga' : 'mega',
    body: { type: 'box', layout: 'vertical', spacing: 'sm', contents },
  };
  if (title) b.header = { type: 'box', layout: 'vertical', contents: [{ type: 'text', text: title.slice(0, 200), weight: 'bold', wrap: true } as FlexComponent] };
  return b;
}

/**
 * A table as a Flex message: one bubble (a carousel when the rows need several), a bold header row,
 * numbers right-aligned, and alt text for notifications and clients without Flex support.
 */
export function tableToFlex(table: ReplyTable): { message: messagingApi.FlexMessage; hiddenRows: number } {
  const bubbles: messagingApi.FlexBubble[] = [];
  for (let i = 0; i < table.rows.length || (i === 0 && bubbles.length === 0); i += FLEX_ROWS_PER_BUBBLE) {
    if (bubbles.length === FLEX_MAX_BUBBLES) break;
    const part = table.rows.slice(i, i + FLEX_ROWS_PER_BUBBLE);
    bubbles.push(bubble(table, part, i === 0 ? table.title : table.title ? `${table.title} (cont.)` : undefined));
    if (table.rows.length === 0) break;
  }
  const shown = Math.min(table.rows.length, FLEX_ROWS_PER_BUBBLE * FLEX_MAX_BUBBLES);
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
