import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseTargets } from '../../support/databases.ts';
import { ADMIN, createHarness, type Harness, said } from './support/router-harness.ts';

/** Inputs each of which must be refused with a message saying what is accepted. */
const BAD_NUMBERS = ['NaN', 'Infinity', '-Infinity', '1e309', '1e3', '-1', '0x10', '1,000', '١٢', '０１', '５', '1_000', '999', '0', '1.5', '+5', '9007199254740993', '١', '𝟙𝟚'];
const BAD_DATES = ['2024-02-30', '2023-02-29', '2024-13-01', '2024-00-10', '2024-01-01T24:00Z', '2024-01-01T12:00+02:00', '20240101', '01/02/2024', '2024-1-1', '２０２４-01-01', '1969-12-31', '2024-01-01T12:60', 'yesterday', '2024-02-30T00:00Z'];
const BAD_SYMBOLS = ['ВTC/USDT', 'ıNJ/USDT', 'ＢＴＣ/USDT', 'BTCUSDT', 'BTC/', '/USDT', 'BTC-USDT', 'BTC/USDT;DROP', "BTC/USDT'--", '$(id)/USDT', '<b>BTC</b>/USDT', 'DOGE/USDT', 'BTC/USDT/ETH'];
const BAD_TIMEFRAMES = ['1M', '0m', '1y', '1000m', 'h1', '1 h', '-1h', '1.5h', '١h'];
const BAD_STRATEGIES = ['../etc/passwd', 'sma_cross', 'a'.repeat(100), 'nope', '-x', 'rm -rf'];
const BAD_PARAMS = ['fast=NaN', 'fast=Infinity', 'fast=1e309', 'fast=0x10', 'fast=1,000', 'fast=١٢', '__proto__=1', 'constructor=1', 'toString=1', 'fast=', 'fast=$(id)', 'fast=-inf', `f${'x'.repeat(40)}=1`, 'fast=1 fast=2'];
const CONTROL = ['\u0000', '\u0007', '\u001b[31m', '\u202e', '\u200b', '\u2028', '\u0085', '\ufeff'];

function cases(): string[] {
  const out: string[] = [];
  for (const n of BAD_NUMBERS) out.push(`/trades ${n}`, `/audit ${n}`, `/backtests ${n}`, `/pnl day ${n}`, `/trades n=${n}`);
  for (const d of BAD_DATES) out.push(`/backtest sma-cross BTC/USDT 1h ${d}`, `/backtest sma-cross BTC/USDT 1h 2023-01-01 ${d}`);
  for (const s of BAD_SYMBOLS) out.push(`/backtest sma-cross ${s} 1h`, `/backtest sma-cross "${s}" 1h 2023-01-01`);
  for (const t of BAD_TIMEFRAMES) out.push(`/backtest sma-cross BTC/USDT "${t}"`);
  for (const s of BAD_STRATEGIES) out.push(`/backtest "${s}" BTC/USDT 1h`);
  for (const p of BAD_PARAMS) out.push(`/backtest sma-cross BTC/USDT 1h ${p}`);
  for (const c of CONTROL) out.push(`/pause bad${c}reason`, `/backtest sma-cross BTC/USDT${c} 1h`, `/stop now${c}please`, `/trades 5${c}0`);
  out.push(
    '/backtest',
    '/backtest sma-cross',
    '/backtest sma-cross BTC/USDT',
    '/backtest sma-cross BTC/USDT 1h 2023-01-01 2023-02-01 extra',
    '/backtest sma-cross BTC/USDT 1h "unterminated',
    '/pnl year',
    '/pnl day 5 6',
    '/alerts fill loud',
    '/alerts nosuch on',
    '/alerts fill on mastodon',
    '/alerts on',
    '/trades 5 nope=1',
    '/pause reason=x reason=y',
    `/pause ${'x'.repeat(300)}`,
    `/backtest ${'a '.repeat(50)}`,
    `/trades ${'9'.repeat(3000)}`,
    '/confirm ../../',
    '/stop x=1',
  );
  return out;
}

/** Deterministic garbage: a small xorshift PRNG over a pool of awkward characters. */
function garbage(seed: number, count: number): string[] {
  let s = seed >>> 0 || 1;
  const next = () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 2 ** 32;
  };
  const pool = [...'abcXYZ019/=-_.,:;"\'\\`$(){}[]<>|&*%#@!?~^ \t\n', '\u0000', '\u202e', '\u200b', 'В', 'ı', '١', '５', '€', '🙂', '“', '”', '\ud800'];
  const out: string[] = [];
  const commands = ['/backtest', '/confirm', '/alerts', '/pnl', '/cancel', '/backtest sma-cross', '/backtest sma-cross BTC/USDT'];
  for (let i = 0; i < count; i++) {
    const len = 1 + Math.floor(next() * 60);
    let g = '';
    for (let j = 0; j < len; j++) g += pool[Math.floor(next() * pool.length)];
    // Blank arguments are no arguments: `/pnl   ` is a valid /pnl, not garbage.
    if (g.trim() === '') g += 'x';
    out.push(`${commands[Math.floor(next() * commands.length)]} ${g}`);
  }
  return out;
}

const CLEAR = /expected|missing|usage|not listed|unknown|control|quote|too long|too many|no option|not an option|given twice|must be|in the future|No confirmation/i;

describe.each(databaseTargets())('argument fuzzing on $name', (target) => {
  let h: Harness;
  beforeAll(async () => {
    h = createHarness(await target.open());
  });
  afterAll(() => target.cleanup());

  it.each([
    ['listed bad inputs', cases()],
    ['random garbage', garbage(20240115, 300)],
  ])('%s: never a crash, always a clear refusal, nothing executed', async (_name, inputs) => {
    const before = (await h.audit()).length;
    for (const line of inputs) {
      const reply = await h.send(ADMIN, line);
      const text = said(reply);
      expect(reply, line).toBeDefined();
      expect(reply!.tone, `${JSON.stringify(line)} → ${text}`).toBe('error');
      expect(text, JSON.stringify(line)).toMatch(CLEAR);
      expect(text).not.toContain('internal error');
      expect(reply!.buttons, line).toBeUndefined();
    }
    expect(h.services.calls.setTradingState).toEqual([]);
    expect(h.services.calls.enqueue).toEqual([]);
    const rows = (await h.audit()).slice(0, (await h.audit()).length - before);
    expect(rows).toHaveLength(inputs.length);
    for (const r of rows) expect(['invalid', 'refused']).toContain(r.decision);
  });

  it('stores injection-looking text verbatim and harmlessly', async () => {
    const reason = "'; DROP TABLE audit_log; --";
    const reply = await h.send(ADMIN, `/pause ${reason}`);
    expect(said(reply)).toContain('Paused');
    expect(h.services.data.tradingState.reason).toBe(reason);
    const [row] = await h.audit();
    expect(row).toMatchObject({ command: 'pause', args: { reason } });
    const tables = await h.database.rows<{ n: number }>(sql`select count(*)::int as n from audit_log`);
    expect(Number(tables[0]!.n)).toBeGreaterThan(0);
  });
});
