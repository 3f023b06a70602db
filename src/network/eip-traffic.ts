/**
 * Outbound bytes per public address on the EIP wire (src/network/eip-wire.ts), for the meter
 * (InternetChargeType PayByTraffic): each mapped address's HTB class on the internet bridge counts
 * what left through it, after SNAT. The classes are rebuilt on every apply, which restarts their
 * counts, so the tally folds them in just before (`reshape`) and reports what it carries plus
 * what the classes hold now: a count that only grows for the tally's life. The tally's `epoch`
 * (one per process) tells the meter when counting began anew (a restart loses what was sent
 * since the meter's last read, never bills it twice). Folds and reads run one at a time, so a
 * read never sees counts already folded in and not yet reset.
 */
import { randomUUID } from 'node:crypto';
import type { TrafficCounter } from '../domain/billing/traffic.js';
import { eipClassBytes, type EipMapping } from './eip-wire.js';
import type { Netns } from './netns.js';

export class EipTrafficTally {
  readonly epoch = randomUUID();
  private readonly carried = new Map<string, number>();
  /** The mappings the classes on the wire were built for ([] while none are, or a rebuild failed). */
  private wired: readonly EipMapping[] = [];
  private queue: Promise<unknown> = Promise.resolve();

  private alone<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Folds the classes' counts in, then `shape` rebuilds the classes for `mappings`. */
  reshape(ns: Netns, dev: string, mappings: readonly EipMapping[], shape: () => Promise<void>): Promise<void> {
    return this.alone(async () => {
      for (const [address, bytes] of await eipClassBytes(ns, dev, this.wired)) this.carried.set(address, (this.carried.get(address) ?? 0) + bytes);
      this.wired = [];
      await shape();
      this.wired = mappings;
    });
  }

  /** Every address counted so far, with its bytes. */
  counters(ns: Netns, dev: string): Promise<TrafficCounter[]> {
    return this.alone(async () => {
      const total = new Map(this.carried);
      for (const [address, bytes] of await eipClassBytes(ns, dev, this.wired)) total.set(address, (total.get(address) ?? 0) + bytes);
      return [...total].map(([address, bytes]) => ({ address, epoch: this.epoch, bytes }));
    });
  }
}
