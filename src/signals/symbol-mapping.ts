const QUOTES = ['USDT', 'USDC', 'FDUSD', 'BUSD', 'TUSD', 'DAI', 'USD', 'EUR', 'GBP', 'TRY', 'BRL', 'JPY', 'BTC', 'ETH', 'BNB'];

/**
 * TradingView and 3Commas name markets `BINANCE:BTCUSDT`, `BTCUSDT.P` (perpetual), `BTC-USDT` or
 * `BTC_USDT`; ccxt names them `BTC/USDT` (spot) and `BTC/USDT:USDT` (linear swap). The result is
 * matched against the markets tradeops trades, so an unknown or ambiguous ticker is refused rather
 * than guessed. Returns undefined when no configured symbol matches.
 */
export function mapSignalSymbol(ticker: string, symbols: readonly string[]): string | undefined {
  const t = ticker.trim().toUpperCase();
  if (symbols.includes(t)) return t;
  const bare = t.includes(':') && !t.includes('/') ? t.slice(t.indexOf(':') + 1) : t;
  const noSuffix = bare.replace(/\.P$|PERP$/, '');
  const compact = noSuffix.replace(/[-_/]/g, '');
  const matches = symbols.filter((s) => {
    const [pair] = s.split(':');
    return pair!.replace('/', '') === compact;
  });
  if (matches.length === 1) return matches[0];
  // Not configured: split on a known quote so the caller can name the pair it would have been.
  return undefined;
}

/** `BTCUSDT` → `BTC/USDT` when the quote is a known one (for error messages). */
export function guessPair(ticker: string): string | undefined {
  const t = ticker.trim().toUpperCase().replace(/^[A-Z0-9]+:/, '').replace(/\.P$|PERP$/, '').replace(/[-_/]/g, '');
  const quote = QUOTES.find((q) => t.endsWith(q) && t.length > q.length);
  return quote ? `${t.slice(0, -quote.length)}/${quote}` : undefined;
}
