CREATE TABLE "retention_settings" (
	"rule_id" text PRIMARY KEY NOT NULL,
	"period" jsonb NOT NULL,
	"round_to_end_of_year" boolean NOT NULL,
	"updated_by" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sweep_evidence" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"sweep_run_id" uuid NOT NULL,
	"store" text NOT NULL,
	"rule_id" text NOT NULL,
	"deleted" integer DEFAULT 0 NOT NULL,
	"skipped_on_hold" integer DEFAULT 0 NOT NULL,
	"skipped_pending_archive" integer DEFAULT 0 NOT NULL,
	"malformed" integer DEFAULT 0 NOT NULL,
	"oldest_affected" timestamp with time zone,
	"newest_affected" timestamp with time zone,
	"started_at" timestamp with time zone NOT NULL,
	"finished_at" timestamp with time zone,
	"outcome" text NOT NULL,
	"error" text
);
--> statement-breakpoint
CREATE TABLE "sweep_runs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"trigger" text NOT NULL,
	"dry_run" boolean DEFAULT false NOT NULL,
	"status" text DEFAULT 'running' NOT NULL,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "retention_settings" ADD CONSTRAINT "retention_settings_updated_by_staff_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."staff_users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sweep_evidence" ADD CONSTRAINT "sweep_evidence_sweep_run_id_sweep_runs_id_fk" FOREIGN KEY ("sweep_run_id") REFERENCES "public"."sweep_runs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "sweep_evidence_run" ON "sweep_evidence" USING btree ("sweep_run_id");--> statement-breakpoint
CREATE INDEX "sweep_evidence_started" ON "sweep_evidence" USING btree ("started_at");