/**
 * The system event names the Events page offers: the instance event types ECS documents
 * (DescribeInstanceHistoryEvents' InstanceEventType), those a drill can raise
 * (CreateSimulatedSystemEvents' EventType) and the lifecycle statuses with their colours. The
 * server checks the same lists (src/domain/system-events.ts; test/unit/console-lists.test.ts
 * keeps the two equal).
 */
export const EVENT_TYPES = [
  'SystemMaintenance.Reboot', 'SystemMaintenance.Redeploy', 'SystemMaintenance.Stop', 'InstanceExpiration.Stop', 'InstanceExpiration.Delete',
  'AccountUnbalanced.Stop', 'AccountUnbalanced.Delete', 'SystemFailure.Reboot', 'SystemFailure.Redeploy', 'SystemFailure.Stop',
  'SystemFailure.Delete', 'InstanceFailure.Reboot',
];

export const SIMULATABLE_TYPES = [
  'SystemMaintenance.Reboot', 'SystemMaintenance.Stop', 'SystemMaintenance.Redeploy',
  'SystemFailure.Reboot', 'SystemFailure.Redeploy', 'SystemFailure.Stop', 'InstanceFailure.Reboot',
];

export const STATUS_COLORS: Record<string, string> = {
  Scheduled: 'blue', Executing: 'orange', Inquiring: 'purple', Executed: 'green', Avoided: 'cyan', Canceled: 'default', Failed: 'red',
};
export const EVENT_STATUSES = Object.keys(STATUS_COLORS);
/** What CancelSimulatedSystemEvents takes back. */
export const CANCELLABLE_STATUSES = ['Scheduled', 'Executing'];
