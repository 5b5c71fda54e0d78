ALTER TABLE "finding_actions" ADD COLUMN "attempted_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "finding_actions" ADD COLUMN "store_ref" text;--> statement-breakpoint
ALTER TABLE "finding_actions" ADD COLUMN "resolved_by" uuid;--> statement-breakpoint
ALTER TABLE "finding_actions" ADD COLUMN "resolved_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "finding_actions" ADD COLUMN "resolution_note" text;--> statement-breakpoint
ALTER TABLE "gather_store_jobs" ADD COLUMN "problems_omitted" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "gather_store_jobs" ADD COLUMN "partial" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "finding_actions" ADD CONSTRAINT "finding_actions_resolved_by_staff_users_id_fk" FOREIGN KEY ("resolved_by") REFERENCES "public"."staff_users"("id") ON DELETE no action ON UPDATE no action;