// Runtime schemas for every message on the bus, and the TypeScript types inferred from them.
// Validate before trusting (the auditor and notifier parse every message; DESIGN.md rule 4).
//
// SECRETS NEVER BELONG IN EVENTS. No field carries auth_pass or any other credential: an anomaly sample
// is the packet with its VRRPv2 authentication data zeroed (see redactAnomalySample), and parseEvent
// refuses any message that has a key that looks like a secret (auth_pass, password, token, ...).
//
// Unknown keys are stripped, not refused, so a consumer of version N can read an event of version N
// that a newer producer decorated; a changed meaning bumps SCHEMA_VERSION instead.
import { z } from 'zod';
import { BOOT_ID_PATTERN } from './event-id.js';
import { NODE_ID_PATTERN } from './node-id.js';
import { SCHEMA_VERSION } from './schema-version.js';
import {
  ALERT_KINDS,
  ALERT_STATES,
  ANOMALY_CLASSES,
  FAMILIES,
  GAP_CAUSES,
  TRANSITION_REASONS,
  VRRP_STATES,
} from './vocabulary.js';
import { WALL_CLOCK_PATTERN } from './wall-clock.js';

const nodeId = z.string().regex(NODE_ID_PATTERN);
const bootId = z.string().regex(BOOT_ID_PATTERN);
const seq = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
const wallClock = z.string().regex(WALL_CLOCK_PATTERN, 'ISO-8601 UTC with 6 fractional digits');
/** Monotonic nanoseconds as a decimal string: ns since boot pass 2^53 after ~104 days, so not a number. */
export const MONO_NS_PATTERN = /^(0|[1-9]\d{0,25})$/;
const monoNs = z.string().regex(MONO_NS_PATTERN, 'decimal nanoseconds');
export const ADDRESS_PATTERN = /^[0-9A-Fa-f.:%\w-]+$/;
const address = z.string().min(2).max(64).regex(ADDRESS_PATTERN);
const priority = z.number().int().min(0).max(255);
const vrid = z.number().int().min(1).max(255);
const name = z.string().min(1).max(200);
/** W3C trace-context `traceparent` (version 00). */
export const TRACEPARENT_PATTERN = /^00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/;
const traceparent = z.string().regex(TRACEPARENT_PATTERN);

/** Hex bytes, at most 1 KiB (an anomaly's sample). */
export const SAMPLE_PATTERN = /^([0-9a-f]{2}){0,1024}$/;

/** Fields every event carries. `id` is `<nodeId>.<bootId>.<seq>` and must agree with them. */
export const envelopeSchema = z.object({
  id: z.string().min(5).max(400),
  schema: z.literal(SCHEMA_VERSION),
  nodeId,
  bootId,
  seq,
  at: wallClock,
  mono: monoNs,
  traceparent: traceparent.optional(),
});

/** Which VRRP instance an event is about, and the LAN ("domain") that makes its VRID unique. */
export const instanceScopeSchema = z.object({
  instance: name,
  vrid,
  family: z.enum(FAMILIES),
  interface: name,
  domain: name,
});

export const transitionEventSchema = envelopeSchema.extend({
  ...instanceScopeSchema.shape,
  kind: z.literal('transition'),
  from: z.enum(VRRP_STATES),
  to: z.enum(VRRP_STATES),
  reason: z.enum(TRANSITION_REASONS),
  basePriority: priority,
  effectivePriority: priority,
  /** The master this node saw last (null: none seen, e.g. at startup). */
  masterAddress: address.nullable(),
  /** Advertisement interval in centiseconds (v2 seconds × 100), as libs/protocol normalises it. */
  intervalCs: z.number().int().min(1).max(4095 * 100),
  /** When becoming MASTER after a failover: last advert heard from the old master → this transition. */
  failoverLatencyUs: z.number().nonnegative().optional(),
});

/**
 * Aggregated per (instance, class, source): a flood yields a few events with exact counts.
 * `instance` and `vrid` are null when the packet matched no instance (vrid-unknown) or was too short
 * to carry a VRID; `family`, `interface` and `domain` are those of the receiving interface.
 */
export const anomalyEventSchema = envelopeSchema.extend({
  ...instanceScopeSchema.shape,
  instance: name.nullable(),
  vrid: vrid.nullable(),
  kind: z.literal('anomaly'),
  class: z.enum(ANOMALY_CLASSES),
  /** Packets of this class from this source since the previous report (≥1; never reset without a report). */
  count: z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
  firstSeen: wallClock,
  lastSeen: wallClock,
  source: address,
  /** Hex of the VRRP payload of one offending packet, auth data zeroed, at most 1 KiB. */
  sample: z.string().regex(SAMPLE_PATTERN),
});

