import { guessPair, mapSignalSymbol } from './symbol-mapping.ts';
import { SignalRefusal, type Signal, type SignalAction } from './signal.ts';

/**
 * The body of a signal: JSON sent as application/json, or TradingView's text/plain alert whose
 * message is JSON. Anything else is a 400 naming the body.
 */
export function parseSignalBody(raw: string): Record<string, unknown> {
  const text = raw.replace(/^\uFEFF/, '').trim();
  if (!text) throw new SignalRefusal(400, 'malformed', 'the body is empty: send a JSON object', 'body');
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    throw new SignalRefusal(400, 'malformed', 'the body is not JSON (TradingView: put the JSON object in the alert message)', 'body');
  }
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new SignalRefusal(400, 'malformed', 'the body must be a JSON object', 'body');
  return v as Record<string, unknown>;
}

/** Canonical name of every accepted field; 3Commas / TradingView names map onto them. */
const ALIASES: Record<string, string> = {
  passphrase: 'passphrase',
  secret: 'passphrase',
  id: 'id',
  signal_id: 'id',
  alert_id: 'id',
  time: 'time',
  timestamp: 'time',
  timenow: 'time',
  strategy: 'strategy',
  bot_uuid: 'strategy',
  symbol: 'symbol',
  ticker: 'symbol',
  tv_instrument: 'symbol',
  exchange: 'exchange',
  tv_exchange: 'exchange',
  action: 'action',
  side: 'action',
  amount: 'amount',
  percent: 'percent',
  price: 'price',
  trigger_price: 'price',
  stop_loss: 'stop_loss',
  sl: 'stop_loss',
  take_profit: 'take_profit',
  tp: 'take_profit',
  max_lag: 'max_lag',
  order: 'order',
  source: 'source',
  message: 'comment',
  comment: 'comment',
  strategy_info: 'strategy_info',
};

/** Actions as TradingView strategies and 3Commas send them, onto ours. */
const ACTIONS: Record<string, SignalAction> = {
  buy: 'buy',
  long: 'buy',
  enter_long: 'buy',
  sell: 'sell',
  short: 'sell',
  enter_short: 'sell',
  close: 'close',
  exit: 'close',
  exit_long: 'close',
  exit_short: 'close',
  flat: 'close',
  close_all: 'close_all',
  exit_all: 'close_all',
};

export interface NormaliseOptions {
  /** Symbols tradeops trades; signals for anything else are refused. */
  symbols: readonly string[];
  /** Idempotency key when the sender gives no id. */
  fallbackId: string;
}

/** The fields of a body under their canonical names; unknown names are a 400 naming the field. */
export function canonicalFields(body: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(body)) {
    const canon = ALIASES[k.toLowerCase()];
    if (!canon) throw new SignalRefusal(400, 'unknown_field', `unknown field "${k}" (accepted: ${[...new Set(Object.keys(ALIASES))].join(', ')})`, k);
    if (canon in out && out[canon] !== v) throw new SignalRefusal(400, 'malformed', `field "${k}" repeats "${canon}" with a different value`, k);
    out[canon] = v;
  }
  return out;
}

function num(v: unknown, field: string, test: (n: number) => boolean, accepts: string): number | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\s*-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?\s*$/.test(v) ? Number(v) : Number.NaN;
  if (!Number.isFinite(n) || !test(n)) throw new SignalRefusal(400, 'malformed', `${field}: got ${JSON.stringify(v)}, expected ${accepts}`, field);
  return n;
}

function str(v: unknown, field: string, max = 128): string | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v !== 'string' && typeof v !== 'number') throw new SignalRefusal(400, 'malformed', `${field}: expected a string`, field);
  const s = String(v).trim();
  if (s.length > max) throw new SignalRefusal(400, 'malformed', `${field}: longer than ${max} characters`, field);
  return s;
}

/** ISO 8601 (TradingView's {{timenow}}), or epoch seconds / milliseconds. */
function time(v: unknown): number | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v === 'number' || (typeof v === 'string' && /^\s*[0-9]+(\.[0-9]+)?\s*$/.test(v))) {
    const n = Number(v);
    return n < 1e11 ? Math.round(n * 1000) : Math.round(n);
  }
  const t = typeof v === 'string' ? Date.parse(v) : Number.NaN;
  if (!Number.isFinite(t)) throw new SignalRefusal(400, 'malformed', `time: got ${JSON.stringify(v)}, expected ISO 8601 (2026-01-01T12:00:00Z) or epoch seconds`, 'time');
  return t;
}

/**
 * From the canonical fields to a Signal: every value checked, the symbol mapped to a traded market,
 * prices consistent with the side. Authentication fields (`passphrase`, `source`) are ignored here.
 */
