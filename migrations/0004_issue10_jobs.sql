CREATE TABLE "backtest_datasets" (
	"id" text PRIMARY KEY NOT NULL,
	"created_at" bigint NOT NULL,
	"length" integer NOT NULL,
	"data" "bytea" NOT NULL
);
--> statement-breakpoint
ALTER TABLE "backtest_runs" ADD COLUMN "job_id" text;--> statement-breakpoint
ALTER TABLE "backtest_runs" ADD COLUMN "announce_pending" boolean DEFAULT false NOT NULL;--> statement-breakpoint
CREATE INDEX "backtest_datasets_created_idx" ON "backtest_datasets" USING btree ("created_at");