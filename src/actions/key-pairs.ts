import type { HandlerMap } from './types.js';

export const keyPairsActions: HandlerMap = {};
