CREATE TABLE "answer_archive_chunks" (
	"answer_id" uuid NOT NULL,
	"seq" integer NOT NULL,
	"bytes" "bytea" NOT NULL,
	CONSTRAINT "answer_archive_chunks_answer_id_seq_pk" PRIMARY KEY("answer_id","seq")
);
--> statement-breakpoint
CREATE TABLE "answer_archives" (
	"answer_id" uuid PRIMARY KEY NOT NULL,
	"status" text NOT NULL,
	"reason" text,
	"size" bigint,
	"sha256" text,
	"entries" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"built_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "answer_archive_chunks" ADD CONSTRAINT "answer_archive_chunks_answer_id_answer_archives_answer_id_fk" FOREIGN KEY ("answer_id") REFERENCES "public"."answer_archives"("answer_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "answer_archives" ADD CONSTRAINT "answer_archives_answer_id_answers_id_fk" FOREIGN KEY ("answer_id") REFERENCES "public"."answers"("id") ON DELETE cascade ON UPDATE no action;