export const heartbeatInstanceSchema = instanceScopeSchema.extend({
  state: z.enum(VRRP_STATES),
  basePriority: priority,
  effectivePriority: priority,
  /** The VIPs of this instance that the kernel reports installed (read back, not as intended). */
  installedVips: z.array(address).max(1024),
  /** The VIPs the configuration says this instance should hold in its current state. */
  intendedVips: z.array(address).max(1024),
  advertsSent: z.number().int().nonnegative(),
  advertsReceived: z.number().int().nonnegative(),
  becameMaster: z.number().int().nonnegative(),
  releasedMaster: z.number().int().nonnegative(),
});

export const heartbeatEventSchema = envelopeSchema.extend({
  kind: z.literal('heartbeat'),
  /** Milliseconds until the next heartbeat: lets the auditor declare a node lost without guessing. */
  periodMs: z.number().int().positive(),
  instances: z.array(heartbeatInstanceSchema).max(1024),
});

/** One contiguous run of lost events of one boot: seqs fromSeq..toSeq inclusive. */
export const lostRangeSchema = z.object({ bootId, fromSeq: seq, toSeq: seq });

export const gapEventSchema = envelopeSchema.extend({
  kind: z.literal('gap'),
  cause: z.enum(GAP_CAUSES),
  /** Exactly how many events were lost (the sum of the ranges, when ranges are known). */
  lost: z.number().int().positive(),
  /** Of those, how many of each kind (sums to `lost`; `unknown` for records too damaged to tell). */
  lostByKind: z.object({
    transition: z.number().int().nonnegative(),
    anomaly: z.number().int().nonnegative(),
    heartbeat: z.number().int().nonnegative(),
    gap: z.number().int().nonnegative(),
    unknown: z.number().int().nonnegative(),
  }),
  /** The lost seqs, per boot (may span older boots replayed from the outbox). */
  ranges: z.array(lostRangeSchema).max(10_000),
  detail: z.string().max(500).optional(),
});

export const eventSchema = z.discriminatedUnion('kind', [
  transitionEventSchema,
  anomalyEventSchema,
  heartbeatEventSchema,
  gapEventSchema,
]);

export type Envelope = z.infer<typeof envelopeSchema>;
export type InstanceScope = z.infer<typeof instanceScopeSchema>;
export type TransitionEvent = z.infer<typeof transitionEventSchema>;
export type AnomalyEvent = z.infer<typeof anomalyEventSchema>;
export type HeartbeatInstance = z.infer<typeof heartbeatInstanceSchema>;
export type HeartbeatEvent = z.infer<typeof heartbeatEventSchema>;
export type LostRange = z.infer<typeof lostRangeSchema>;
export type GapEvent = z.infer<typeof gapEventSchema>;
export type HsEvent = z.infer<typeof eventSchema>;

/**
 * auditor → notifier. `id` names the incident (raised and resolved share it); the JetStream msgID is
 * alertMessageId(alert), so a raised and its resolve are two messages, each de-duplicated.
 */
export const alertSchema = z.object({
  schema: z.literal(SCHEMA_VERSION),
  id: z.string().min(1).max(400),
  kind: z.enum(ALERT_KINDS),
  state: z.enum(ALERT_STATES),
  domain: name,
  /** null for alerts about a node rather than a router (node-lost, event-gap). */
  vrid: vrid.nullable(),
  nodes: z.array(nodeId).max(256),
  /** Ids of the events that prove it. */
  evidence: z.array(z.string().min(5).max(400)).max(1000),
  firstSeen: wallClock,
  at: wallClock,
  summary: z.string().max(2000).optional(),
  /** The auditor's detect span (W3C trace context): the notifier's delivery continues it. */
  traceparent: traceparent.optional(),
});
export type Alert = z.infer<typeof alertSchema>;

/** What a producer supplies; the outbox fills in identity (id, schema, nodeId, bootId, seq). */
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
export type EventDraft = DistributiveOmit<HsEvent, 'id' | 'schema' | 'nodeId' | 'bootId' | 'seq' | 'at' | 'mono'> & {
  /** Defaults to the outbox clock at append time. */
  at?: string;
  mono?: string;
};
