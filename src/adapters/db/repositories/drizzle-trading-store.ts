import { and, desc, eq, gte, inArray, sql } from 'drizzle-orm';
import { AppError } from '../../../domain/errors.ts';
import type { OrderStatus } from '../../../domain/orders.ts';
import type { Position } from '../../../domain/portfolio.ts';
import type { TradingState, TradingStateName } from '../../../domain/trading-state.ts';
import type { DecisionRecord, EquitySnapshot, FillRecord, OrderRecord, OrderUpdate, TradingStore } from '../../../ports/store.ts';
import type { Db } from '../client.ts';
import { balances, decisions, equitySnapshots, fills, orders, positions, strategyState, tradingState } from '../schema.ts';

const CASH_ASSET = '__cash__';

type OrderRow = typeof orders.$inferSelect;
type FillRow = typeof fills.$inferSelect;
type PositionRow = typeof positions.$inferSelect;

function toOrder(r: OrderRow): OrderRecord {
  return {
    clientOrderId: r.clientOrderId,
    exchangeOrderId: r.exchangeOrderId ?? undefined,
    exchange: r.exchange,
    mode: r.mode as OrderRecord['mode'],
    symbol: r.symbol,
    side: r.side as OrderRecord['side'],
    type: r.type as OrderRecord['type'],
    amount: Number(r.amount),
    price: r.price === null ? undefined : Number(r.price),
    reduceOnly: r.reduceOnly,
    status: r.status as OrderStatus,
    filled: Number(r.filled),
    avgPrice: r.avgPrice === null ? undefined : Number(r.avgPrice),
    fee: Number(r.fee),
    feeCurrency: r.feeCurrency ?? undefined,
    strategy: r.strategy ?? undefined,
    reason: r.reason ?? undefined,
    intent: r.intent ?? undefined,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
  };
}

function toFill(r: FillRow): FillRecord {
  return {
    tradeId: r.tradeId,
    clientOrderId: r.clientOrderId,
    exchange: r.exchange,
    symbol: r.symbol,
    side: r.side as FillRecord['side'],
    price: Number(r.price),
    amount: Number(r.amount),
    fee: Number(r.fee),
    feeCurrency: r.feeCurrency ?? '',
    realizedPnl: Number(r.realizedPnl),
    ts: r.ts,
  };
}

function toPosition(r: PositionRow): Position {
  return {
    symbol: r.symbol,
    quantity: Number(r.quantity),
    entryPrice: Number(r.entryPrice ?? 0),
    realizedPnl: Number(r.realizedPnl),
    openedAt: r.openedAt ?? r.updatedAt,
    stopLoss: r.stopLoss === null ? undefined : Number(r.stopLoss),
    takeProfit: r.takeProfit === null ? undefined : Number(r.takeProfit),
  };
}

/** TradingStore over drizzle; the same code runs on PGlite and postgres.js. */
/** An order record as its row. */
function orderRow(o: OrderRecord) {
  return {
    clientOrderId: o.clientOrderId,
    exchangeOrderId: o.exchangeOrderId ?? null,
    exchange: o.exchange,
    mode: o.mode,
    symbol: o.symbol,
    side: o.side,
    type: o.type,
    amount: o.amount,
    price: o.price ?? null,
    reduceOnly: o.reduceOnly,
    status: o.status,
    filled: o.filled,
    avgPrice: o.avgPrice ?? null,
    fee: o.fee,
    feeCurrency: o.feeCurrency ?? null,
    strategy: o.strategy ?? null,
    reason: o.reason ?? null,
    intent: (o.intent ?? null) as never,
    createdAt: o.createdAt,
    updatedAt: o.updatedAt,
  };
}

export class DrizzleTradingStore implements TradingStore {
  constructor(private readonly db: Db, private readonly now: () => number = Date.now) {}

  async insertOrder(o: OrderRecord): Promise<void> {
    await this.db.insert(orders).values(orderRow(o));
  }

  async insertOrders(list: readonly OrderRecord[]): Promise<void> {
    if (list.length > 0) await this.db.insert(orders).values(list.map(orderRow));
  }

  async updateOrder(id: string, patch: Partial<Omit<OrderRecord, 'clientOrderId'>>): Promise<void> {
    const set: Record<string, unknown> = { updatedAt: patch.updatedAt ?? this.now() };
    for (const [k, v] of Object.entries(patch)) if (v !== undefined) set[k] = v;
    await this.db.update(orders).set(set).where(eq(orders.clientOrderId, id));
  }

  async getOrder(id: string): Promise<OrderRecord | undefined> {
    const rows = await this.db.select().from(orders).where(eq(orders.clientOrderId, id)).limit(1);
    return rows[0] ? toOrder(rows[0]) : undefined;
  }

