/** Every reconciler and timer the engine runs. */
import type { Engine } from '../engine.js';
import { releaseDueInstances } from './auto-release.js';
import { reconcileInstance } from './instance.js';
import { reconcileDisk } from './disk.js';
import { reconcileSnapshot, runSnapshotSchedules } from './snapshot.js';
import { reconcileImage } from './image.js';
import { reconcileTask } from './task.js';
import { enforceSecurityGroups } from '../../network/enforcer.js';

export function registerReconcilers(engine: Engine): void {
  engine.register('instance', reconcileInstance);
  engine.addTimer(releaseDueInstances);
  engine.register('disk', reconcileDisk);
  engine.register('snapshot', reconcileSnapshot);
  engine.register('image', reconcileImage);
  engine.register('task', reconcileTask);
  engine.addTimer(runSnapshotSchedules);
  engine.addTimer(enforceSecurityGroups);
}
