import type { HandlerMap } from './types.js';

export const securityGroupsActions: HandlerMap = {};
