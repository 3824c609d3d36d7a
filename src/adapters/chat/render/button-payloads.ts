import { randomBytes } from 'node:crypto';

/**
 * Telegram's callback_data holds at most 64 bytes (Discord custom_id 100 characters, LINE postback
 * data 300). Button commands are normally short (`/confirm 4F7K2Q`); a longer one is kept here and
 * the button carries a short reference `#<id>` instead, resolved when the button is pressed. Entries
 * expire (a stale keyboard then answers "button expired") and the store is bounded.
 */
export class ButtonPayloads {
  private readonly entries = new Map<string, { command: string; expiresAt: number }>();

  constructor(
    private readonly options: { maxEntries?: number; ttlMs?: number; now?: () => number } = {},
  ) {}

  /** The payload to put on a button: the command itself when it fits in `maxBytes`, else a reference. */
  encode(command: string, maxBytes: number): string {
    if (Buffer.byteLength(command, 'utf8') <= maxBytes && !command.startsWith('#')) return command;
    const now = this.now();
    const id = `#${randomBytes(9).toString('base64url')}`;
    this.entries.set(id, { command, expiresAt: now + (this.options.ttlMs ?? 24 * 3_600_000) });
    const max = this.options.maxEntries ?? 10_000;
    while (this.entries.size > max) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
    return id;
  }

  /** The command line behind a payload, or undefined when a reference is unknown or expired. */
  decode(payload: string): string | undefined {
    if (!payload.startsWith('#')) return payload;
    const entry = this.entries.get(payload);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.now()) {
      this.entries.delete(payload);
      return undefined;
    }
    return entry.command;
  }

  private now(): number {
    return this.options.now ? this.options.now() : Date.now();
  }
}
