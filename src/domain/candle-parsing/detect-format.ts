/** The text formats a candle file may be in. */
export type CandleFileFormat = 'csv' | 'json';

/**
 * Decide how to parse a candle file from its name and its first characters. Content wins: a CSV
 * cannot start with `[` or `{`, so those are JSON whatever the extension says; otherwise a `.json`
 * extension still means JSON (so a broken JSON file gets a JSON error, not a CSV one) and anything
 * else (`.csv`, `.tsv`, `.txt`, no extension) is CSV.
 */
export function detectCandleFormat(name: string, head: string): CandleFileFormat {
  for (let i = 0; i < head.length; i++) {
    const c = head.charCodeAt(i);
    if (c === 0xfeff || c === 32 || c === 9 || c === 10 || c === 13) continue;
    if (c === 91 /* [ */ || c === 123 /* { */) return 'json';
    break;
  }
  return /\.json$/i.test(name) ? 'json' : 'csv';
}
