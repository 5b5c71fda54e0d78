CREATE TABLE "print_jobs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"request_id" uuid NOT NULL,
	"subject" text NOT NULL,
	"pdf" "bytea" NOT NULL,
	"status" text DEFAULT 'waiting' NOT NULL,
	"dispatched_on" text,
	"dispatched_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "print_jobs" ADD CONSTRAINT "print_jobs_request_id_requests_id_fk" FOREIGN KEY ("request_id") REFERENCES "public"."requests"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "print_jobs" ADD CONSTRAINT "print_jobs_dispatched_by_staff_users_id_fk" FOREIGN KEY ("dispatched_by") REFERENCES "public"."staff_users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "print_jobs_status" ON "print_jobs" USING btree ("status");--> statement-breakpoint
CREATE INDEX "print_jobs_request" ON "print_jobs" USING btree ("request_id");