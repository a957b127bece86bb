DROP INDEX "events_router_at_idx";--> statement-breakpoint
ALTER TABLE "events" ALTER COLUMN "payload" SET DATA TYPE json;--> statement-breakpoint
CREATE INDEX "events_router_at_idx" ON "events" USING btree ("vrid","domain","at") WHERE "events"."vrid" is not null;