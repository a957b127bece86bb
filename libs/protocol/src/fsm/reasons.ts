// Why a transition happened. Standard vocabulary where one exists: RFC 6527 (VRRPv3 MIB,
// vrrpv3StatisticsNewMasterReason: priority, preempted, masterNoResponse) and RFC 8347 (VRRP YANG,
// new-master-reason: priority, preempted, no-response), spelled in kebab case; plus keepalived's.
export type TransitionReason =
  /** Became MASTER as the address owner (priority 255) at startup: "Priority was higher". */
  | 'priority'
  /** A BACKUP ignored a lower-priority master's adverts (preempt) and took over when they timed out. */
  | 'preempted'
  /** The master's adverts stopped for Master_Down_Interval. */
  | 'master-no-response'
  /** The master resigned (priority-0 advert); we took over after Skew_Time. */
  | 'priority-zero-received'
  /** A MASTER heard a higher priority (or equal priority, higher address) and became BACKUP. */
  | 'higher-priority-received'
  /** keepalived MASTER_RX_LOWER_PRI: a MASTER heard a lower-priority MASTER (a self-transition). */
  | 'lower-priority-received'
  | 'startup'
  | 'shutdown'
  | 'fault'
  | 'fault-cleared';
