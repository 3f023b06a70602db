/**
 * The simulated driver: no host requirements, realistic timing. A power change is observed only
 * after `transitionMs`, counted by the engine from the persisted status change, so timing
 * survives a restart.
 */
import type { ComputeDriver, GuestNic, GuestSpec, PowerState } from './driver.js';

export class SimDriver implements ComputeDriver {
  readonly name = 'sim';
  readonly clockTimed = true;
  private guests = new Map<string, PowerState>();
  /** Secondary NICs per guest, by ENI id (what a real hypervisor would hold). */
  private nics = new Map<string, Map<string, GuestNic>>();

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
    this.nics.delete(instanceId);
  }
  async attachNic(instanceId: string, nic: GuestNic) {
    if (!this.guests.has(instanceId)) throw new Error(`sim: no guest ${instanceId} to attach ${nic.eniId} to`);
    const nics = this.nics.get(instanceId) ?? new Map<string, GuestNic>();
    nics.set(nic.eniId, nic);
    this.nics.set(instanceId, nics);
  }
  async detachNic(instanceId: string, eniId: string) {
    this.nics.get(instanceId)?.delete(eniId);
    return true;
  }
  /** The guest's secondary NICs (tests). */
  nicsOf(instanceId: string): GuestNic[] {
    return [...(this.nics.get(instanceId)?.values() ?? [])];
  }
  async powerState(instanceId: string): Promise<PowerState> {
    return this.guests.get(instanceId) ?? 'absent';
  }
  async list() {
    return [...this.guests.keys()];
  }
  async close() {}
}
