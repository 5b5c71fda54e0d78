CREATE TABLE "store_access_decisions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"request_id" uuid NOT NULL,
	"store" text NOT NULL,
	"applies" boolean NOT NULL,
	"reasoning" text NOT NULL,
	"decided_by" uuid NOT NULL,
	"decided_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "tlfdi_demands" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"request_id" uuid NOT NULL,
	"round_id" uuid NOT NULL,
	"record_pdf" "bytea" NOT NULL,
	"record_sha256" text NOT NULL,
	"demanded_at" timestamp with time zone NOT NULL,
	"handed_over_at" timestamp with time zone,
	"handed_over_by" uuid,
	"hand_over_note" text
);
--> statement-breakpoint
ALTER TABLE "store_access_decisions" ADD CONSTRAINT "store_access_decisions_request_id_requests_id_fk" FOREIGN KEY ("request_id") REFERENCES "public"."requests"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "store_access_decisions" ADD CONSTRAINT "store_access_decisions_decided_by_staff_users_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."staff_users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tlfdi_demands" ADD CONSTRAINT "tlfdi_demands_request_id_requests_id_fk" FOREIGN KEY ("request_id") REFERENCES "public"."requests"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tlfdi_demands" ADD CONSTRAINT "tlfdi_demands_round_id_review_rounds_id_fk" FOREIGN KEY ("round_id") REFERENCES "public"."review_rounds"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tlfdi_demands" ADD CONSTRAINT "tlfdi_demands_handed_over_by_staff_users_id_fk" FOREIGN KEY ("handed_over_by") REFERENCES "public"."staff_users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "store_access_decisions_case_store" ON "store_access_decisions" USING btree ("request_id","store");--> statement-breakpoint
CREATE UNIQUE INDEX "tlfdi_demands_round" ON "tlfdi_demands" USING btree ("round_id");--> statement-breakpoint
CREATE INDEX "tlfdi_demands_request" ON "tlfdi_demands" USING btree ("request_id");