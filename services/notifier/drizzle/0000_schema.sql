CREATE SCHEMA IF NOT EXISTS "notifier";
--> statement-breakpoint
CREATE TABLE "notifier"."dead_letters" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "notifier"."dead_letters_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"kind" text NOT NULL,
	"reason" text NOT NULL,
	"subject" text,
	"stream_seq" bigint,
	"raw" text,
	"channel" text,
	"delivery_ids" text,
	"message_ids" text,
	"at" timestamp (3) with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "notifier"."deliveries" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "notifier"."deliveries_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"message_id" text NOT NULL,
	"channel" text NOT NULL,
	"kind" text NOT NULL,
	"incident_id" text NOT NULL,
	"group_key" text NOT NULL,
	"payload" jsonb NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"in_flight" boolean DEFAULT false NOT NULL,
	"possible_duplicate" boolean DEFAULT false NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"group_ref" text,
	"title" text,
	"last_error" text,
	"stream_seq" bigint,
	"received_at" timestamp (3) with time zone NOT NULL,
	"sending_at" timestamp (3) with time zone,
	"finished_at" timestamp (3) with time zone
);
--> statement-breakpoint
CREATE UNIQUE INDEX "dead_letters_stream_seq_key" ON "notifier"."dead_letters" USING btree ("stream_seq");--> statement-breakpoint
CREATE INDEX "dead_letters_at_idx" ON "notifier"."dead_letters" USING btree ("at");--> statement-breakpoint
CREATE UNIQUE INDEX "deliveries_message_channel_key" ON "notifier"."deliveries" USING btree ("message_id","channel");--> statement-breakpoint
CREATE INDEX "deliveries_queue_idx" ON "notifier"."deliveries" USING btree ("channel","id") WHERE status in ('pending', 'sending');--> statement-breakpoint
CREATE INDEX "deliveries_incident_idx" ON "notifier"."deliveries" USING btree ("incident_id","channel");