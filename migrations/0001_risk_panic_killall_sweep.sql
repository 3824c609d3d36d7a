CREATE TABLE "kill_runs" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"status" text NOT NULL,
	"requested_by" text NOT NULL,
	"include_external" boolean DEFAULT false NOT NULL,
	"reason" text NOT NULL,
	"started_at" bigint NOT NULL,
	"finished_at" bigint,
	"items" jsonb DEFAULT '[]'::jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "panic_scores" (
	"scope" text NOT NULL,
	"ts" bigint NOT NULL,
	"score" real NOT NULL,
	"level" text NOT NULL,
	"components" jsonb NOT NULL,
	CONSTRAINT "panic_scores_scope_ts_pk" PRIMARY KEY("scope","ts")
);
--> statement-breakpoint
CREATE TABLE "sweeps" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"ts" bigint NOT NULL,
	"currency" text NOT NULL,
	"amount" numeric NOT NULL,
	"address" text NOT NULL,
	"network" text,
	"dry_run" boolean NOT NULL,
	"status" text NOT NULL,
	"tx_id" text,
	"error" text,
	"requested_by" text NOT NULL
);
--> statement-breakpoint
ALTER TABLE "decisions" ADD COLUMN "source" text;--> statement-breakpoint
ALTER TABLE "decisions" ADD COLUMN "input_hash" text;--> statement-breakpoint
CREATE INDEX "kill_runs_status_idx" ON "kill_runs" USING btree ("status");--> statement-breakpoint
CREATE INDEX "sweeps_ts_idx" ON "sweeps" USING btree ("ts");