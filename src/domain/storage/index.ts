/** Block storage and image rules: disks, snapshots, policies' schedules, images, quotas, names. */
export * from './disks.js';
export * from './snapshots.js';
export * from './schedule.js';
export * from './images.js';
export * from './quotas.js';
export * from './names.js';
export * from './launch-disks.js';
export * from './image-files.js';
export * from './disk-content.js';
