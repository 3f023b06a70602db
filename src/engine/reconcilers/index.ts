/** Every reconciler and timer the engine runs. */
import type { Engine } from '../engine.js';

export function registerReconcilers(engine: Engine): void {
  void engine;
}
