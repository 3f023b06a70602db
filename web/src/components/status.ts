/** ECS resource states as the console shows them (api-protocol.md §3 state lists). */
export type BadgeStatus = 'success' | 'processing' | 'default' | 'error' | 'warning';

const TRANSITIONAL = new Set([
  'Pending', 'Starting', 'Stopping', 'Creating', 'Attaching', 'Detaching', 'ReIniting', 'Resizing', 'Deleting',
  'progressing', 'Waiting', 'Copying', 'Releasing', 'Associating', 'Unassociating',
]);
const GOOD = new Set(['Running', 'Available', 'In_use', 'InUse', 'accomplished', 'Normal', 'available']);
const BAD = new Set(['failed', 'CreateFailed', 'UnAvailable', 'Expired']);

/** The statuses DescribeEipAddresses filters by (the EIP page's status filter). */
export const EIP_STATUSES = ['Available', 'Associating', 'InUse', 'Unassociating', 'Releasing'] as const;

export const isTransitional = (status: string | undefined): boolean => !!status && TRANSITIONAL.has(status);

export function badgeOf(status: string): BadgeStatus {
  if (TRANSITIONAL.has(status)) return 'processing';
  if (GOOD.has(status)) return 'success';
  if (BAD.has(status)) return 'error';
  return 'default';
}
