import type { HandlerMap } from './types.js';

export const vpcActions: HandlerMap = {};
