// What a detector returns: the problems that hold right now. detect/reconcile.ts turns the difference
// between these and the open alerts into raise/resolve decisions.
import type { AlertKind } from '@hotstandby/events';
import type { Micros } from '../time/micros.js';

export interface Condition {
  /** Identifies the thing that is wrong (one open alert per key), e.g. `split-brain|51|10.10.10.0/24`. */
  key: string;
  kind: AlertKind;
  domain: string;
  vrid: number | null;
  nodes: string[];
  evidence: string[];
  /** When the problem began (not when it was detected). */
  since: Micros;
  summary: string;
}
