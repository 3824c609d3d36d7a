import { sql } from 'drizzle-orm';
import {
  customType,
  bigint,
  bigserial,
  boolean,
  doublePrecision,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  primaryKey,
  real,
  smallint,
  text,
  uniqueIndex,
} from 'drizzle-orm/pg-core';

/*
 * Conventions: time is UTC epoch ms in `bigint` columns; money (amounts, prices, fees, P&L, equity) is
 * `numeric` (exact). Candle OHLCV is market data read in bulk into Float64Arrays, so it is
 * `double precision` — the exchange gives floats and the engine computes in floats.
 */
const ms = (name: string) => bigint(name, { mode: 'number' });
const money = (name: string) => numeric(name, { mode: 'number' });

export const candles = pgTable(
  'candles',
  {
    exchange: text('exchange').notNull(),
    symbol: text('symbol').notNull(),
    timeframe: text('timeframe').notNull(),
    ts: ms('ts').notNull(),
    open: doublePrecision('open').notNull(),
    high: doublePrecision('high').notNull(),
    low: doublePrecision('low').notNull(),
    close: doublePrecision('close').notNull(),
    volume: doublePrecision('volume').notNull(),
  },
  (t) => [primaryKey({ columns: [t.exchange, t.symbol, t.timeframe, t.ts] })],
);

export const orders = pgTable(
  'orders',
  {
    clientOrderId: text('client_order_id').primaryKey(),
    exchangeOrderId: text('exchange_order_id'),
    exchange: text('exchange').notNull(),
    mode: text('mode').notNull(), // paper | live | backtest
    symbol: text('symbol').notNull(),
    side: text('side').notNull(),
    type: text('type').notNull(),
    amount: money('amount').notNull(),
    price: money('price'),
    reduceOnly: boolean('reduce_only').notNull().default(false),
    status: text('status').notNull(),
    filled: money('filled').notNull().default(0),
    avgPrice: money('avg_price'),
    fee: money('fee').notNull().default(0),
    feeCurrency: text('fee_currency'),
    strategy: text('strategy'),
    reason: text('reason'),
    intent: jsonb('intent'),
    createdAt: ms('created_at').notNull(),
    updatedAt: ms('updated_at').notNull(),
  },
  (t) => [
    index('orders_status_idx').on(t.status),
    index('orders_symbol_created_idx').on(t.symbol, t.createdAt),
    index('orders_exchange_order_idx').on(t.exchange, t.exchangeOrderId),
  ],
);

export const fills = pgTable(
  'fills',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    tradeId: text('trade_id').notNull(),
    clientOrderId: text('client_order_id')
      .notNull()
      .references(() => orders.clientOrderId),
    exchange: text('exchange').notNull(),
    symbol: text('symbol').notNull(),
    side: text('side').notNull(),
    price: money('price').notNull(),
    amount: money('amount').notNull(),
    fee: money('fee').notNull().default(0),
    feeCurrency: text('fee_currency'),
    realizedPnl: money('realized_pnl').notNull().default(0),
    ts: ms('ts').notNull(),
  },
  (t) => [
    uniqueIndex('fills_exchange_trade_uq').on(t.exchange, t.tradeId),
    index('fills_order_idx').on(t.clientOrderId),
    index('fills_ts_idx').on(t.ts),
  ],
);

