/**
 * Driver faults: a compute driver that consults the fault rules before the steps users rehearse
 * failing, and otherwise is the driver it wraps. A failed step throws as a real driver would; the
 * engine retries with backoff and gives up to the documented settled state (engine/give-up.ts),
 * and the operation's error names the rule. A host event makes a running guest die (the instance
 * reconciler then starts it again, as ECS does after a host failure).
 */
import type { ComputeDriver, GuestDisk, GuestSpec, PowerState } from '../compute/driver.js';
import type { Db } from '../store/db.js';
import { activeRules, sleep, take, type DriverStep } from './rules.js';

const WHAT: Record<DriverStep, string> = {
  InstanceStart: 'the guest did not boot',
  DiskAttach: 'the disk could not be attached',
  SnapshotCreate: 'the snapshot could not be copied',
  HostEvent: 'the host failed and the guest stopped',
};

export class DriverFault extends Error {
  constructor(readonly ruleId: string, step: DriverStep, resource: string, message: string) {
    super(`fault rule ${ruleId} (${step}${resource ? ` ${resource}` : ''}): ${message || WHAT[step]} (injected)`);
    this.name = 'DriverFault';
  }
}

/** The first rule for `step` on any of `resources` that fires now, after its latency. */
async function fire(db: Db, step: DriverStep, resources: string[]) {
  for (const rule of await activeRules(db)) {
    if (rule.target !== step) continue;
    if (rule.resource_id && !resources.includes(rule.resource_id)) continue;
    if (!(await take(db, rule))) continue;
    if (rule.latency_ms > 0) await sleep(rule.latency_ms);
    return rule;
  }
  return undefined;
}

async function failIf(db: Db, step: DriverStep, resources: string[]) {
  const rule = await fire(db, step, resources);
  // A latency-only rule slows the step down without failing it.
  if (rule && (rule.error_code || rule.latency_ms === 0)) throw new DriverFault(rule.id, step, resources[0] ?? '', rule.error_message);
}

/**
 * Wraps `inner`. Optional hooks stay absent when the inner driver lacks them (the engine reads
 * their absence: no READY marker, no bytes of its own), except attachDisk and snapshotDisk, which
 * do nothing for such a driver and so give their faults a step to fail.
 */
export function withFaults(inner: ComputeDriver, db: Db): ComputeDriver {
  const own: Partial<ComputeDriver> = {
    async start(spec: GuestSpec) {
      await failIf(db, 'InstanceStart', [spec.instanceId]);
      return inner.start(spec);
    },
    async powerState(instanceId: string): Promise<PowerState> {
      const state = await inner.powerState(instanceId);
      if (state !== 'running') return state;
      const rule = await fire(db, 'HostEvent', [instanceId]);
      if (!rule) return state;
      console.error(`[openecs] fault rule ${rule.id}: host event, the guest of ${instanceId} is stopped (injected)`);
      await inner.stop(instanceId, true);
      return inner.powerState(instanceId);
    },
    async attachDisk(instanceId: string, disk: GuestDisk) {
      await failIf(db, 'DiskAttach', [disk.diskId, instanceId]);
      await inner.attachDisk?.(instanceId, disk);
    },
    async snapshotDisk(diskId: string, snapshotId: string) {
      await failIf(db, 'SnapshotCreate', [snapshotId, diskId]);
      await inner.snapshotDisk?.(diskId, snapshotId);
    },
  };
  // Everything else is the inner driver's, called on it (its methods keep their own `this`).
  return new Proxy(inner, {
    get(target, prop, receiver) {
      if (Object.prototype.hasOwnProperty.call(own, prop)) return own[prop as keyof ComputeDriver];
      const v = Reflect.get(target, prop, target);
      return typeof v === 'function' ? v.bind(target) : v;
    },
  });
}
