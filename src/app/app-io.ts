import type { Readable, Writable } from 'node:stream';

/** The streams the bot's console talks to (the process's own, or a test's). */
export interface AppIo {
  stdin: Readable & { isTTY?: boolean };
  stdout: Writable & { isTTY?: boolean };
}
