/**
 * Plain text → Discord markdown that shows the same characters. Inline markers are escaped
 * everywhere; block markers (quote, heading, list) only where Discord reads them, at a line start.
 */
export function escapeDiscordMarkdown(text: string): string {
  return text
    .split('\n')
    .map((line) =>
      line
        .replace(/[\\*_~`|[\]]/g, (c) => `\\${c}`)
        .replace(/^(\s*)([>#]|-(?=\s)|\+(?=\s)|\d+\.(?=\s))/, (_m, ws: string, marker: string) => `${ws}\\${marker}`),
    )
    .join('\n')
    .replace(/@(everyone|here)/g, '@\u200b$1');
}

/** Text inside a ``` block: only a triple backtick could end the block early. */
export function codeBlockSafe(text: string): string {
  return text.replace(/`/g, 'ˋ');
}
