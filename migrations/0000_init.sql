CREATE TABLE "alert_outbox" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"created_at" bigint NOT NULL,
	"channel" text NOT NULL,
	"destination" text NOT NULL,
	"type" text NOT NULL,
	"severity" text NOT NULL,
	"silent" boolean DEFAULT false NOT NULL,
	"payload" jsonb NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" bigint NOT NULL,
	"sent_at" bigint,
	"last_error" text
);
--> statement-breakpoint
CREATE TABLE "alert_settings" (
	"channel" text NOT NULL,
	"type" text NOT NULL,
	"level" text NOT NULL,
	"updated_at" bigint NOT NULL,
	CONSTRAINT "alert_settings_channel_type_pk" PRIMARY KEY("channel","type")
);
--> statement-breakpoint
CREATE TABLE "audit_log" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"ts" bigint NOT NULL,
	"platform" text NOT NULL,
	"user_id" text NOT NULL,
	"chat_id" text,
	"command" text NOT NULL,
	"args" jsonb,
	"role" text,
	"decision" text NOT NULL,
	"result" text,
	"duration_ms" integer
);
--> statement-breakpoint
CREATE TABLE "backtest_runs" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"created_at" bigint NOT NULL,
	"status" text NOT NULL,
	"source" text NOT NULL,
	"requested_by" jsonb,
	"strategy" text NOT NULL,
	"symbol" text NOT NULL,
	"timeframe" text NOT NULL,
	"from_ts" bigint,
	"to_ts" bigint,
	"params" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"options" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"metrics" jsonb,
	"files" jsonb,
	"progress" real DEFAULT 0 NOT NULL,
	"error" text,
	"started_at" bigint,
	"finished_at" bigint
);
--> statement-breakpoint
CREATE TABLE "balances" (
	"exchange" text NOT NULL,
	"asset" text NOT NULL,
	"free" numeric NOT NULL,
	"used" numeric NOT NULL,
	"total" numeric NOT NULL,
	"updated_at" bigint NOT NULL,
	CONSTRAINT "balances_exchange_asset_pk" PRIMARY KEY("exchange","asset")
);
--> statement-breakpoint
CREATE TABLE "candles" (
	"exchange" text NOT NULL,
	"symbol" text NOT NULL,
	"timeframe" text NOT NULL,
	"ts" bigint NOT NULL,
	"open" double precision NOT NULL,
	"high" double precision NOT NULL,
	"low" double precision NOT NULL,
	"close" double precision NOT NULL,
	"volume" double precision NOT NULL,
	CONSTRAINT "candles_exchange_symbol_timeframe_ts_pk" PRIMARY KEY("exchange","symbol","timeframe","ts")
);
--> statement-breakpoint
CREATE TABLE "chat_updates" (
	"platform" text NOT NULL,
	"update_id" text NOT NULL,
	"received_at" bigint NOT NULL,
	CONSTRAINT "chat_updates_platform_update_id_pk" PRIMARY KEY("platform","update_id")
);
--> statement-breakpoint
CREATE TABLE "confirmations" (
	"code" text PRIMARY KEY NOT NULL,
	"platform" text NOT NULL,
	"user_id" text NOT NULL,
	"chat_id" text,
	"command" text NOT NULL,
	"args" jsonb,
	"created_at" bigint NOT NULL,
	"expires_at" bigint NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL
);
--> statement-breakpoint
CREATE TABLE "decisions" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"ts" bigint NOT NULL,
	"strategy" text NOT NULL,
	"symbol" text NOT NULL,
	"intent" jsonb NOT NULL,
	"verdict" text NOT NULL,
	"reasons" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"client_order_id" text
);
--> statement-breakpoint
CREATE TABLE "equity_snapshots" (
	"ts" bigint PRIMARY KEY NOT NULL,
	"equity" numeric NOT NULL,
	"cash" numeric NOT NULL,
	"unrealized_pnl" numeric DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "fills" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"trade_id" text NOT NULL,
	"client_order_id" text NOT NULL,
	"exchange" text NOT NULL,
	"symbol" text NOT NULL,
	"side" text NOT NULL,
	"price" numeric NOT NULL,
	"amount" numeric NOT NULL,
	"fee" numeric DEFAULT 0 NOT NULL,
	"fee_currency" text,
	"realized_pnl" numeric DEFAULT 0 NOT NULL,
	"ts" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "orders" (
	"client_order_id" text PRIMARY KEY NOT NULL,
	"exchange_order_id" text,
	"exchange" text NOT NULL,
	"mode" text NOT NULL,
	"symbol" text NOT NULL,
	"side" text NOT NULL,
	"type" text NOT NULL,
	"amount" numeric NOT NULL,
	"price" numeric,
	"reduce_only" boolean DEFAULT false NOT NULL,
	"status" text NOT NULL,
	"filled" numeric DEFAULT 0 NOT NULL,
	"avg_price" numeric,
	"fee" numeric DEFAULT 0 NOT NULL,
	"fee_currency" text,
	"strategy" text,
	"reason" text,
	"intent" jsonb,
	"created_at" bigint NOT NULL,
	"updated_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "positions" (
	"exchange" text NOT NULL,
	"symbol" text NOT NULL,
	"quantity" numeric DEFAULT 0 NOT NULL,
	"entry_price" numeric,
	"realized_pnl" numeric DEFAULT 0 NOT NULL,
	"stop_loss" numeric,
	"take_profit" numeric,
	"strategy" text,
	"opened_at" bigint,
	"updated_at" bigint NOT NULL,
	CONSTRAINT "positions_exchange_symbol_pk" PRIMARY KEY("exchange","symbol")
);
--> statement-breakpoint
CREATE TABLE "strategy_state" (
	"strategy" text NOT NULL,
	"symbol" text NOT NULL,
	"state" jsonb NOT NULL,
	"updated_at" bigint NOT NULL,
	CONSTRAINT "strategy_state_strategy_symbol_pk" PRIMARY KEY("strategy","symbol")
);
--> statement-breakpoint
CREATE TABLE "trading_state" (
	"id" smallint PRIMARY KEY DEFAULT 1 NOT NULL,
	"state" text NOT NULL,
	"reason" text NOT NULL,
	"changed_by" text NOT NULL,
	"changed_at" bigint NOT NULL,
	"halted_until" bigint
);
--> statement-breakpoint
ALTER TABLE "fills" ADD CONSTRAINT "fills_client_order_id_orders_client_order_id_fk" FOREIGN KEY ("client_order_id") REFERENCES "public"."orders"("client_order_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "outbox_pending_idx" ON "alert_outbox" USING btree ("status","channel","destination","id");--> statement-breakpoint
CREATE INDEX "audit_ts_idx" ON "audit_log" USING btree ("ts");--> statement-breakpoint
CREATE INDEX "audit_user_idx" ON "audit_log" USING btree ("platform","user_id");--> statement-breakpoint
CREATE INDEX "backtest_runs_status_idx" ON "backtest_runs" USING btree ("status","id");--> statement-breakpoint
CREATE INDEX "backtest_runs_created_idx" ON "backtest_runs" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "chat_updates_received_idx" ON "chat_updates" USING btree ("received_at");--> statement-breakpoint
CREATE INDEX "decisions_ts_idx" ON "decisions" USING btree ("ts");--> statement-breakpoint
CREATE UNIQUE INDEX "fills_exchange_trade_uq" ON "fills" USING btree ("exchange","trade_id");--> statement-breakpoint
CREATE INDEX "fills_order_idx" ON "fills" USING btree ("client_order_id");--> statement-breakpoint
CREATE INDEX "fills_ts_idx" ON "fills" USING btree ("ts");--> statement-breakpoint
CREATE INDEX "orders_status_idx" ON "orders" USING btree ("status");--> statement-breakpoint
CREATE INDEX "orders_symbol_created_idx" ON "orders" USING btree ("symbol","created_at");--> statement-breakpoint
CREATE INDEX "orders_exchange_order_idx" ON "orders" USING btree ("exchange","exchange_order_id");