/**
 * The simulated driver: no host requirements, realistic timing. A power change is observed only
 * after `transitionMs`, counted by the engine from the persisted status change, so timing
 * survives a restart.
 */
import type { ComputeDriver, GuestSpec, PowerState } from './driver.js';

export class SimDriver implements ComputeDriver {
  readonly name = 'sim';
  readonly clockTimed = true;
  private guests = new Map<string, PowerState>();

  constructor(readonly transitionMs: number) {}

  async ensureCreated(spec: GuestSpec) {
    if (!this.guests.has(spec.instanceId)) this.guests.set(spec.instanceId, 'stopped');
  }
  async start(spec: GuestSpec) {
    this.guests.set(spec.instanceId, 'running');
  }
  async stop(instanceId: string) {
    if (this.guests.has(instanceId)) this.guests.set(instanceId, 'stopped');
  }
  async destroy(instanceId: string) {
    this.guests.delete(instanceId);
  }
  async powerState(instanceId: string): Promise<PowerState> {
    return this.guests.get(instanceId) ?? 'absent';
  }
  async list() {
    return [...this.guests.keys()];
  }
  async close() {}
}
