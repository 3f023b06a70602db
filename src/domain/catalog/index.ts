/** The catalog: regions and zones, instance types, system images, disk categories, zone offers. */
export * from './regions.js';
export * from './instance-types.js';
export * from './images.js';
export * from './disk-categories.js';
export * from './offers.js';
