/**
 * Kill-all interrupted by a SIGKILL of the real `tradeops start` process, live mode against the local
 * Binance-compatible exchange (real ccxt client, PostgreSQL), then resumed at the next start.
 *
 * Four positions are bought through the console (/buy + /confirm). The exchange is then made slow:
 * of the four reduce-only closes, two are served only after 3 s and two are never answered (nothing
 * processed). /killall is confirmed on the console and the process is SIGKILLed once the closes are on
 * the wire. The restarted process resumes the persisted run: it looks each close up by its
 * clientOrderId before any resend, so the two the venue executed are not sent again and the two it
 * never saw are sent once (under a new id). It ends flat (the external holding untouched), HALTED, with exactly one sell per symbol.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { start as startLocalExchange, type LocalExchange, type LocalMarketSpec } from '../support/local-exchange/index.ts';
import { createTempDatabase, pgServerUrl } from '../support/pg-temp.ts';
import { liveBotEnv } from '../support/live-bot-env.ts';
import { spawnBot, type BotProcess } from '../support/spawn-bot.ts';

const READY = /tradeops ready: (.*)\n/;
const CODE = /\/confirm ([A-Za-z0-9-]+)/;
const letters = 'ABCD';
const specs: LocalMarketSpec[] = [...letters].map((c, i) => ({ id: `K${c}${c}USDT`, kind: 'spot', base: `K${c}${c}`, quote: 'USDT', tickSize: 0.01, stepSize: 0.001, minQty: 0.001, maxQty: 1_000_000, minNotional: 5, initialPrice: 10 * (i + 1) }));
const symbols = specs.map((m) => `${m.base}/USDT`);
const EXTERNAL = 3;
const ORDER = 'POST /api/v3/order';

describe.skipIf(!pgServerUrl())('kill-all interrupted by SIGKILL, resumed at the next start (live, local exchange)', () => {
  let db: { url: string; drop(): Promise<void> } | undefined;
  let bot: BotProcess | undefined;
  let venue: LocalExchange | undefined;
  afterAll(async () => {
    await bot?.stop('SIGKILL');
    await venue?.close();
    await db?.drop();
  });

  /** Send a command that asks for confirmation, then confirm it; resolves with the stdout from the confirmation on. */
  async function confirmed(line: string, expectPreview: RegExp): Promise<number> {
    let mark = bot!.stdout().length;
    bot!.send(line);
    const m = await bot!.waitFor(CODE, 20_000, mark);
    expect(bot!.stdout().slice(mark)).toMatch(expectPreview);
    mark = bot!.stdout().length;
    bot!.send(`/confirm ${m[1]}`);
    return mark;
  }

  it('ends flat with no duplicate order after a SIGKILL mid-way', async () => {
    db = await createTempDatabase();
    venue = await startLocalExchange({ markets: specs, historyCandles: 400, spotBalances: { USDT: 10_000, [specs[0]!.base]: EXTERNAL } });
    const env = liveBotEnv(venue.url, symbols, {
      DATABASE_URL: db.url,
      ORDER_LOOKUP_DELAY_MS: '0',
    });
    bot = spawnBot(['start'], env);
    const ready = await bot.waitFor(READY, 60_000);
    expect(ready[1]).toContain('mode=live');

    // Four positions bought by tradeops (its fills, net of the fee the venue takes in the coin).
    for (const [k, s] of symbols.entries()) {
      const mark = await confirmed(`/buy ${s} 200`, new RegExp(`buy[\\s\\S]*${s.replace('/', '\\/')}`, 'i'));
      await bot.waitFor(new RegExp(`Bought ${s.replace('/', '\\/')}`), 20_000, mark);
      expect(venue.state.spot.orders.filter((o) => o.side === 'BUY')).toHaveLength(k + 1);
    }
    for (const m of specs) expect(venue.state.spot.balance(m.base).free).toBeGreaterThan(m === specs[0] ? EXTERNAL : 0);
    const sellsBefore = venue.state.spot.orders.filter((o) => o.side === 'SELL').length;
    expect(sellsBefore).toBe(0);

    // A slow venue: two closes served after 3 s, two never answered.
    venue.faults.add(ORDER, { delayMs: 3_000 }, 2);
    venue.faults.add(ORDER, { hang: true }, 2);
    await confirmed('/killall', /HALTED now[\s\S]*close/);
    const sellRequests = () => venue!.requests.filter((r) => `${r.method} ${r.path}` === ORDER && r.params.side === 'SELL');
    for (let i = 0; i < 200 && sellRequests().length < symbols.length; i++) await new Promise((r) => setTimeout(r, 25));
    expect(sellRequests()).toHaveLength(symbols.length);
    await bot.stop('SIGKILL');
    const firstIds = sellRequests().map((r) => r.params.newClientOrderId);
    expect(new Set(firstIds).size).toBe(symbols.length);

    // Restart: the run is resumed once this process leads; it looks every close up before any resend.
    bot = spawnBot(['start'], { ...env, LOG_LEVEL: 'info' });
    await bot.waitFor(READY, 60_000);
    // Flat: what tradeops bought is sold down to less than one lot step (the venue took its fee in the
    // coin, so a sub-lot remainder cannot be sold); the external holding is untouched.
    const left = (m: LocalMarketSpec, i: number) => venue!.state.spot.balance(m.base).free - (i === 0 ? EXTERNAL : 0);
    const flat = () => specs.every((m, i) => left(m, i) >= 0 && left(m, i) < m.stepSize);
    for (let i = 0; i < 300 && !flat(); i++) await new Promise((r) => setTimeout(r, 100));
    specs.forEach((m, i) => {
      expect(left(m, i), m.base).toBeGreaterThanOrEqual(0);
      expect(left(m, i), m.base).toBeLessThan(m.stepSize);
    });
    await bot.waitFor(/Kill-all #1 finished/, 30_000);

    // Exactly one sell per symbol reached the venue's book. The two closes it executed while the
    // process was dead were found by their clientOrderId and not sent again; the two it never saw
    // were sent once more (a new id, after the lookup said the first never arrived).
    const sells = venue.state.spot.orders.filter((o) => o.side === 'SELL');
    expect(sells.map((o) => o.symbol).sort()).toEqual(specs.map((m) => m.id).sort());
    expect(sells.filter((o) => firstIds.includes(o.clientOrderId))).toHaveLength(2);
    expect(sellRequests()).toHaveLength(symbols.length + 2);
    // No buy after the kill-all, and trading stays HALTED.
    expect(venue.requests.filter((r) => `${r.method} ${r.path}` === ORDER && r.params.side === 'BUY')).toHaveLength(symbols.length);
    const mark = bot.stdout().length;
    bot.send('/status');
    await bot.waitFor(/HALTED/, 15_000, mark);
    expect((await bot.stop('SIGTERM')).code).toBe(0);
  }, 240_000);
});
