/**
 * Instance system events: their types and lifecycle statuses with the numeric codes ECS answers
 * beside each name, and the lifecycle a simulated event goes through on the clock
 * (CreateSimulatedSystemEvents: Scheduled → Executing → Executed at NotBefore; a failure event is
 * created Executing and is Executed at NotBefore; Canceled by CancelSimulatedSystemEvents; a
 * SystemMaintenance.Reboot event Avoided by rebooting the instance before NotBefore).
 *
 * Codes: the metadata's and the reference's examples give SystemMaintenance.Reboot 1,
 * InstanceExpiration.Stop 34, SystemFailure.Reboot 65; Executed 0, Avoided 8, Scheduled 24;
 * health Ok 0, Warning 64, Impaired 128; instance Running 1; disk Available 129. ECS publishes
 * no table for the others: they are OpenECS's own, distinct and stable.
 */

export const EVENT_TYPE_CODES: Readonly<Record<string, number>> = {
  'SystemMaintenance.Reboot': 1,
  'SystemMaintenance.Redeploy': 2,
  'SystemMaintenance.Stop': 3,
  'InstanceExpiration.Stop': 34,
  'InstanceExpiration.Delete': 35,
  'AccountUnbalanced.Stop': 48,
  'AccountUnbalanced.Delete': 49,
  'SystemFailure.Reboot': 65,
  'SystemFailure.Redeploy': 66,
  'SystemFailure.Stop': 67,
  'SystemFailure.Delete': 68,
  'InstanceFailure.Reboot': 81,
};

export type CycleStatus = 'Scheduled' | 'Executing' | 'Executed' | 'Avoided' | 'Canceled' | 'Failed' | 'Inquiring';

export const CYCLE_STATUS_CODES: Readonly<Record<CycleStatus, number>> = {
  Executed: 0, Avoided: 8, Executing: 16, Scheduled: 24, Canceled: 32, Failed: 40, Inquiring: 48,
};

/** Still under way: listed by DescribeInstancesFullStatus (Scheduled, Inquiring) and the metadata service. */
export const ACTIVE_STATUSES: readonly CycleStatus[] = ['Scheduled', 'Executing', 'Inquiring'];
/** What DescribeInstanceHistoryEvents lists when no status is asked for. */
export const FINISHED_STATUSES: readonly CycleStatus[] = ['Avoided', 'Executed', 'Canceled', 'Failed'];

export const isCycleStatus = (s: string): s is CycleStatus => s in CYCLE_STATUS_CODES;
export const isInstanceEventType = (s: string): boolean => s in EVENT_TYPE_CODES;

/** The types CreateSimulatedSystemEvents takes (its metadata's list). */
export const SIMULATABLE_TYPES: readonly string[] = [
  'SystemMaintenance.Reboot', 'SystemMaintenance.Stop', 'SystemMaintenance.Redeploy',
  'SystemFailure.Reboot', 'SystemFailure.Redeploy', 'SystemFailure.Stop', 'InstanceFailure.Reboot',
];

/** An unexpected failure is already under way when published; maintenance is announced ahead. */
export const startsExecuting = (type: string): boolean => type.startsWith('SystemFailure.') || type.startsWith('InstanceFailure.');

/** How long a scheduled simulated event stays Executing (the reference's example: 3 minutes). */
export const SIMULATED_EXECUTION_MS = 3 * 60_000;
/** Active simulated events an instance may hold at once. */
export const MAX_ACTIVE_SIMULATED_PER_INSTANCE = 10;
/** DescribeInstanceHistoryEvents shows finished events of the last 30 days. */
export const HISTORY_WINDOW_MS = 30 * 86_400_000;

export interface EventTimes { status: 'Scheduled' | 'Executing'; notBefore: number; executeEnd: number; nextAt: number | null }

/** The status and times of a simulated event created at `now` for `notBefore`. */
export function simulatedStart(type: string, notBefore: number): EventTimes {
  if (startsExecuting(type)) return { status: 'Executing', notBefore, executeEnd: notBefore, nextAt: notBefore };
  const executeEnd = notBefore + SIMULATED_EXECUTION_MS;
  return { status: 'Scheduled', notBefore, executeEnd, nextAt: notBefore };
}

export interface EventState { status: CycleStatus; notBefore: number; executeEnd: number }

/** The status an event has reached at `now` from `e`, and when it changes next (null: finished). */
export function advance(e: EventState, now: number): { status: CycleStatus; nextAt: number | null; finishedAt?: number } {
  let status = e.status;
  if (status === 'Scheduled' && now >= e.notBefore) status = 'Executing';
  if (status === 'Executing' && now >= e.executeEnd) return { status: 'Executed', nextAt: null, finishedAt: e.executeEnd };
  if (status === 'Scheduled') return { status, nextAt: e.notBefore };
  if (status === 'Executing') return { status, nextAt: e.executeEnd };
  return { status, nextAt: null };
}

/** CancelSimulatedSystemEvents cancels events still under way. */
export const cancellable = (s: string): boolean => s === 'Scheduled' || s === 'Executing';

export type HealthStatus = 'Ok' | 'Warning' | 'Maintaining' | 'Impaired' | 'Initializing' | 'InsufficientData' | 'NotApplicable';

export const HEALTH_STATUS_CODES: Readonly<Record<HealthStatus, number>> = {
  Ok: 0, Initializing: 1, InsufficientData: 2, NotApplicable: 3, Maintaining: 32, Warning: 64, Impaired: 128,
};

/**
 * An instance's health: not applicable unless it runs (or starts), warned while an event is
 * scheduled or asks for consent, in maintenance while one executes.
 */
export function instanceHealth(instanceStatus: string, activeEventStatuses: readonly string[]): HealthStatus {
  if (instanceStatus === 'Starting' || instanceStatus === 'Pending') return 'Initializing';
  if (instanceStatus !== 'Running') return 'NotApplicable';
  if (activeEventStatuses.includes('Executing')) return 'Maintaining';
  if (activeEventStatuses.some((s) => s === 'Scheduled' || s === 'Inquiring')) return 'Warning';
  return 'Ok';
}

/** DescribeInstancesFullStatus' `Status` filter values and codes. */
export const INSTANCE_STATUS_CODES: Readonly<Record<string, number>> = {
  Pending: 0, Running: 1, Starting: 2, Stopping: 3, Stopped: 4,
};

/** DescribeDisksFullStatus' disk status codes. */
export const DISK_STATUS_CODES: Readonly<Record<string, number>> = {
  In_use: 128, Available: 129, Attaching: 130, Detaching: 131, Creating: 132, ReIniting: 133,
};

/** A disk's health: no disk events are raised here, so a usable disk is Ok. */
export function diskHealth(diskStatus: string): HealthStatus {
  if (diskStatus === 'Creating' || diskStatus === 'ReIniting') return 'Initializing';
  return diskStatus === 'In_use' || diskStatus === 'Available' ? 'Ok' : 'NotApplicable';
}

export const DISK_HEALTH_FILTER: readonly string[] = ['Impaired', 'Warning', 'Initializing', 'InsufficientData', 'NotApplicable'];
export const DISK_EVENT_TYPES: readonly string[] = ['Degraded', 'SeverelyDegraded', 'Stalled', 'ErrorDetected'];
