/**
 * The instance state machine (api-protocol.md §3.1; user guide "start/stop/restart/release"):
 * which statuses each action accepts, and the status it moves the instance to at once. The
 * reconciler finishes the move (Starting → Running, Stopping → Stopped).
 */
export type InstanceStatus = 'Pending' | 'Starting' | 'Running' | 'Stopping' | 'Stopped';
export type PowerAction = 'Start' | 'Stop' | 'Reboot' | 'Delete' | 'ForceDelete' | 'Modify' | 'ModifySpec' | 'Snapshot';

interface Rule { from: InstanceStatus[]; to?: InstanceStatus }

export const TRANSITIONS: Record<PowerAction, Rule> = {
  Start: { from: ['Stopped'], to: 'Starting' },
  Stop: { from: ['Running'], to: 'Stopping' },
  // Reboot goes Stopping → Starting → Running, as the console shows it.
  Reboot: { from: ['Running'], to: 'Stopping' },
  Delete: { from: ['Stopped'] },
  // Force=true releases an instance in any state but Pending (a creation still in flight).
  ForceDelete: { from: ['Running', 'Starting', 'Stopping', 'Stopped'] },
  Modify: { from: ['Running', 'Stopped', 'Starting', 'Stopping', 'Pending'] },
  // Changing the instance type needs a stopped instance.
  ModifySpec: { from: ['Stopped'] },
  Snapshot: { from: ['Running', 'Stopped'] },
};

/** The status after the action, or undefined when the action is not allowed in `status`. */
export function allowed(action: PowerAction, status: string): boolean {
  return (TRANSITIONS[action].from as string[]).includes(status);
}

export function nextStatus(action: PowerAction, status: string): InstanceStatus | undefined {
  if (!allowed(action, status)) return undefined;
  return TRANSITIONS[action].to ?? (status as InstanceStatus);
}

/** Where a transitional status goes once the driver reports the guest there, given the desired state. */
export function settledStatus(status: string, desired: string): InstanceStatus | undefined {
  switch (status) {
    case 'Pending': return desired === 'Running' ? 'Starting' : 'Stopped';
    case 'Starting': return 'Running';
    case 'Stopping': return desired === 'Running' ? 'Starting' : 'Stopped';
    default: return undefined;
  }
}

export const TRANSITIONAL: ReadonlySet<string> = new Set(['Pending', 'Starting', 'Stopping']);