export const positions = pgTable(
  'positions',
  {
    exchange: text('exchange').notNull(),
    symbol: text('symbol').notNull(),
    /** Signed quantity: > 0 long, < 0 short, 0 flat. */
    quantity: money('quantity').notNull().default(0),
    entryPrice: money('entry_price'),
    realizedPnl: money('realized_pnl').notNull().default(0),
    stopLoss: money('stop_loss'),
    takeProfit: money('take_profit'),
    strategy: text('strategy'),
    openedAt: ms('opened_at'),
    updatedAt: ms('updated_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.exchange, t.symbol] })],
);

export const balances = pgTable(
  'balances',
  {
    exchange: text('exchange').notNull(),
    asset: text('asset').notNull(),
    free: money('free').notNull(),
    used: money('used').notNull(),
    total: money('total').notNull(),
    updatedAt: ms('updated_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.exchange, t.asset] })],
);

export const equitySnapshots = pgTable('equity_snapshots', {
  ts: ms('ts').primaryKey(),
  equity: money('equity').notNull(),
  cash: money('cash').notNull(),
  unrealizedPnl: money('unrealized_pnl').notNull().default(0),
});

export const strategyState = pgTable(
  'strategy_state',
  {
    strategy: text('strategy').notNull(),
    symbol: text('symbol').notNull(),
    state: jsonb('state').notNull(),
    updatedAt: ms('updated_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.strategy, t.symbol] })],
);

/** One row (id = 1): the current trading state. Its history lives in audit_log and alerts. */
export const tradingState = pgTable('trading_state', {
  id: smallint('id').primaryKey().default(1),
  state: text('state').notNull(), // ACTIVE | REDUCING | HALTED
  reason: text('reason').notNull(),
  changedBy: text('changed_by').notNull(),
  changedAt: ms('changed_at').notNull(),
  haltedUntil: ms('halted_until'),
});

/** Every strategy intent and the risk gate's verdict on it: approved, or denied with reason codes. */
export const decisions = pgTable(
  'decisions',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    ts: ms('ts').notNull(),
    strategy: text('strategy').notNull(),
    symbol: text('symbol').notNull(),
    intent: jsonb('intent').notNull(),
    verdict: text('verdict').notNull(), // approved | denied
    reasons: jsonb('reasons').notNull().default(sql`'[]'::jsonb`),
    clientOrderId: text('client_order_id'),
    source: text('source'), // strategy | manual | signal | kill-all
    inputHash: text('input_hash'), // sha256 of the inputs a denial was decided on
  },
  (t) => [index('decisions_ts_idx').on(t.ts)],
);

export const auditLog = pgTable(
  'audit_log',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    ts: ms('ts').notNull(),
    platform: text('platform').notNull(),
    userId: text('user_id').notNull(),
    chatId: text('chat_id'),
    command: text('command').notNull(),
    args: jsonb('args'),
    role: text('role'),
    decision: text('decision').notNull(), // allowed | refused | confirmed | expired | cancelled | failed | rate_limited | …
    result: text('result'),
    durationMs: integer('duration_ms'),
  },
  (t) => [index('audit_ts_idx').on(t.ts), index('audit_user_idx').on(t.platform, t.userId)],
);

export const alertOutbox = pgTable(
  'alert_outbox',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    createdAt: ms('created_at').notNull(),
    channel: text('channel').notNull(), // telegram | discord | line
    destination: text('destination').notNull(), // chat id / channel id / user id
    type: text('type').notNull(),
    severity: text('severity').notNull(), // info | warning | critical
    silent: boolean('silent').notNull().default(false),
    payload: jsonb('payload').notNull(),
    status: text('status').notNull().default('pending'), // pending | sent | dead
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: ms('next_attempt_at').notNull(),
    sentAt: ms('sent_at'),
    lastError: text('last_error'),
  },
  (t) => [index('outbox_pending_idx').on(t.status, t.channel, t.destination, t.id)],
);

export const alertSettings = pgTable(
  'alert_settings',
  {
    channel: text('channel').notNull(), // telegram | discord | line | * (all)
    type: text('type').notNull(),
    level: text('level').notNull(), // on | silent | off
    updatedAt: ms('updated_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.channel, t.type] })],
);

/** Redelivered platform updates (Telegram update_id, Discord interaction id, LINE event id) run once. */
export const chatUpdates = pgTable(
  'chat_updates',
  {
    platform: text('platform').notNull(),
    updateId: text('update_id').notNull(),
    receivedAt: ms('received_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.platform, t.updateId] }), index('chat_updates_received_idx').on(t.receivedAt)],
);

export const confirmations = pgTable('confirmations', {
  code: text('code').primaryKey(),
  platform: text('platform').notNull(),
  userId: text('user_id').notNull(),
  chatId: text('chat_id'),
  command: text('command').notNull(),
  args: jsonb('args'),
  createdAt: ms('created_at').notNull(),
  expiresAt: ms('expires_at').notNull(),
  status: text('status').notNull().default('pending'), // pending | confirmed | cancelled | expired
});

export const backtestRuns = pgTable(
  'backtest_runs',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    createdAt: ms('created_at').notNull(),
    status: text('status').notNull(), // queued | running | done | failed
    source: text('source').notNull(), // cli | chat
    requestedBy: jsonb('requested_by'),
    strategy: text('strategy').notNull(),
    symbol: text('symbol').notNull(),
    timeframe: text('timeframe').notNull(),
    fromTs: ms('from_ts'),
    toTs: ms('to_ts'),
    params: jsonb('params').notNull().default(sql`'{}'::jsonb`),
    options: jsonb('options').notNull().default(sql`'{}'::jsonb`),
    metrics: jsonb('metrics'),
    files: jsonb('files'),
    progress: real('progress').notNull().default(0),
    error: text('error'),
    startedAt: ms('started_at'),
    finishedAt: ms('finished_at'),
    /** The job-queue job running it (chat runs); null until its candles are prepared and it is queued. */
    jobId: text('job_id'),
    /** A chat run whose end is still to be announced (one process claims it: announced once). */
    announcePending: boolean('announce_pending').notNull().default(false),
  },
  (t) => [index('backtest_runs_status_idx').on(t.status, t.id), index('backtest_runs_created_idx').on(t.createdAt)],
);

const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({ dataType: () => 'bytea' });

/**
 * Candles a queued backtest job runs on, written once by whoever queued it and read by every worker:
 * the six columns as little-endian float64, keyed by the SHA-256 of those bytes (a sweep of 500
 * parameter sets stores its candles once; the same candles queued again reuse the row).
 */
export const backtestDatasets = pgTable(
  'backtest_datasets',
  {
    id: text('id').primaryKey(),
    createdAt: ms('created_at').notNull(),
    length: integer('length').notNull(),
    data: bytea('data').notNull(),
  },
  (t) => [index('backtest_datasets_created_idx').on(t.createdAt)],
);

/** Panic score history: one row per scope (a symbol or `portfolio`) per engine tick. */
export const panicScores = pgTable(
  'panic_scores',
  {
    scope: text('scope').notNull(),
    ts: ms('ts').notNull(),
    score: real('score').notNull(),
    level: text('level').notNull(), // calm | elevated | high | extreme
    components: jsonb('components').notNull(),
  },
  (t) => [primaryKey({ columns: [t.scope, t.ts] })],
);

/**
 * Kill-all runs. A run is `running` from the moment it is confirmed (written before the first
 * request) until every symbol is settled; a process killed halfway finds it at the next start and
 * resumes it. `items` holds the per-symbol plan and outcome.
 */
export const killRuns = pgTable(
  'kill_runs',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    status: text('status').notNull(), // running | done
    requestedBy: text('requested_by').notNull(),
    includeExternal: boolean('include_external').notNull().default(false),
    reason: text('reason').notNull(),
    startedAt: ms('started_at').notNull(),
    finishedAt: ms('finished_at'),
    items: jsonb('items').notNull().default(sql`'[]'::jsonb`),
  },
  (t) => [index('kill_runs_status_idx').on(t.status)],
);

/** Treasury sweeps (withdrawals to the allow-listed address), dry runs included. */
export const sweeps = pgTable(
  'sweeps',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    ts: ms('ts').notNull(),
    currency: text('currency').notNull(),
    amount: money('amount').notNull(),
    address: text('address').notNull(),
    network: text('network'),
    dryRun: boolean('dry_run').notNull(),
    status: text('status').notNull(), // planned | sent | failed
    txId: text('tx_id'),
    error: text('error'),
    requestedBy: text('requested_by').notNull(),
  },
  (t) => [index('sweeps_ts_idx').on(t.ts)],
);

/**
 * Dashboard sign-in: one-time links (kind `link`, from /dashboard or `tradeops dashboard-link`) and
 * the browser sessions they open (kind `session`). Only a SHA-256 of each token is stored.
 */
export const webSessions = pgTable(
  'web_sessions',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    tokenHash: text('token_hash').notNull().unique(),
    kind: text('kind').notNull(), // link | session
    platform: text('platform').notNull(),
    userId: text('user_id').notNull(),
    createdAt: ms('created_at').notNull(),
    expiresAt: ms('expires_at').notNull(),
    usedAt: ms('used_at'),
    revokedAt: ms('revoked_at'),
  },
  (t) => [index('web_sessions_user_idx').on(t.platform, t.userId)],
);

/** Signals received on POST /webhooks/signal: the idempotency record and what became of each. */
export const signals = pgTable(
  'signals',
  {
    source: text('source').notNull(),
    signalId: text('signal_id').notNull(),
    receivedAt: ms('received_at').notNull(),
    senderTime: ms('sender_time'),
    symbol: text('symbol'),
    action: text('action').notNull(),
    payload: jsonb('payload').notNull(), // the normalised signal (never the passphrase)
    status: text('status').notNull(), // received | executed | denied | failed | expired
    outcome: text('outcome'),
    processedAt: ms('processed_at'),
  },
  (t) => [primaryKey({ columns: [t.source, t.signalId] }), index('signals_status_idx').on(t.status, t.receivedAt)],
);

/** External factors per symbol (funding rate, netflow, SOPR, fear & greed, …), one row per observation. */
export const factors = pgTable(
  'factors',
  {
    symbol: text('symbol').notNull(), // exchange symbol, or * for market-wide factors
    name: text('name').notNull(),
    ts: ms('ts').notNull(),
    value: doublePrecision('value').notNull(),
    source: text('source').notNull(),
    receivedAt: ms('received_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.symbol, t.name, t.ts] })],
);
