/**
 * Keeps a running guest at its instance row's live settings: the VNC password
 * (ModifyInstanceVncPasswd, sealed in the row) and what its metadata service serves (options and
 * tags, versioned by the row's metadata generation). The driver reports what the guest has
 * (guestSettings); only what differs is pushed. A failed push throws, so the instance operation
 * is retried (and logged) until the guest has it; a guest that is not running gets both at its
 * next boot from the GuestSpec.
 */
import { storedMetadataOptions } from '../../domain/instances/metadata-options.js';
import type { Db } from '../../store/db.js';
import type { InstanceRow } from '../../store/instances.js';
import { tagsOf } from '../../store/tags.js';
import type { EngineEnv } from '../engine.js';
import { isoSecond } from '../../domain/time.js';

/** The tags the metadata service serves for the instance: undefined unless InstanceMetadataTags is enabled. */
export async function servedTags(db: Db, row: InstanceRow): Promise<Record<string, string> | undefined> {
  if (storedMetadataOptions(row).tags !== 'enabled') return undefined;
  return Object.fromEntries(((await tagsOf(db, [row.id])).get(row.id) ?? []).map((t) => [t.Key, t.Value ?? '']));
}

/** A spot instance's interruption notice as the metadata service serves it (ISO 8601 UTC); undefined: none. */
export function spotTerminationTime(row: InstanceRow): string | undefined {
  // A number while a notice runs (null otherwise; undefined in a partial row).
  return typeof row.spot_termination_at === 'number' ? isoSecond(row.spot_termination_at) : undefined;
}

export async function syncGuestSettings(env: Pick<EngineEnv, 'db' | 'driver'>, row: InstanceRow): Promise<void> {
  const { db, driver } = env;
  const applied = await driver.guestSettings?.(row.id);
  if (!applied) return;
  if (driver.setVncPassword && row.vnc_password_sealed && applied.vncPasswordSealed !== row.vnc_password_sealed) {
    await driver.setVncPassword(row.id, row.vnc_password_sealed);
  }
  const generation = Number(row.metadata_generation);
  if (driver.setMetadataOptions && applied.metadataGeneration !== generation) {
    await driver.setMetadataOptions(row.id, generation, storedMetadataOptions(row), await servedTags(db, row), spotTerminationTime(row));
  }
}
