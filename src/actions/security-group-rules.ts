import type { HandlerMap } from './types.js';

export const securityGroupRulesActions: HandlerMap = {};