  async ordersByStatus(statuses: readonly OrderStatus[]): Promise<OrderRecord[]> {
    const rows = await this.db.select().from(orders).where(inArray(orders.status, [...statuses])).orderBy(orders.createdAt);
    return rows.map(toOrder);
  }

  async recordFill(fill: FillRecord, positionAfter: Position | undefined, cash: number): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      if (!(await insertFill(tx as unknown as Db, fill))) return false;
      await writePosition(tx as unknown as Db, fill.exchange, fill.symbol, positionAfter, fill.ts);
      await writeCash(tx as unknown as Db, fill.exchange, cash, fill.ts);
      return true;
    });
  }

  async applyOrderUpdate(u: OrderUpdate): Promise<void> {
    await this.db.transaction(async (txRaw) => {
      const tx = txRaw as unknown as Db;
      // Row lock: a second writer of the same order waits here and then sees the new status.
      const rows = await tx.select({ status: orders.status, exchange: orders.exchange, symbol: orders.symbol }).from(orders).where(eq(orders.clientOrderId, u.clientOrderId)).for('update');
      const row = rows[0];
      if (!row) throw new AppError('NOT_FOUND', `order ${u.clientOrderId} is not stored`);
      if (row.status !== u.expectedStatus) throw new AppError('CONFLICT', `order ${u.clientOrderId} is ${row.status}, expected ${u.expectedStatus}`);
      let lastTs = 0;
      for (const f of u.fills) {
        if (!(await insertFill(tx, f))) throw new AppError('CONFLICT', `fill ${f.tradeId} of ${u.clientOrderId} is already stored`);
        lastTs = Math.max(lastTs, f.ts);
      }
      if (u.fills.length > 0) {
        await writePosition(tx, row.exchange, row.symbol, u.positionAfter, lastTs);
        if (u.cashAfter !== undefined) await writeCash(tx, row.exchange, u.cashAfter, lastTs);
      }
      const set: Record<string, unknown> = { updatedAt: u.patch.updatedAt ?? this.now() };
      for (const [k, v] of Object.entries(u.patch)) if (v !== undefined) set[k] = v;
      await tx.update(orders).set(set).where(eq(orders.clientOrderId, u.clientOrderId));
    });
  }

  async fillsOfOrder(clientOrderId: string): Promise<FillRecord[]> {
    const rows = await this.db.select().from(fills).where(eq(fills.clientOrderId, clientOrderId)).orderBy(fills.ts, fills.id);
    return rows.map(toFill);
  }

  async netFilledQuantities(exchange: string): Promise<Map<string, { net: number; baseFees: number }>> {
    const rows = await this.db
      .select({
        symbol: fills.symbol,
        net: sql<string>`sum(case when ${fills.side} = 'buy' then ${fills.amount} else -${fills.amount} end)`,
        baseFees: sql<string>`sum(case when ${fills.feeCurrency} = split_part(${fills.symbol}, '/', 1) then ${fills.fee} else 0 end)`,
      })
      .from(fills)
      .where(eq(fills.exchange, exchange))
      .groupBy(fills.symbol);
    return new Map(rows.map((r) => [r.symbol, { net: Number(r.net), baseFees: Number(r.baseFees) }]));
  }

  async ordersSince(exchange: string, since: number): Promise<OrderRecord[]> {
    const rows = await this.db.select().from(orders).where(and(eq(orders.exchange, exchange), gte(orders.createdAt, since))).orderBy(orders.createdAt);
    return rows.map(toOrder);
  }

  async recentFills(limit: number): Promise<FillRecord[]> {
    const rows = await this.db.select().from(fills).orderBy(desc(fills.ts), desc(fills.id)).limit(limit);
    return rows.map(toFill);
  }

  async fillsSince(ts: number): Promise<FillRecord[]> {
    const rows = await this.db.select().from(fills).where(gte(fills.ts, ts)).orderBy(fills.ts, fills.id);
    return rows.map(toFill);
  }

  async positions(exchange: string): Promise<Position[]> {
    const rows = await this.db.select().from(positions).where(eq(positions.exchange, exchange));
    return rows.filter((r) => Number(r.quantity) !== 0).map(toPosition);
  }

  async savePosition(exchange: string, symbol: string, position: Position | undefined): Promise<void> {
    await writePosition(this.db, exchange, symbol, position, this.now());
  }

  async saveCash(exchange: string, cash: number): Promise<void> {
    await writeCash(this.db, exchange, cash, this.now());
  }

  async cash(exchange: string): Promise<number | undefined> {
    const rows = await this.db
      .select({ total: balances.total })
      .from(balances)
      .where(and(eq(balances.exchange, exchange), eq(balances.asset, CASH_ASSET)))
      .limit(1);
    return rows[0] ? Number(rows[0].total) : undefined;
  }

  async loadTradingState(): Promise<TradingState | undefined> {
    const rows = await this.db.select().from(tradingState).where(eq(tradingState.id, 1)).limit(1);
    const r = rows[0];
    if (!r) return undefined;
    return { state: r.state as TradingStateName, reason: r.reason, changedBy: r.changedBy, changedAt: r.changedAt, haltedUntil: r.haltedUntil ?? undefined };
  }

  async saveTradingState(s: TradingState): Promise<void> {
    const values = { state: s.state, reason: s.reason, changedBy: s.changedBy, changedAt: s.changedAt, haltedUntil: s.haltedUntil ?? null };
    await this.db.insert(tradingState).values({ id: 1, ...values }).onConflictDoUpdate({ target: tradingState.id, set: values });
  }

  async loadStrategyState(strategy: string, symbol: string): Promise<unknown> {
    const rows = await this.db
      .select({ state: strategyState.state })
      .from(strategyState)
      .where(and(eq(strategyState.strategy, strategy), eq(strategyState.symbol, symbol)))
      .limit(1);
    return rows[0]?.state ?? undefined;
  }

  async saveStrategyState(strategy: string, symbol: string, state: unknown): Promise<void> {
    const now = this.now();
    await this.db
      .insert(strategyState)
      .values({ strategy, symbol, state: state as never, updatedAt: now })
      .onConflictDoUpdate({ target: [strategyState.strategy, strategyState.symbol], set: { state: state as never, updatedAt: now } });
  }

  async insertDecision(d: DecisionRecord): Promise<void> {
    await this.db.insert(decisions).values({
      ts: d.ts,
      strategy: d.strategy,
      symbol: d.symbol,
      intent: d.intent as never,
      verdict: d.verdict,
      reasons: d.reasons as never,
      clientOrderId: d.clientOrderId ?? null,
      source: d.source ?? null,
      inputHash: d.inputHash ?? null,
    });
  }

  async snapshotEquity(s: EquitySnapshot): Promise<void> {
    await this.db
      .insert(equitySnapshots)
      .values(s)
      .onConflictDoUpdate({ target: equitySnapshots.ts, set: { equity: s.equity, cash: s.cash, unrealizedPnl: s.unrealizedPnl } });
  }

  async equitySnapshots(since: number): Promise<EquitySnapshot[]> {
    const rows = await this.db.select().from(equitySnapshots).where(gte(equitySnapshots.ts, since)).orderBy(equitySnapshots.ts);
    return rows.map((r) => ({ ts: r.ts, equity: Number(r.equity), cash: Number(r.cash), unrealizedPnl: Number(r.unrealizedPnl) }));
  }
}

