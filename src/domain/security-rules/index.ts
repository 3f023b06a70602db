/** Security group rules: model, validation, the evaluation engine and the console's file conveniences. */
export * from './model.js';
export * from './cidr.js';
export * from './validate.js';
export * from './evaluate.js';
export * from './transfer.js';
