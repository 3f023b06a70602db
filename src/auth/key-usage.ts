/**
 * Recording that an AccessKey signed a call (RAM GetAccessKeyLastUsed), cheaply: at most once a
 * minute per key and process, remembered here, and at most once a minute per key across replicas,
 * by the store's conditional write. Temporary (STS.) keys are not AccessKeys of a user and are not
 * recorded. A failed write costs the call nothing: the next minute writes again.
 */
import type { Db } from '../store/db.js';
import { recordKeyUse } from '../store/access-key-usage.js';

export const KEY_USE_EVERY_MS = 60_000;

const recent = new WeakMap<Db, Map<string, number>>();

export async function noteKeyUse(db: Db, accessKeyId: string, service: string, now: number): Promise<void> {
  if (!accessKeyId || accessKeyId.startsWith('STS.')) return;
  let seen = recent.get(db);
  if (!seen) recent.set(db, seen = new Map());
  const last = seen.get(accessKeyId);
  if (last !== undefined && now - last < KEY_USE_EVERY_MS && now >= last) return;
  if (seen.size >= 100_000) seen.clear();
  seen.set(accessKeyId, now);
  try {
    await recordKeyUse(db, accessKeyId, service, now, KEY_USE_EVERY_MS);
  } catch (e) {
    seen.delete(accessKeyId);
    console.error(`[openecs] recording the use of AccessKey ${accessKeyId} failed:`, e);
  }
}
