import type { HandlerMap } from './types.js';

export const instancesActions: HandlerMap = {};
