ALTER TABLE "finding_actions" ADD COLUMN "approved_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "finding_actions" ADD COLUMN "archive_decision" text;--> statement-breakpoint
ALTER TABLE "finding_actions" ADD COLUMN "archive_answered_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "finding_actions" ADD COLUMN "archive_note" text;