ALTER TABLE "gather_runs" ADD COLUMN "unsearched_stores" text[];--> statement-breakpoint
ALTER TABLE "gather_runs" ADD COLUMN "unsearched_reason" text;--> statement-breakpoint
ALTER TABLE "gather_runs" ADD COLUMN "unsearched_reason_by" uuid;--> statement-breakpoint
ALTER TABLE "gather_runs" ADD COLUMN "unsearched_reason_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "gather_runs" ADD CONSTRAINT "gather_runs_unsearched_reason_by_staff_users_id_fk" FOREIGN KEY ("unsearched_reason_by") REFERENCES "public"."staff_users"("id") ON DELETE no action ON UPDATE no action;