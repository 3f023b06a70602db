/**
 * Outbound traffic (InternetChargeType PayByTraffic) as the meter bills it: the compute driver
 * reports, per public address, a byte counter that only grows within its epoch (the QEMU driver's
 * tally of the wire's per-address classes, src/network/eip-traffic.ts); the meter keeps the
 * counter it last billed up to (`traffic_baselines`) and bills the delta each clock hour.
 */

/** A public address's outbound bytes since its counter's epoch began. */
export interface TrafficCounter { address: string; epoch: string; bytes: number }

export interface TrafficBaseline { epoch: string; bytes: number }

export const BYTES_PER_GB = 1e9;

/**
 * The bytes not billed yet. Another epoch (a server restart) or a counter below the baseline (a
 * counter rebuilt) is a reset: the counter counts from zero again, so all of it is new — never a
 * negative charge, and nothing billed twice.
 */
export function unbilledBytes(baseline: TrafficBaseline | undefined, counter: TrafficCounter): number {
  if (!baseline || baseline.epoch !== counter.epoch || counter.bytes < baseline.bytes) return counter.bytes;
  return counter.bytes - baseline.bytes;
}
