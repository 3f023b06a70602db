/** Every reconciler and timer the engine runs. */
import type { Engine } from '../engine.js';
import { GIVE_UPS } from '../give-up.js';
import { releaseDueInstances } from './auto-release.js';
import { advanceSystemEvents, pruneSystemEvents } from '../system-events.js';
import { runSubscriptionLifecycle } from './subscriptions.js';
import { runArrears } from '../arrears.js';
import { reconcileInstance } from './instance.js';
import { reconcileDisk } from './disk.js';
import { NETWORK_INTERFACE, reconcileNetworkInterface } from './network-interface.js';
import { reconcileDiskContent } from './disk-content.js';
import { EIP, reconcileEip } from './eip.js';
import { DISK_CONTENT } from '../disk-files.js';
import { reconcileSnapshot, runSnapshotSchedules } from './snapshot.js';
import { reconcileImage } from './image.js';
import { reconcileTask } from './task.js';
import { reconcileSecurityPolicy } from '../../network/enforcer.js';
import { SECURITY_POLICY } from '../security-policy.js';

export function registerReconcilers(engine: Engine): void {
  engine.register('instance', reconcileInstance);
  engine.addTimer(releaseDueInstances);
  engine.addTimer(runSubscriptionLifecycle);
  engine.addTimer(runArrears);
  engine.register('disk', reconcileDisk);
  engine.register(NETWORK_INTERFACE, reconcileNetworkInterface);
  engine.register(DISK_CONTENT, reconcileDiskContent);
  engine.register(EIP, reconcileEip);
  engine.register('snapshot', reconcileSnapshot);
  engine.register('image', reconcileImage);
  engine.register('task', reconcileTask);
  engine.addTimer(runSnapshotSchedules);
  engine.addTimer(advanceSystemEvents);
  engine.addTimer(pruneSystemEvents);
  engine.register(SECURITY_POLICY, reconcileSecurityPolicy);
  // After many failures, the resource settles instead of staying transitional (give-up.ts).
  for (const [kind, giveUp] of Object.entries(GIVE_UPS)) engine.setGiveUp(kind, giveUp);
}
