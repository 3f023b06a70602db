/**
 * A compute driver for tests of a running guest's live settings (VNC password, metadata options
 * and tags): the sim driver's guests, plus what each running guest has of its settings, set the
 * way the qemu driver sets them (at boot from the GuestSpec; later through setVncPassword and
 * setMetadataOptions). `failNext(hook, n)` makes the next n calls of a hook throw.
 */
import { SimDriver } from '../../src/compute/sim.js';
import type { GuestSettings, GuestSpec } from '../../src/compute/driver.js';
import type { MetadataOptions } from '../../src/domain/instances/metadata-options.js';

export type SettingsHook = 'setVncPassword' | 'setMetadataOptions';

/** What a running guest's console and metadata service have. */
export interface ModelGuest extends GuestSettings {
  options?: MetadataOptions;
  tags?: Record<string, string>;
}

export class GuestSettingsDriver extends SimDriver {
  readonly held = new Map<string, ModelGuest>();
  /** Every boot's spec, in order. */
  readonly boots: GuestSpec[] = [];
  /** Calls of each hook that reached a running guest (failed ones included). */
  readonly calls: { hook: SettingsHook; instanceId: string; failed: boolean }[] = [];
  private failures = new Map<SettingsHook, number>();

  failNext(hook: SettingsHook, n: number): void { this.failures.set(hook, n); }
  callsOf(hook: SettingsHook) { return this.calls.filter((c) => c.hook === hook); }

  override async start(spec: GuestSpec) {
    await super.start(spec);
    this.boots.push(spec);
    this.held.set(spec.instanceId, {
      vncPasswordSealed: spec.vncPasswordSealed ?? '', metadataGeneration: spec.metadataGeneration ?? 0,
      options: spec.metadataOptions, tags: spec.metadataTags,
    });
  }

  override async stop(instanceId: string) {
    await super.stop(instanceId);
    this.held.delete(instanceId);
  }

  override async destroy(instanceId: string) {
    await super.destroy(instanceId);
    this.held.delete(instanceId);
  }

  async guestSettings(instanceId: string): Promise<GuestSettings | undefined> {
    if ((await this.powerState(instanceId)) !== 'running') return undefined;
    const g = this.held.get(instanceId);
    return g && { vncPasswordSealed: g.vncPasswordSealed, metadataGeneration: g.metadataGeneration };
  }

  async setVncPassword(instanceId: string, passwordSealed: string): Promise<void> {
    const g = await this.running(instanceId, 'setVncPassword');
    if (g) g.vncPasswordSealed = passwordSealed;
  }

  async setMetadataOptions(instanceId: string, generation: number, options: MetadataOptions, tags?: Record<string, string>): Promise<void> {
    const g = await this.running(instanceId, 'setMetadataOptions');
    if (g) Object.assign(g, { metadataGeneration: generation, options, tags });
  }

  private async running(instanceId: string, hook: SettingsHook): Promise<ModelGuest | undefined> {
    const g = (await this.powerState(instanceId)) === 'running' ? this.held.get(instanceId) : undefined;
    if (!g) return undefined;
    const left = this.failures.get(hook) ?? 0;
    this.calls.push({ hook, instanceId, failed: left > 0 });
    if (left > 0) {
      this.failures.set(hook, left - 1);
      throw new Error(`${hook}: the guest did not answer (injected failure)`);
    }
    return g;
  }
}
