import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BotServices } from '../../commands/services.ts';
import type { PanicView, RiskServices, SizeView } from '../../commands/risk-services.ts';
import { renderChartPng } from '../backtest/report/render-png.ts';
import type { Config } from '../config.ts';
import { AppError } from '../domain/errors.ts';
import { quoteOf } from '../domain/market.ts';
import { timeframeToMs } from '../domain/timeframe.ts';
import type { Kernel } from '../kernel.ts';
import { kellySizeWith, realisedVolatilityPct } from '../risk/kelly-size.ts';
import { createTradeStats } from './kelly-stats.ts';
import { kellySettingsFrom } from './risk-settings.ts';
import { createManualOrders } from './manual-orders.ts';
import { createTreasurySweep } from './treasury-sweep.ts';

const DAY = 86_400_000;

/** RiskServices over the kernel: Kelly sizes, the panic score and its chart, manual orders, kill-all. */
export function createRiskServices(d: { kernel: Kernel; config: Config; backtests: BotServices['backtests']; chartsDir: string }): RiskServices {
  const { kernel, config } = d;
  const manual = createManualOrders(kernel, config.TIMEFRAME);
  const treasury = kernel.ports.riskStore
    ? createTreasurySweep({
        execution: kernel.ports.execution,
        riskStore: kernel.ports.riskStore,
        settings: { enabled: config.SWEEP_ENABLED, address: config.SWEEP_ADDRESS, network: config.SWEEP_NETWORK, keep: config.SWEEP_KEEP, maxPerDay: config.SWEEP_MAX_PER_DAY },
        currency: quoteOf(config.SYMBOLS[0]!),
        marketType: config.EXCHANGE_MARKET,
        publish: (e) => kernel.bus.publish(e),
        now: () => kernel.ports.wallClock?.now() ?? Date.now(),
        // The money left the account tradeops keeps: its cash goes down at once (reconciliation agrees later).
        debit: async (amount) => {
          kernel.portfolio.cash -= amount;
          await kernel.ports.store.saveCash(kernel.ports.execution.exchangeId, kernel.portfolio.cash);
        },
        logger: kernel.ports.logger.child({ component: 'sweep' }),
      })
    : undefined;
  const sweeper = () => {
    if (!treasury) throw new AppError('UNAVAILABLE', 'the treasury sweep needs the database-backed risk store');
    return treasury;
  };
  const killAll = () => {
    if (!kernel.risk.killAll) throw new AppError('UNAVAILABLE', 'kill-all needs the database-backed risk store');
    return kernel.risk.killAll;
  };

  const statsFor = kernel.ports.tradeStats ?? createTradeStats({ strategy: config.STRATEGY, lookback: config.KELLY_LOOKBACK, riskStore: kernel.ports.riskStore, backtests: (n) => d.backtests.list(n) });

  return {
    async size(symbol): Promise<SizeView> {
      const stats = await statsFor(symbol);
      const price = kernel.engine.markPrices().get(symbol) ?? (await kernel.ports.marketData.fetchPrice(symbol));
      const candles = kernel.engine.candles(symbol);
      const realisedVolPct = candles ? realisedVolatilityPct(candles.close, timeframeToMs(config.TIMEFRAME)) : undefined;
      const equity = kernel.portfolio.equity(kernel.engine.markPrices());
      const k = kellySizeWith(kellySettingsFrom(config), stats, realisedVolPct, equity, price);
      return {
        symbol, strategy: config.STRATEGY, source: stats.source, trades: stats.trades, winRate: stats.winRate, payoff: stats.payoff,
        rawKelly: k.rawKelly, multiplier: config.KELLY_FRACTION, realisedVolPct, targetVolPct: config.TARGET_VOLATILITY, volScale: k.volScale,
        maxPositionPct: config.MAX_POSITION_PCT, fraction: k.fraction, quote: k.quote, base: k.base, price, equity, quoteCurrency: quoteOf(symbol),
        fallback: k.fallback, capped: k.capped, note: k.note, sizing: config.ORDER_SIZING,
      };
    },

    async panic(scope): Promise<PanicView> {
      const latest = kernel.risk.panic.latest(scope);
      const view: PanicView = { scope, ts: latest?.ts, score: latest?.score, level: latest?.level, components: latest?.components ?? [], threshold: config.PANIC_THRESHOLD };
      const now = kernel.ports.clock.now();
      const history = kernel.ports.riskStore ? await kernel.ports.riskStore.panicSince(scope, now - DAY) : [];
      if (history.length >= 2) {
        const option = {
          title: { text: `Panic score — ${scope} — last 24 h`, left: 'center' },
          grid: { left: 50, right: 20, top: 40, bottom: 40 },
          xAxis: { type: 'time' },
          yAxis: { type: 'value', min: 0, max: 100 },
          series: [
            {
              type: 'line',
              showSymbol: false,
              data: history.map((h) => [h.ts, Math.round(h.score * 10) / 10]),
              markLine: { symbol: 'none', data: [{ yAxis: 40 }, { yAxis: 60 }, { yAxis: 80 }, { yAxis: config.PANIC_THRESHOLD, lineStyle: { color: '#c00' } }] },
            },
          ],
        };
        await mkdir(d.chartsDir, { recursive: true });
        const path = join(d.chartsDir, `panic-${scope.replace(/[^A-Za-z0-9]/g, '_')}-${now}.png`);
        await writeFile(path, await renderChartPng(option, 800, 360));
        view.chartPath = path;
      }
      return view;
    },

    previewOrder: (o) => manual.preview(o),
    async placeOrder(o, by) {
      return (await manual.place(o, by)).result;
    },
    async closePreview(symbol) {
      const marks = kernel.engine.markPrices();
      const all = kernel.portfolio.all().filter((p) => symbol === 'all' || p.symbol === symbol);
      return all.map((p) => ({ symbol: p.symbol, side: p.quantity > 0 ? ('long' as const) : ('short' as const), quantity: Math.abs(p.quantity), markPrice: marks.get(p.symbol) ?? p.entryPrice }));
    },
    async close(symbol, by) {
      const symbols = symbol === 'all' ? kernel.portfolio.all().map((p) => p.symbol) : [symbol];
      return Promise.all(symbols.map((s) => manual.close(s, by)));
    },
    async killAllPlan(includeExternal) {
      return { running: killAll().runningId, lines: await killAll().plan(includeExternal) };
    },
    async killAll(by, includeExternal, waitMs) {
      const { started, runId, done } = await killAll().start(by, includeExternal);
      const timeout = new Promise<undefined>((r) => setTimeout(() => r(undefined), waitMs).unref());
      const run = await Promise.race([done, timeout]);
      const lines = run ? run.items.map((i) => ({ symbol: i.symbol, outcome: i.outcome, detail: i.detail })) : [];
      return { started, runId, finished: run !== undefined, lines };
    },
    sweepPlan: () => sweeper().plan(),
    sweep: (by) => sweeper().sweep(by),
  };
}
