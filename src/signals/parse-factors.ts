import type { FactorReading } from '../ports/factors.ts';
import { mapSignalSymbol } from './symbol-mapping.ts';
import { SignalRefusal } from './signal.ts';

const NAME = /^[a-z][a-z0-9_]{0,47}$/;

/**
 * A factor body: `{ passphrase, time?, symbol?, factors: { funding_rate: 0.0001, fear_greed: 22 } }`
 * (symbol absent or `*` = market-wide), or `{ …, name, value }` for one factor. Values are numbers
 * (or numeric strings); names are lowercase snake_case. Unknown fields are a 400 naming the field.
 */
export function parseFactors(body: Record<string, unknown>, o: { symbols: readonly string[]; now: number; allowedSymbols?: readonly string[] }): FactorReading[] {
  for (const k of Object.keys(body)) {
    if (!['passphrase', 'secret', 'time', 'timestamp', 'symbol', 'ticker', 'factors', 'name', 'value'].includes(k)) {
      throw new SignalRefusal(400, 'unknown_field', `unknown field "${k}" (accepted: passphrase, time, symbol, factors, name, value)`, k);
    }
  }
  const rawSymbol = body.symbol ?? body.ticker;
  let symbol = '*';
  if (rawSymbol !== undefined && rawSymbol !== '*') {
    if (typeof rawSymbol !== 'string') throw new SignalRefusal(400, 'malformed', 'symbol: expected a string such as BINANCE:BTCUSDT, BTC/USDT or *', 'symbol');
    const mapped = mapSignalSymbol(rawSymbol, o.symbols);
    if (!mapped) throw new SignalRefusal(400, 'unknown_symbol', `symbol: "${rawSymbol}" is not traded here (SYMBOLS: ${o.symbols.join(', ')})`, 'symbol');
    if (o.allowedSymbols && !o.allowedSymbols.includes(mapped)) throw new SignalRefusal(403, 'symbol_not_allowed', `symbol: ${mapped} is not among this source's symbols`, 'symbol');
    symbol = mapped;
  }
  const rawTime = body.time ?? body.timestamp;
  let ts = o.now;
  if (rawTime !== undefined) {
    const n = typeof rawTime === 'number' || (typeof rawTime === 'string' && /^[0-9]+(\.[0-9]+)?$/.test(rawTime)) ? Number(rawTime) : typeof rawTime === 'string' ? Date.parse(rawTime) : Number.NaN;
    if (!Number.isFinite(n)) throw new SignalRefusal(400, 'malformed', `time: got ${JSON.stringify(rawTime)}, expected ISO 8601 or epoch seconds`, 'time');
    ts = n < 1e11 ? Math.round(n * 1000) : Math.round(n);
    if (ts - o.now > 60_000) throw new SignalRefusal(400, 'malformed', 'time: more than 60 s in the future (sender clock?)', 'time');
  }
  let entries: Array<[string, unknown]>;
  if (body.factors !== undefined) {
    if (body.name !== undefined || body.value !== undefined) throw new SignalRefusal(400, 'malformed', 'name: give either factors {…} or name and value, not both', 'name');
    if (body.factors === null || typeof body.factors !== 'object' || Array.isArray(body.factors)) throw new SignalRefusal(400, 'malformed', 'factors: expected an object of name → number', 'factors');
    entries = Object.entries(body.factors);
  } else if (body.name !== undefined) entries = [[String(body.name), body.value]];
  else throw new SignalRefusal(400, 'malformed', 'factors: missing (e.g. {"factors":{"funding_rate":0.0001}})', 'factors');
  if (entries.length === 0 || entries.length > 50) throw new SignalRefusal(400, 'malformed', 'factors: expected 1 to 50 factors', 'factors');
  return entries.map(([name, v]) => {
    if (!NAME.test(name)) throw new SignalRefusal(400, 'malformed', `factors.${name}: names are lowercase snake_case (funding_rate, fear_greed)`, `factors.${name}`);
    const value = typeof v === 'number' ? v : typeof v === 'string' && /^\s*-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?\s*$/.test(v) ? Number(v) : Number.NaN;
    if (!Number.isFinite(value)) throw new SignalRefusal(400, 'malformed', `factors.${name}: got ${JSON.stringify(v)}, expected a number`, `factors.${name}`);
    return { symbol, name, value, ts };
  });
}
