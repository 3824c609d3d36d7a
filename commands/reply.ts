import type { FollowUp } from './follow-up.ts';

/**
 * A platform-neutral answer. Commands return a Reply; each transport renders it (Telegram HTML,
 * Discord embeds/components, LINE Flex, console text). Keep it structural: no platform markup here.
 */
export interface Reply {
  /** Title line (bold where the platform allows). */
  title?: string;
  /** Plain-text paragraphs; transports escape them for their markup. */
  text?: string[];
  /** Tables render as monospace blocks (Telegram, console), embeds (Discord), Flex (LINE). */
  tables?: ReplyTable[];
  /** Images (charts). `path` is a PNG file on disk; transports upload it or serve it by URL. */
  images?: ReplyImage[];
  /** Buttons: confirmations (Confirm / Cancel) and follow-ups. */
  buttons?: ReplyButton[];
  /** Severity colours the message where the platform allows it. */
  tone?: 'info' | 'success' | 'warning' | 'error';
  /** Only the asker should see it where the platform supports it (Discord ephemeral). */
  ephemeral?: boolean;
  /** Work that goes on after this answer (a backtest): its progress edits this answer, its result follows. */
  followUp?: FollowUp;
}

export interface ReplyTable {
  title?: string;
  columns: string[];
  rows: Array<Array<string | number>>;
  /** Column alignment; numbers default to right. */
  align?: Array<'left' | 'right'>;
}

export interface ReplyImage {
  path: string;
  caption?: string;
  /** Alternative text for platforms that cannot show images. */
  alt: string;
}

export interface ReplyButton {
  label: string;
  /** The command line the button sends, e.g. `/confirm 4F7K2Q` — at most 64 bytes (Telegram callback_data). */
  command: string;
  style?: 'primary' | 'danger' | 'secondary';
}

export const reply = {
  text(...lines: string[]): Reply {
    return { text: lines };
  },
  error(message: string): Reply {
    return { text: [message], tone: 'error' };
  },
};