/** Insert a fill unless its (exchange, trade id) is stored; true when inserted. */
async function insertFill(db: Db, fill: FillRecord): Promise<boolean> {
  const inserted = await db
    .insert(fills)
    .values({
      tradeId: fill.tradeId,
      clientOrderId: fill.clientOrderId,
      exchange: fill.exchange,
      symbol: fill.symbol,
      side: fill.side,
      price: fill.price,
      amount: fill.amount,
      fee: fill.fee,
      feeCurrency: fill.feeCurrency || null,
      realizedPnl: fill.realizedPnl,
      ts: fill.ts,
    })
    .onConflictDoNothing()
    .returning({ id: fills.id });
  return inserted.length > 0;
}

async function writeCash(db: Db, exchange: string, cash: number, ts: number): Promise<void> {
  await db
    .insert(balances)
    .values({ exchange, asset: CASH_ASSET, free: cash, used: 0, total: cash, updatedAt: ts })
    .onConflictDoUpdate({ target: [balances.exchange, balances.asset], set: { free: cash, total: cash, updatedAt: ts } });
}

async function writePosition(db: Db, exchange: string, symbol: string, p: Position | undefined, ts: number): Promise<void> {
  const values = p
    ? { quantity: p.quantity, entryPrice: p.entryPrice, realizedPnl: p.realizedPnl, stopLoss: p.stopLoss ?? null, takeProfit: p.takeProfit ?? null, openedAt: p.openedAt, updatedAt: ts }
    : { quantity: 0, entryPrice: null, realizedPnl: 0, stopLoss: null, takeProfit: null, openedAt: null, updatedAt: ts };
  await db
    .insert(positions)
    .values({ exchange, symbol, ...values })
    .onConflictDoUpdate({ target: [positions.exchange, positions.symbol], set: values });
}