export function normaliseSignal(f: Record<string, unknown>, o: NormaliseOptions): Signal {
  const positive = (n: number) => n > 0;
  const rawAction = str(f.action, 'action', 32)?.toLowerCase();
  if (!rawAction) throw new SignalRefusal(400, 'malformed', 'action: missing, expected buy, sell, close or close_all', 'action');
  const action = ACTIONS[rawAction];
  if (!action) throw new SignalRefusal(400, 'malformed', `action: got "${rawAction}", expected buy, sell, close or close_all`, 'action');

  let symbol: string | undefined;
  const ticker = str(f.symbol, 'symbol', 64);
  if (ticker) {
    const exchange = str(f.exchange, 'exchange', 32);
    symbol = mapSignalSymbol(exchange && !ticker.includes(':') ? `${exchange}:${ticker}` : ticker, o.symbols);
    if (!symbol) {
      const pair = guessPair(ticker);
      throw new SignalRefusal(400, 'unknown_symbol', `symbol: "${ticker}"${pair ? ` (${pair})` : ''} is not traded here (SYMBOLS: ${o.symbols.join(', ')})`, 'symbol');
    }
  } else if (action !== 'close_all') throw new SignalRefusal(400, 'malformed', 'symbol: missing (e.g. BINANCE:BTCUSDT or BTC/USDT)', 'symbol');

  let amount = num(f.amount, 'amount', positive, 'a positive quote amount');
  let percent = num(f.percent, 'percent', (n) => n > 0 && n <= 100, 'a percent of equity above 0 and at most 100');
  let baseAmount: number | undefined;
  if (f.order !== undefined) {
    const order = f.order as Record<string, unknown>;
    if (order === null || typeof order !== 'object' || Array.isArray(order)) throw new SignalRefusal(400, 'malformed', 'order: expected an object such as {"amount": 100, "currency_type": "quote"}', 'order');
    for (const k of Object.keys(order)) if (!['amount', 'currency_type', 'order_type'].includes(k)) throw new SignalRefusal(400, 'unknown_field', `unknown field "order.${k}" (accepted: amount, currency_type, order_type)`, `order.${k}`);
    const type = str(order.currency_type, 'order.currency_type', 16) ?? 'quote';
    if (!['quote', 'base', 'margin_percent', 'percent'].includes(type)) throw new SignalRefusal(400, 'malformed', `order.currency_type: got "${type}", expected quote, base or percent`, 'order.currency_type');
    const orderType = str(order.order_type, 'order.order_type', 16);
    if (orderType && orderType !== 'market') throw new SignalRefusal(400, 'malformed', `order.order_type: got "${orderType}", only market orders are placed from signals`, 'order.order_type');
    const a = num(order.amount, 'order.amount', positive, 'a positive number');
    if (a !== undefined) {
      if (type === 'base') baseAmount = a;
      else if (type === 'quote') amount ??= a;
      else percent ??= num(a, 'order.amount', (n) => n <= 100, 'a percent of equity above 0 and at most 100');
    }
  }
  const sizes = [amount, percent, baseAmount].filter((x) => x !== undefined).length;
  if (sizes > 1) throw new SignalRefusal(400, 'malformed', 'amount: give either amount (quote), percent (of equity) or a base amount, not several', 'amount');

  const price = num(f.price, 'price', positive, 'a positive price');
  const stopLoss = num(f.stop_loss, 'stop_loss', positive, 'a positive price');
  const takeProfit = num(f.take_profit, 'take_profit', positive, 'a positive price');
  if ((stopLoss !== undefined || takeProfit !== undefined) && action !== 'buy' && action !== 'sell') {
    throw new SignalRefusal(400, 'malformed', `${stopLoss !== undefined ? 'stop_loss' : 'take_profit'}: only buy and sell signals open positions that take protection`, stopLoss !== undefined ? 'stop_loss' : 'take_profit');
  }
  if (price !== undefined) {
    const long = action === 'buy';
    if (stopLoss !== undefined && (long ? stopLoss >= price : stopLoss <= price)) throw new SignalRefusal(400, 'malformed', `stop_loss: ${stopLoss} must be ${long ? 'below' : 'above'} the price ${price} for a ${action}`, 'stop_loss');
    if (takeProfit !== undefined && (long ? takeProfit <= price : takeProfit >= price)) throw new SignalRefusal(400, 'malformed', `take_profit: ${takeProfit} must be ${long ? 'above' : 'below'} the price ${price} for a ${action}`, 'take_profit');
  }
  const id = str(f.id, 'id', 128) ?? o.fallbackId;
  if (!/^[\w.:@/-]+$/.test(id)) throw new SignalRefusal(400, 'malformed', 'id: use letters, digits and . _ : @ / -', 'id');
  if (f.comment !== undefined) str(f.comment, 'comment', 500);
  if (f.strategy_info !== undefined && (f.strategy_info === null || typeof f.strategy_info !== 'object')) throw new SignalRefusal(400, 'malformed', 'strategy_info: expected an object', 'strategy_info');
  return {
    id,
    time: time(f.time),
    strategy: str(f.strategy, 'strategy', 64),
    symbol,
    action,
    amount,
    percent,
    baseAmount,
    price,
    stopLoss,
    takeProfit,
    maxLag: num(f.max_lag, 'max_lag', positive, 'a positive number of seconds'),
  };
}
