ALTER TABLE "finding_actions" ADD COLUMN "returned_by" uuid;--> statement-breakpoint
ALTER TABLE "finding_actions" ADD COLUMN "returned_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "finding_actions" ADD COLUMN "return_comment" text;--> statement-breakpoint
ALTER TABLE "finding_actions" ADD CONSTRAINT "finding_actions_returned_by_staff_users_id_fk" FOREIGN KEY ("returned_by") REFERENCES "public"."staff_users"("id") ON DELETE no action ON UPDATE no action;