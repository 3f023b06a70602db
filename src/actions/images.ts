import type { HandlerMap } from './types.js';

export const imagesActions: HandlerMap = {};
