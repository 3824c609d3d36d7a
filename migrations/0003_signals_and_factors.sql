CREATE TABLE "factors" (
	"symbol" text NOT NULL,
	"name" text NOT NULL,
	"ts" bigint NOT NULL,
	"value" double precision NOT NULL,
	"source" text NOT NULL,
	"received_at" bigint NOT NULL,
	CONSTRAINT "factors_symbol_name_ts_pk" PRIMARY KEY("symbol","name","ts")
);
--> statement-breakpoint
CREATE TABLE "signals" (
	"source" text NOT NULL,
	"signal_id" text NOT NULL,
	"received_at" bigint NOT NULL,
	"sender_time" bigint,
	"symbol" text,
	"action" text NOT NULL,
	"payload" jsonb NOT NULL,
	"status" text NOT NULL,
	"outcome" text,
	"processed_at" bigint,
	CONSTRAINT "signals_source_signal_id_pk" PRIMARY KEY("source","signal_id")
);
--> statement-breakpoint
CREATE INDEX "signals_status_idx" ON "signals" USING btree ("status","received_at");