// @hotstandby/events: the bus contract. Event and alert schemas with their types, ids, subjects,
// stream definitions. Knows no NATS connection and no database (DESIGN.md "The parts").
export { SCHEMA_VERSION } from './schema-version.js';
export {
  ALERT_KINDS,
  ALERT_STATES,
  ANOMALY_CLASSES,
  EVENT_KINDS,
  FAMILIES,
  GAP_CAUSES,
  TRANSITION_REASONS,
  VRRP_STATES,
} from './vocabulary.js';
export type { AlertKind, AlertState, AnomalyClass, EventFamily, EventKind, EventVrrpState, GapCause, TransitionReason } from './vocabulary.js';
export {
  alertSchema,
  anomalyEventSchema,
  envelopeSchema,
  eventSchema,
  gapEventSchema,
  heartbeatEventSchema,
  heartbeatInstanceSchema,
  instanceScopeSchema,
  lostRangeSchema,
  transitionEventSchema,
} from './schemas.js';
export type {
  Alert,
  AnomalyEvent,
  Envelope,
  EventDraft,
  GapEvent,
  HeartbeatEvent,
  HeartbeatInstance,
  HsEvent,
  InstanceScope,
  LostRange,
  TransitionEvent,
} from './schemas.js';
export { alertMessageId, findSecretKey, parseAlert, parseEvent, parseEventJson, parseEventMessage } from './parse.js';
export { acceptEvent } from './accept-event.js';
export type { ParseResult } from './parse.js';
export { BOOT_ID_PATTERN, makeBootId, makeEventId, parseEventId } from './event-id.js';
export type { EventIdParts } from './event-id.js';
export { makeNodeId, NODE_ID_PATTERN, parseNodeId } from './node-id.js';
export { domainFromClusterName, domainFromPrefix } from './domain.js';
export type { DomainResult } from './domain.js';
export { decodeSubjectToken, encodeSubjectToken } from './subject-token.js';
export type { TokenDecodeResult } from './subject-token.js';
export {
  ALERT_SUBJECT_PREFIX,
  alertSubject,
  EVENT_SUBJECT_PREFIX,
  eventSubject,
  nodeEventSubjects,
  parseAlertSubject,
  parseEventSubject,
} from './subjects.js';
export type { SubjectParse } from './subjects.js';
export { ALERTS_STREAM, EVENTS_STREAM } from './streams.js';
export type { StreamDefinition } from './streams.js';
export { formatWallClockMicros, parseWallClockMicros, WALL_CLOCK_PATTERN } from './wall-clock.js';
export { redactAnomalySample } from './sample.js';
