/** The instance family: creation, power, describe, modify. */
import { instanceCreateActions } from './instance-create.js';
import { instanceDescribeActions } from './instance-describe.js';
import { instanceModifyActions } from './instance-modify.js';
import { instancePowerActions } from './instance-power.js';
import type { HandlerMap } from './types.js';

export const instancesActions: HandlerMap = {
  ...instanceCreateActions,
  ...instancePowerActions,
  ...instanceDescribeActions,
  ...instanceModifyActions,
};
