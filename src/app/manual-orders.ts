import type { ManualOrder, OrderPreview, OrderResult } from '../../commands/risk-services.ts';
import { AppError } from '../domain/errors.ts';
import { floorToStep, quoteOf } from '../domain/market.ts';
import { timeframeToMs } from '../domain/timeframe.ts';
import type { OrderPlan } from '../engine/order-manager.ts';
import type { Kernel } from '../kernel.ts';
import { DEFAULT_PREFLIGHT, type PreflightContext } from '../risk/preflight/index.ts';

const RULE_NAMES = DEFAULT_PREFLIGHT.map((r) => r.name.replace(/Rule$/, '').replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`));

/**
 * Manual orders from chat (/buy, /sell, /close): the same risk gate and order manager as the
 * strategy's, tagged `manual`. A buy against a short (or a sell against a long) reduces it; anything
 * else is an entry and passes every entry rule.
 */
export function createManualOrders(kernel: Kernel, timeframe: string) {
  const tfMs = timeframeToMs(timeframe);

  async function context(o: ManualOrder): Promise<{ ctx: PreflightContext; plan: OrderPlan }> {
    const { execution, marketData, clock } = kernel.ports;
    const market = execution.market(o.symbol);
    if (!market) throw new AppError('BAD_REQUEST', `${o.symbol} is not listed on ${execution.exchangeId}`);
    const price = await marketData.fetchPrice(o.symbol);
    const now = clock.now();
    const marks = new Map(kernel.engine.markPrices());
    marks.set(o.symbol, price);
    const equity = kernel.portfolio.equity(marks);
    const quote = o.percent ? (equity * o.amount) / 100 : o.amount;
    const ref = o.limitPrice ?? price;
    const position = kernel.portfolio.get(o.symbol);
    const held = position?.quantity ?? 0;
    const reduces = (o.side === 'sell' && held > 0) || (o.side === 'buy' && held < 0);
    let quantity = floorToStep(quote / (ref * market.contractSize), market.amountStep);
    if (reduces) quantity = Math.min(quantity, Math.abs(held));
    const kind = reduces ? 'exit' : 'entry';
    const side = reduces ? (held > 0 ? 'long' : 'short') : o.side === 'buy' ? 'long' : 'short';
    const ctx: PreflightContext = {
      kind,
      side,
      symbol: o.symbol,
      quantity,
      price,
      position,
      market,
      tradingState: kernel.tradingState.get(),
      allowShort: kernel.options.allowShort,
      available: Math.max(0, kernel.portfolio.cash - kernel.portfolio.lockedNotional()),
      equity,
      source: 'manual',
      orderType: o.limitPrice !== undefined ? 'limit' : 'market',
      limitPrice: o.limitPrice,
      risk: kernel.risk.state.view(o.symbol, { now, openPositions: kernel.portfolio.all().length, priceTs: now, candleTs: Math.floor(now / tfMs) * tfMs }),
    };
    const plan: OrderPlan = { kind, symbol: o.symbol, side: o.side, positionSide: side, quantity, reduceOnly: reduces, reason: 'manual', type: o.limitPrice !== undefined ? 'limit' : 'market', price: o.limitPrice };
    return { ctx, plan };
  }

  function preview(ctx: PreflightContext, plan: OrderPlan, denials: Array<{ code: string; message: string }>): OrderPreview {
    const ref = ctx.limitPrice ?? ctx.price;
    const quote = plan.quantity * ref * ctx.market.contractSize;
    return {
      symbol: plan.symbol,
      side: plan.side,
      kind: plan.kind,
      type: plan.type ?? 'market',
      price: ref,
      base: plan.quantity,
      quote,
      fee: quote * (plan.type === 'limit' ? ctx.market.makerFee : ctx.market.takerFee),
      quoteCurrency: quoteOf(plan.symbol),
      passed: denials.length === 0 ? RULE_NAMES : [],
      denials,
    };
  }

  return {
    async preview(o: ManualOrder): Promise<OrderPreview> {
      const { ctx, plan } = await context(o);
      return preview(ctx, plan, kernel.risk.gate.check(ctx).denials);
    },

    async place(o: ManualOrder, by: string): Promise<{ preview: OrderPreview; result: OrderResult }> {
      const { ctx, plan } = await context(o);
      const ts = kernel.ports.clock.now();
      const verdict = kernel.risk.gate.check(ctx);
      const p = preview(ctx, plan, verdict.denials);
      const intent = { kind: 'manual', side: o.side, amount: o.amount, percent: o.percent, limitPrice: o.limitPrice, by };
      if (!verdict.approved) {
        await kernel.risk.gate.denied(ctx, verdict.denials, { ts, strategy: 'manual', intent, describe: `manual ${o.side} (${by})` });
        return { preview: p, result: { symbol: o.symbol, ok: false, detail: verdict.denials.map((d) => `${d.code}: ${d.message}`).join('; ') } };
      }
      kernel.risk.gate.approved(ctx, ts);
      const outcome = await kernel.orders.submit(plan, 'manual');
      await kernel.ports.store.insertDecision({ ts, strategy: 'manual', symbol: o.symbol, intent, verdict: 'approved', reasons: [], clientOrderId: outcome.clientOrderId, source: 'manual' });
      if (outcome.kind === 'placed') {
        const r = outcome.report;
        const detail = r.filled > 0 ? `${r.status}: ${r.filled} at ${r.avgPrice ?? '?'} (fee ${r.fee} ${r.feeCurrency ?? ''}) · ${r.clientOrderId}`.trim() : `${r.status} · ${r.clientOrderId}`;
        return { preview: p, result: { symbol: o.symbol, ok: r.status !== 'rejected', detail } };
      }
      return { preview: p, result: { symbol: o.symbol, ok: false, detail: `${outcome.kind}: ${outcome.reason}` } };
    },

    /** Close whole positions through the engine's own path (risk gate → order manager), source manual. */
    async close(symbol: string, by: string): Promise<OrderResult> {
      const position = kernel.portfolio.get(symbol);
      if (!position) return { symbol, ok: false, detail: 'no open position' };
      const now = kernel.ports.clock.now();
      const price = await kernel.ports.marketData.fetchPrice(symbol);
      await kernel.engine.execute(symbol, [{ kind: 'exit', reason: `manual close (${by})` }], price, { source: 'manual', priceTs: now });
      const after = kernel.portfolio.get(symbol);
      return after ? { symbol, ok: false, detail: `still ${after.quantity} open (see /status and the alerts)` } : { symbol, ok: true, detail: `closed near ${price}` };
    },
  };
}
