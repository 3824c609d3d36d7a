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

/** Where a transport shows a follow-up job: progress edits its first answer, the result is a new message. */
export interface FollowUpSink {
  /** The job moved on: replace the answer with this (platforms that cannot edit ignore it). */
  progress(update: Reply): void;
  /** The job ended (done or failed): this is its result. Called once, last. */
  done(result: Reply): void;
}

/**
 * Work a command started that goes on after its answer — a backtest's progress and result. A command
 * returns one in `Reply.followUp`; every transport shows it the same way (src/adapters/chat/follow-up.ts),
 * so no transport knows about backtests.
 */
export interface FollowUp {
  /** For logs: `backtest:12`. */
  readonly id: string;
  /**
   * Start showing the job. The sink first receives the latest state (updates that happened before the
   * answer was sent are not lost), then every change. Returns a function that stops watching.
   */
  watch(sink: FollowUpSink): () => void;
}
