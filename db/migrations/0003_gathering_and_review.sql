CREATE TABLE "finding_decisions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"round_id" uuid NOT NULL,
	"finding_id" uuid NOT NULL,
	"decision" text NOT NULL,
	"ground_id" text,
	"reasoning" text,
	"omit_reasons" boolean DEFAULT false NOT NULL,
	"review_on" timestamp with time zone,
	"redacted_fields" text[] DEFAULT '{}'::text[] NOT NULL,
	"content_hash" text NOT NULL,
	"decided_by" uuid NOT NULL,
	"decided_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "findings" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"run_id" uuid NOT NULL,
	"store" text NOT NULL,
	"store_kind" text NOT NULL,
	"processing_activity_id" text NOT NULL,
	"ref" text NOT NULL,
	"role" text,
	"flags" text[] NOT NULL,
	"unproven" boolean NOT NULL,
	"matched" jsonb NOT NULL,
	"recorded_at" timestamp with time zone,
	"content" jsonb NOT NULL,
	"content_hash" text NOT NULL,
	"suggestions" jsonb DEFAULT '[]'::jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "gather_runs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"request_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"started_by" uuid,
	"frozen_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "gather_store_jobs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"run_id" uuid NOT NULL,
	"store" text NOT NULL,
	"status" text DEFAULT 'queued' NOT NULL,
	"progress_unit" text,
	"progress_scanned" integer DEFAULT 0 NOT NULL,
	"progress_total" integer,
	"findings" integer DEFAULT 0 NOT NULL,
	"malformed" integer DEFAULT 0 NOT NULL,
	"problems" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"error" text,
	"attempts" integer DEFAULT 0 NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "review_rounds" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"run_id" uuid NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"proposed_by" uuid,
	"proposed_at" timestamp with time zone,
	"decided_by" uuid,
	"decided_at" timestamp with time zone,
	"comment" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "finding_decisions" ADD CONSTRAINT "finding_decisions_round_id_review_rounds_id_fk" FOREIGN KEY ("round_id") REFERENCES "public"."review_rounds"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "finding_decisions" ADD CONSTRAINT "finding_decisions_finding_id_findings_id_fk" FOREIGN KEY ("finding_id") REFERENCES "public"."findings"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "finding_decisions" ADD CONSTRAINT "finding_decisions_decided_by_staff_users_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."staff_users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "findings" ADD CONSTRAINT "findings_run_id_gather_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."gather_runs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "gather_runs" ADD CONSTRAINT "gather_runs_request_id_requests_id_fk" FOREIGN KEY ("request_id") REFERENCES "public"."requests"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "gather_runs" ADD CONSTRAINT "gather_runs_started_by_staff_users_id_fk" FOREIGN KEY ("started_by") REFERENCES "public"."staff_users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "gather_store_jobs" ADD CONSTRAINT "gather_store_jobs_run_id_gather_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."gather_runs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "review_rounds" ADD CONSTRAINT "review_rounds_run_id_gather_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."gather_runs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "review_rounds" ADD CONSTRAINT "review_rounds_proposed_by_staff_users_id_fk" FOREIGN KEY ("proposed_by") REFERENCES "public"."staff_users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "review_rounds" ADD CONSTRAINT "review_rounds_decided_by_staff_users_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."staff_users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "finding_decisions_round_finding" ON "finding_decisions" USING btree ("round_id","finding_id");--> statement-breakpoint
CREATE UNIQUE INDEX "findings_run_store_ref" ON "findings" USING btree ("run_id","store","ref");--> statement-breakpoint
CREATE UNIQUE INDEX "gather_runs_request_version" ON "gather_runs" USING btree ("request_id","version");--> statement-breakpoint
CREATE UNIQUE INDEX "gather_store_jobs_run_store" ON "gather_store_jobs" USING btree ("run_id","store");--> statement-breakpoint
CREATE INDEX "review_rounds_run" ON "review_rounds" USING btree ("run_id");