ALTER TABLE "gather_store_jobs" ALTER COLUMN "progress_scanned" SET DATA TYPE bigint;--> statement-breakpoint
ALTER TABLE "gather_store_jobs" ALTER COLUMN "progress_total" SET DATA TYPE bigint;