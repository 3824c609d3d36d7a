import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createBotServices } from '../../../src/app/bot-services.ts';
import { closeSignalDatabases, SECRET, startSignalHarness, type SignalHarness } from './support/signal-harness.ts';

let h: SignalHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});
afterAll(() => closeSignalDatabases());

describe('POST /webhooks/factor', () => {
  it('stores time-stamped factors per symbol for strategies and /status; stale ones are ignored with a warning', async () => {
    h = await startSignalHarness({ FACTOR_MAX_AGE: '600' });
    const now = Date.now();
    const ok = await h.post('/webhooks/factor', { passphrase: SECRET, symbol: 'BINANCE:BTCUSDT', time: new Date(now - 5_000).toISOString(), factors: { funding_rate: 0.0003, onchain_netflow_z: '1.5' } });
    expect(ok).toEqual({ status: 200, json: { ok: true, stored: 2, newer: 2 } });
    const market = await h.post('/webhooks/factor', { passphrase: SECRET, name: 'fear_greed', value: 21 });
    expect(market.status).toBe(200);
    const old = await h.post('/webhooks/factor', { passphrase: SECRET, symbol: 'ETH/USDT', time: Math.floor((now - 3_600_000) / 1000), factors: { sopr: 0.97 } });
    expect(old.status).toBe(200);

    expect(h.factors.fresh('BTC/USDT')).toEqual({ funding_rate: 0.0003, onchain_netflow_z: 1.5, fear_greed: 21 });
    expect(h.factors.fresh('ETH/USDT')).toEqual({ fear_greed: 21 });
    expect(h.events.filter((e) => e.type === 'factor-stale')).toMatchObject([{ symbol: 'ETH/USDT', name: 'sopr' }]);
    h.factors.fresh('ETH/USDT');
    expect(h.events.filter((e) => e.type === 'factor-stale')).toHaveLength(1);

    const services = createBotServices({ config: h.config, kernel: h.kernel, database: h.database, catalog: { list: () => [], get: () => { throw new Error('unused'); } }, startedAt: now, wallClock: Date.now, backtests: undefined as never, factors: h.factors });
    const status = await services.status();
    expect(status.factors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ symbol: 'BTC/USDT', name: 'funding_rate', value: 0.0003, stale: false }),
        expect.objectContaining({ symbol: 'ETH/USDT', name: 'sopr', stale: true }),
        expect.objectContaining({ symbol: '*', name: 'fear_greed', value: 21 }),
      ]),
    );
    expect(status.factors!.find((f) => f.name === 'sopr')!.ageSeconds).toBeGreaterThanOrEqual(3_599);
  });

  it('same authentication and refusals as signals', async () => {
    h = await startSignalHarness();
    expect(await h.post('/webhooks/factor', { passphrase: 'wrong-passphrase', factors: { x: 1 } })).toMatchObject({ status: 401 });
    expect(await h.post('/webhooks/factor', { passphrase: SECRET, factors: { funding_rate: 'high' } })).toMatchObject({ status: 400, json: { field: 'factors.funding_rate' } });
    expect(await h.post('/webhooks/factor', { passphrase: SECRET, factors: { 'Bad Name': 1 } })).toMatchObject({ status: 400 });
    expect(await h.post('/webhooks/factor', { passphrase: SECRET, symbol: 'DOGEUSDT', factors: { x: 1 } })).toMatchObject({ status: 400, json: { field: 'symbol' } });
    expect(await h.post('/webhooks/factor', { passphrase: SECRET, factors: { x: 1 }, extra: true })).toMatchObject({ status: 400, json: { field: 'extra' } });
    expect(h.factors.all()).toEqual([]);
  });
});
