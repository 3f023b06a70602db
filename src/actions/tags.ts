import type { HandlerMap } from './types.js';

export const tagsActions: HandlerMap = {};
