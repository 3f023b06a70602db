/** Every reconciler and timer the engine runs. */
import type { Engine } from '../engine.js';
import { releaseDueInstances } from './auto-release.js';
import { reconcileInstance } from './instance.js';

export function registerReconcilers(engine: Engine): void {
  engine.register('instance', reconcileInstance);
  engine.addTimer(releaseDueInstances);
}
