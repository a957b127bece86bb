CREATE TABLE "alerts" (
	"id" text PRIMARY KEY NOT NULL,
	"key" text NOT NULL,
	"kind" text NOT NULL,
	"domain" text NOT NULL,
	"vrid" smallint,
	"state" text NOT NULL,
	"nodes" jsonb NOT NULL,
	"evidence" jsonb NOT NULL,
	"summary" text NOT NULL,
	"first_seen" timestamp(6) with time zone NOT NULL,
	"raised_at" timestamp(6) with time zone NOT NULL,
	"resolved_at" timestamp(6) with time zone,
	"raised_published" boolean DEFAULT false NOT NULL,
	"resolved_published" boolean DEFAULT false NOT NULL
);
--> statement-breakpoint
CREATE TABLE "dead_letters" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "dead_letters_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"subject" text NOT NULL,
	"stream_seq" bigint,
	"reason" text NOT NULL,
	"raw" text NOT NULL,
	"received_at" timestamp(6) with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "events" (
	"pos" bigint GENERATED ALWAYS AS IDENTITY (sequence name "events_pos_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"id" text PRIMARY KEY NOT NULL,
	"node_id" text NOT NULL,
	"boot_id" text NOT NULL,
	"seq" bigint NOT NULL,
	"kind" text NOT NULL,
	"domain" text,
	"vrid" smallint,
	"instance" text,
	"at" timestamp(6) with time zone NOT NULL,
	"stream_seq" bigint,
	"received_at" timestamp(6) with time zone DEFAULT now() NOT NULL,
	"payload" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "mastership" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "mastership_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"domain" text NOT NULL,
	"vrid" smallint NOT NULL,
	"node_id" text NOT NULL,
	"instance" text NOT NULL,
	"from_at" timestamp(6) with time zone NOT NULL,
	"to_at" timestamp(6) with time zone,
	"start_reason" text NOT NULL,
	"end_reason" text,
	"start_event_id" text NOT NULL,
	"end_event_id" text,
	"interval_cs" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "node_liveness" (
	"node_id" text PRIMARY KEY NOT NULL,
	"boot_id" text NOT NULL,
	"last_seq" bigint NOT NULL,
	"last_seen_at" timestamp(6) with time zone NOT NULL,
	"last_event_id" text NOT NULL,
	"period_ms" integer,
	"last_heartbeat_id" text,
	"last_heartbeat_at" timestamp(6) with time zone,
	"instances" jsonb,
	"lost" boolean DEFAULT false NOT NULL
);
--> statement-breakpoint
CREATE INDEX "alerts_state_idx" ON "alerts" USING btree ("state","first_seen");--> statement-breakpoint
CREATE INDEX "alerts_key_idx" ON "alerts" USING btree ("key");--> statement-breakpoint
CREATE UNIQUE INDEX "dead_letters_stream_seq_key" ON "dead_letters" USING btree ("stream_seq");--> statement-breakpoint
CREATE INDEX "dead_letters_received_idx" ON "dead_letters" USING btree ("received_at");--> statement-breakpoint
CREATE UNIQUE INDEX "events_pos_key" ON "events" USING btree ("pos");--> statement-breakpoint
CREATE INDEX "events_at_id_idx" ON "events" USING btree ("at","id");--> statement-breakpoint
CREATE INDEX "events_router_at_idx" ON "events" USING btree ("vrid","domain","at");--> statement-breakpoint
CREATE INDEX "events_node_at_idx" ON "events" USING btree ("node_id","at");--> statement-breakpoint
CREATE INDEX "events_kind_at_idx" ON "events" USING btree ("kind","at");--> statement-breakpoint
CREATE INDEX "mastership_router_from_idx" ON "mastership" USING btree ("vrid","domain","from_at");--> statement-breakpoint
CREATE INDEX "mastership_during_idx" ON "mastership" USING gist ("vrid",tstzrange("from_at", coalesce("to_at", 'infinity'::timestamptz), '[)'));--> statement-breakpoint
CREATE UNIQUE INDEX "mastership_open_key" ON "mastership" USING btree ("domain","vrid","node_id") WHERE "mastership"."to_at" is null;