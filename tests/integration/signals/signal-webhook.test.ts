import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { getSignal } from '../../../src/adapters/db/repositories/signals.ts';
import { recentAudit } from '../../../src/adapters/db/repositories/audit-log.ts';
import { signBody } from '../../../src/signals/sources.ts';
import { closeSignalDatabases, SECRET, startSignalHarness, type SignalHarness } from './support/signal-harness.ts';

let h: SignalHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});
afterAll(() => closeSignalDatabases());

const iso = (msAgo = 0) => new Date(Date.now() - msAgo).toISOString();
const buy = (id: string, extra: Record<string, unknown> = {}) => ({ passphrase: SECRET, id, time: iso(), symbol: 'BINANCE:BTCUSDT', action: 'buy', amount: 500, ...extra });

describe('POST /webhooks/signal (real kernel, risk gate, PGlite, simulated exchange)', () => {
  it('accepts a JSON signal, answers before processing, maps the TradingView ticker and places the order through the gate', async () => {
    h = await startSignalHarness();
    const res = await h.post('/webhooks/signal', buy('tv-1', { stop_loss: 1, strategy: 'tv-breakout' }));
    expect(res).toEqual({ status: 200, json: { ok: true, accepted: true, id: 'tv-1' } });
    await h.signals.drain();
    const position = h.kernel.portfolio.get('BTC/USDT');
    expect(position?.quantity).toBeGreaterThan(0);
    const price = h.kernel.engine.markPrices().get('BTC/USDT')!;
    expect(position!.quantity * price).toBeGreaterThan(400);
    expect(position!.quantity * price).toBeLessThanOrEqual(500);
    const stored = await getSignal(h.database.db, 'tradingview', 'tv-1');
    expect(stored).toMatchObject({ status: 'executed', signal: { symbol: 'BTC/USDT', action: 'buy', amount: 500, strategy: 'tv-breakout' } });
    expect(JSON.stringify(stored)).not.toContain(SECRET);
    const alert = h.events.find((e) => e.type === 'signal');
    expect(alert).toMatchObject({ type: 'signal', source: 'tradingview', signalId: 'tv-1', outcome: 'executed', symbol: 'BTC/USDT' });
    expect(h.events.some((e) => e.type === 'entry' && e.symbol === 'BTC/USDT')).toBe(true);
    const audit = await recentAudit(h.database.db, 5);
    expect(audit[0]).toMatchObject({ platform: 'webhook', userId: 'tradingview', command: '/webhooks/signal', decision: 'allowed', role: 'trader' });
    expect(JSON.stringify(audit)).not.toContain(SECRET);
  });

  it("accepts TradingView's text/plain body carrying JSON, and 3Commas-style field names", async () => {
    h = await startSignalHarness();
    const tv = await h.post('/webhooks/signal', JSON.stringify(buy('tv-text')), { 'content-type': 'text/plain; charset=utf-8' });
    expect(tv.status).toBe(200);
    const threeCommas = {
      secret: SECRET,
      max_lag: '300',
      timestamp: iso(),
      trigger_price: String(h.kernel.engine.markPrices().get('ETH/USDT')),
      tv_exchange: 'BINANCE',
      tv_instrument: 'ETHUSDT',
      action: 'enter_long',
      bot_uuid: 'b-123',
      strategy_info: { market_position: 'long' },
      order: { amount: '300', currency_type: 'quote' },
    };
    const res = await h.post('/webhooks/signal', JSON.stringify(threeCommas), { 'content-type': 'text/plain' });
    expect(res.status).toBe(200);
    await h.signals.drain();
    expect(h.kernel.portfolio.get('ETH/USDT')?.quantity).toBeGreaterThan(0);
    expect(h.kernel.portfolio.get('BTC/USDT')?.quantity).toBeGreaterThan(0);
  });

  it('accepts an X-Signature (HMAC-SHA256 of the raw body) instead of a passphrase; a wrong one is 401', async () => {
    h = await startSignalHarness();
    const body = JSON.stringify({ id: 'signed-1', time: iso(), symbol: 'BTC/USDT', action: 'buy', percent: 5 });
    const ok = await h.post('/webhooks/signal', body, { 'x-signature': `sha256=${signBody(body, SECRET)}` });
    expect(ok.status).toBe(200);
    const bad = await h.post('/webhooks/signal', body.replace('signed-1', 'signed-2'), { 'x-signature': signBody(body, SECRET) });
    expect(bad).toMatchObject({ status: 401, json: { ok: false, reason: 'bad_signature' } });
  });

  it('refuses with the status and reason of each failure, and audits every refusal', async () => {
    h = await startSignalHarness({ SIGNAL_MAX_LAG: '30' });
    const cases: Array<[unknown, number, string, string?]> = [
      [{ ...buy('a'), passphrase: 'wrong-passphrase!' }, 401, 'bad_passphrase', 'passphrase'],
      [{ id: 'b', action: 'buy', symbol: 'BTC/USDT' }, 401, 'unauthenticated', 'passphrase'],
      [buy('c', { time: iso(31_000) }), 409, 'too_old', 'time'],
      [buy('d', { time: new Date(Date.now() + 120_000).toISOString() }), 409, 'from_the_future', 'time'],
      [buy('e', { leverage: 5 }), 400, 'unknown_field', 'leverage'],
      [buy('f', { action: 'hodl' }), 400, 'malformed', 'action'],
      [buy('g', { amount: -5 }), 400, 'malformed', 'amount'],
      [buy('h', { amount: 'lots' }), 400, 'malformed', 'amount'],
      [buy('i', { symbol: 'BINANCE:DOGEUSDT' }), 400, 'unknown_symbol', 'symbol'],
      [buy('j', { time: 'yesterday' }), 400, 'malformed', 'time'],
      [buy('k', { price: 100, stop_loss: 120 }), 400, 'malformed', 'stop_loss'],
      [buy('l', { percent: 150, amount: undefined }), 400, 'malformed', 'percent'],
      [buy('m', { percent: 5 }), 400, 'malformed', 'amount'],
      ['not json at all', 400, 'malformed', 'body'],
      [[1, 2], 400, 'malformed', 'body'],
    ];
    for (const [body, status, reason, field] of cases) {
      const res = await h.post('/webhooks/signal', body);
      expect({ body, status: res.status, reason: res.json.reason, field: res.json.field }).toEqual({ body, status, reason, field });
      expect(typeof res.json.error).toBe('string');
    }
    await h.signals.drain();
    expect(h.kernel.portfolio.all()).toHaveLength(0);
    const audit = await recentAudit(h.database.db, 50);
    expect(audit.filter((a) => a.command === '/webhooks/signal' && a.decision !== 'allowed')).toHaveLength(cases.length);
    expect(JSON.stringify(audit)).not.toContain(SECRET);
    expect(h.webhooks.filter(([, o]) => o === 'too_old')).toHaveLength(1);
  });

  it('refuses senders outside SIGNAL_ALLOWED_IPS with 403 before reading the body', async () => {
    h = await startSignalHarness({ SIGNAL_ALLOWED_IPS: '52.89.214.238,34.212.75.30,54.218.53.128,52.32.178.7' });
    const res = await h.post('/webhooks/signal', buy('ip-1'));
    expect(res).toMatchObject({ status: 403, json: { reason: 'ip_not_allowed' } });
  });

  it('runs an id once: the second delivery answers 200 duplicate and places nothing', async () => {
    h = await startSignalHarness();
    expect((await h.post('/webhooks/signal', buy('dup-1'))).json).toMatchObject({ accepted: true });
    await h.signals.drain();
    const qty = h.kernel.portfolio.get('BTC/USDT')!.quantity;
    const again = await h.post('/webhooks/signal', buy('dup-1'));
    expect(again).toEqual({ status: 200, json: { ok: true, duplicate: true, id: 'dup-1' } });
    await h.signals.drain();
    expect(h.kernel.portfolio.get('BTC/USDT')!.quantity).toBe(qty);
    expect(h.events.filter((e) => e.type === 'signal')).toHaveLength(1);
  });

  it('a signal the risk gate denies is stored, alerted with the reasons and places nothing', async () => {
    h = await startSignalHarness();
    await h.kernel.tradingState.set('HALTED', 'test halt', 'test');
    expect((await h.post('/webhooks/signal', buy('halted-1'))).status).toBe(200);
    await h.signals.drain();
    expect(h.kernel.portfolio.all()).toHaveLength(0);
    const ev = h.events.find((e) => e.type === 'signal');
    expect(ev).toMatchObject({ outcome: 'denied' });
    expect(ev && 'detail' in ev ? ev.detail : '').toMatch(/HALTED|TRADING_STATE/);
    expect((await getSignal(h.database.db, 'tradingview', 'halted-1'))?.status).toBe('denied');
  });

  it('close and close_all exit positions; sell on a spot account when flat is denied by the gate', async () => {
    h = await startSignalHarness();
    await h.post('/webhooks/signal', buy('o-1'));
    await h.post('/webhooks/signal', buy('o-2', { symbol: 'ETHUSDT' }));
    await h.signals.drain();
    expect(h.kernel.portfolio.all()).toHaveLength(2);
    await h.post('/webhooks/signal', { passphrase: SECRET, id: 'c-1', time: iso(), symbol: 'BTC-USDT', action: 'close' });
    await h.signals.drain();
    expect(h.kernel.portfolio.all().map((p) => p.symbol)).toEqual(['ETH/USDT']);
    await h.post('/webhooks/signal', { passphrase: SECRET, id: 'c-2', time: iso(), action: 'close_all' });
    await h.signals.drain();
    expect(h.kernel.portfolio.all()).toHaveLength(0);
    await h.post('/webhooks/signal', { passphrase: SECRET, id: 's-1', time: iso(), symbol: 'BTCUSDT', action: 'sell' });
    await h.signals.drain();
    expect(h.events.filter((e) => e.type === 'signal').at(-1)).toMatchObject({ signalId: 's-1', outcome: 'denied' });
  });

  it("a source's own secret, symbols and max_amount apply", async () => {
    h = await startSignalHarness({ SIGNAL_SOURCES: JSON.stringify({ desk: { secret: 'desk-secret-0001', symbols: ['ETH/USDT'], max_amount: 200 } }) });
    const other = await h.post('/webhooks/signal', { ...buy('d-1'), passphrase: 'desk-secret-0001' });
    expect(other).toMatchObject({ status: 403, json: { reason: 'symbol_not_allowed', field: 'symbol' } });
    const big = await h.post('/webhooks/signal', { ...buy('d-2', { symbol: 'ETH/USDT' }), passphrase: 'desk-secret-0001' });
    expect(big.status).toBe(200);
    await h.signals.drain();
    expect(h.events.find((e) => e.type === 'signal')).toMatchObject({ source: 'desk', outcome: 'denied' });
    expect(h.kernel.portfolio.all()).toHaveLength(0);
    const small = await h.post('/webhooks/signal', { ...buy('d-3', { symbol: 'ETH/USDT', amount: 150 }), passphrase: 'desk-secret-0001' });
    expect(small.status).toBe(200);
    await h.signals.drain();
    expect(h.kernel.portfolio.get('ETH/USDT')?.quantity).toBeGreaterThan(0);
  });

  it('100 signals within one second: at most the configured number become orders, the rest 429', async () => {
    h = await startSignalHarness({ SIGNAL_RATE_LIMIT: '10' });
    const statuses = await Promise.all(Array.from({ length: 100 }, (_, i) => h!.post('/webhooks/signal', buy(`burst-${i}`, { amount: 20 })).then((r) => r.status)));
    expect(statuses.filter((s) => s === 200)).toHaveLength(10);
    expect(statuses.filter((s) => s === 429)).toHaveLength(90);
    await h.signals.drain();
    const orders = await h.kernel.ports.store.ordersByStatus(['filled', 'open', 'partially_filled', 'pending', 'submitted', 'unknown']);
    expect(orders.length).toBeGreaterThan(0);
    expect(orders.length).toBeLessThanOrEqual(10);
  });

  it('answers while a backlog of accepted signals is being processed (processing never holds the intake off)', async () => {
    h = await startSignalHarness({ SIGNAL_RATE_LIMIT: '100000' });
    const { insertSignals } = await import('../../../src/adapters/db/repositories/signals.ts');
    const now = Date.now();
    await insertSignals(h.database.db, Array.from({ length: 60 }, (_, i) => ({ source: 'tradingview', signal: { id: `backlog-${i}`, action: 'buy' as const, symbol: i % 2 ? 'ETH/USDT' : 'BTC/USDT', amount: 20, time: now }, receivedAt: now })));
    await h.signals.start(); // 60 accepted signals waiting to be processed (many database statements each)
    expect(h.signals.processor.backlog).toBe(60);
    const late = await h.post('/webhooks/signal', buy('late-1', { amount: 20 }));
    expect(late.json).toMatchObject({ accepted: true });
    // Answered long before the backlog was worked off.
    expect(h.signals.processor.backlog).toBeGreaterThan(30);
    await h.signals.drain();
    expect(h.signals.processor.backlog).toBe(0);
    expect((await getSignal(h.database.db, 'tradingview', 'late-1'))?.status).toMatch(/executed|denied/);
  });

  it('a shutdown finishes the signal in hand and leaves the backlog stored for the next start', async () => {
    h = await startSignalHarness({ SIGNAL_RATE_LIMIT: '100000' });
    const { insertSignals, unprocessedSignals } = await import('../../../src/adapters/db/repositories/signals.ts');
    const now = Date.now();
    await insertSignals(h.database.db, Array.from({ length: 40 }, (_, i) => ({ source: 'tradingview', signal: { id: `left-${i}`, action: 'buy' as const, symbol: 'BTC/USDT', amount: 20, time: now }, receivedAt: now })));
    await h.signals.start(); // 40 queued
    await h.signals.stop(); // at once: at most the one in hand is processed
    expect(h.signals.processor.backlog).toBe(0);
    const left = await unprocessedSignals(h.database.db);
    expect(left.length).toBeGreaterThanOrEqual(39);
    expect(left.length).toBeLessThanOrEqual(40);
  });

  it('a signal accepted before a restart is processed at the next start; one past its lag expires', async () => {
    h = await startSignalHarness();
    const { insertSignal } = await import('../../../src/adapters/db/repositories/signals.ts');
    await insertSignal(h.database.db, 'tradingview', { id: 'left-1', action: 'buy', symbol: 'BTC/USDT', amount: 100, time: Date.now() }, Date.now());
    await insertSignal(h.database.db, 'tradingview', { id: 'left-2', action: 'buy', symbol: 'ETH/USDT', amount: 100, time: Date.now() - 3_600_000 }, Date.now() - 3_600_000);
    await h.signals.start();
    await h.signals.drain();
    expect((await getSignal(h.database.db, 'tradingview', 'left-1'))?.status).toBe('executed');
    expect((await getSignal(h.database.db, 'tradingview', 'left-2'))?.status).toBe('expired');
    expect(h.kernel.portfolio.all().map((p) => p.symbol)).toEqual(['BTC/USDT']);
  });
});
