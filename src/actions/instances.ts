/** The instance family: creation, power, describe, modify, maintenance, attachment, RAM role, network, subscription. */
import { instanceCreateActions } from './instance-create.js';
import { instanceDescribeActions } from './instance-describe.js';
import { instanceModifyActions } from './instance-modify.js';
import { instancePowerActions } from './instance-power.js';
import { instanceMaintenanceActions } from './instance-maintenance.js';
import { instanceAttachmentActions } from './instance-attachment.js';
import { instanceRamRoleActions } from './instance-ram-role.js';
import { instanceNetworkActions } from './instance-network.js';
import { instanceSubscriptionActions } from './instance-subscription.js';
import { instanceRenewalActions } from './instance-renewal.js';
import type { HandlerMap } from './types.js';

export const instancesActions: HandlerMap = {
  ...instanceCreateActions,
  ...instancePowerActions,
  ...instanceDescribeActions,
  ...instanceModifyActions,
  ...instanceMaintenanceActions,
  ...instanceAttachmentActions,
  ...instanceRamRoleActions,
  ...instanceNetworkActions,
  ...instanceSubscriptionActions,
  ...instanceRenewalActions,
};
