import { afterEach, describe, expect, it } from 'vitest';
import { createTempDatabase, pgServerUrl } from '../support/pg-temp.ts';
import { parsePrometheusText } from '../support/prom-text.ts';
import { spawnBot, tempDataDir, type BotProcess } from '../support/spawn-bot.ts';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.ts';

const READY = /tradeops ready: .*http=(http:\/\/\S+)/;
const TOKEN = 'metrics-token-0123456789';
const SECRET = 'signal-secret-0123456789';

async function until<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe('observability of the real process', () => {
  let bot: BotProcess | undefined;
  let proxy: TcpProxy | undefined;
  let dropDb: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await bot?.stop('SIGKILL');
    await proxy?.close();
    await dropDb?.();
    bot = undefined;
    proxy = undefined;
    dropDb = undefined;
  });

  it('/metrics: bearer token enforced, strict Prometheus text with the standard and tradeops series', async () => {
    bot = spawnBot(['start'], { DATA_DIR: tempDataDir(), HTTP_PORT: '0', CONSOLE: 'false', LOG_FORMAT: 'json', METRICS_TOKEN: TOKEN, SIGNAL_SECRET: SECRET });
    const url = (await bot.waitFor(READY, 60_000))[1]!;
    expect((await fetch(`${url}/metrics`)).status).toBe(401);
    expect((await fetch(`${url}/metrics`, { headers: { authorization: 'Bearer wrong-token-wrong-token' } })).status).toBe(401);
    const signal = await fetch(`${url}/webhooks/signal`, { method: 'POST', body: JSON.stringify({ passphrase: SECRET, id: 'm-1', symbol: 'BTCUSDT', action: 'buy', amount: 100 }) });
    expect(signal.status).toBe(200);
    await until('a tick', async () => ((await fetch(`${url}/readyz`)).status === 200 ? true : undefined));

    const res = await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const families = parsePrometheusText(await res.text());
    const expected: Record<string, string> = {
      process_cpu_user_seconds_total: 'counter',
      process_resident_memory_bytes: 'gauge',
      nodejs_heap_size_used_bytes: 'gauge',
      nodejs_eventloop_lag_seconds: 'gauge',
      tradeops_equity: 'gauge',
      tradeops_cash: 'gauge',
      tradeops_realized_pnl: 'gauge',
      tradeops_unrealized_pnl: 'gauge',
      tradeops_open_positions: 'gauge',
      tradeops_orders: 'gauge',
      tradeops_orders_denied_total: 'counter',
      tradeops_panic_score: 'gauge',
      tradeops_trading_state: 'gauge',
      tradeops_engine_ticks_total: 'counter',
      tradeops_engine_tick_duration_seconds: 'histogram',
      tradeops_engine_tick_lag_seconds: 'histogram',
      tradeops_exchange_request_duration_seconds: 'histogram',
      tradeops_exchange_errors_total: 'counter',
      tradeops_chat_commands_total: 'counter',
      tradeops_alert_outbox_depth: 'gauge',
      tradeops_alert_outbox_oldest_age_seconds: 'gauge',
      tradeops_webhook_requests_total: 'counter',
      tradeops_backtest_jobs_total: 'counter',
      tradeops_backtest_duration_seconds: 'histogram',
      tradeops_http_ip_bans_total: 'counter',
      tradeops_http_refused_total: 'counter',
    };
    for (const [name, type] of Object.entries(expected)) expect(families.get(name)?.type, name).toBe(type);
    expect([...families.keys()].filter((n) => n.startsWith('tradeops_process_'))).toEqual([]);
    const value = (name: string, labels: Record<string, string> = {}) =>
      [...families.values()].flatMap((f) => f.samples).find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;
    expect(value('tradeops_engine_ticks_total', { result: 'ok' })).toBeGreaterThan(0);
    expect(value('tradeops_trading_state', { state: 'ACTIVE' })).toBe(1);
    expect(value('tradeops_webhook_requests_total', { route: '/webhooks/signal', outcome: 'accepted' })).toBe(1);
    expect(value('tradeops_exchange_request_duration_seconds_count', { operation: 'fetchCandles' })).toBeGreaterThan(0);
    expect(value('tradeops_equity')).toBeGreaterThan(0);
    expect(value('tradeops_orders', { state: 'filled' })).toBeGreaterThanOrEqual(0);
  });

  it.skipIf(!pgServerUrl())('/readyz is red while PostgreSQL refuses connections and green again after', async () => {
    const db = await createTempDatabase();
    dropDb = db.drop;
    const target = new URL(db.url);
    proxy = await startTcpProxy(target.hostname, Number(target.port || 5432));
    const viaProxy = new URL(db.url);
    viaProxy.port = String(proxy.port);
    bot = spawnBot(['start'], { DATA_DIR: tempDataDir(), HTTP_PORT: '0', CONSOLE: 'false', LOG_FORMAT: 'json', DATABASE_URL: viaProxy.toString() });
    const url = (await bot.waitFor(READY, 60_000))[1]!;
    await until('ready', async () => ((await fetch(`${url}/readyz`)).status === 200 ? true : undefined));

    proxy.refuse();
    const red = await until('not ready', async () => {
      const res = await fetch(`${url}/readyz`);
      return res.status === 503 ? ((await res.json()) as { checks: Record<string, boolean> }) : undefined;
    });
    expect(red.checks.database).toBe(false);
    expect((await fetch(`${url}/healthz`)).status).toBe(200);

    proxy.accept();
    const green = await until('ready again', async () => {
      const res = await fetch(`${url}/readyz`);
      return res.status === 200 ? ((await res.json()) as { checks: Record<string, boolean> }) : undefined;
    });
    expect(green.checks.database).toBe(true);
  });
});
