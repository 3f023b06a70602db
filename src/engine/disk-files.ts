/** Disk bytes follow the store: a driver with disk files removes those of disks the store no longer has. */
import type { ComputeDriver } from '../compute/driver.js';
import type { Db } from '../store/db.js';
import { allDiskIds } from '../store/storage.js';

export async function collectDiskFiles(db: Db, driver: ComputeDriver): Promise<void> {
  if (!driver.collectDisks) return;
  // Files written after the ids were read may belong to disks created meanwhile: they are left alone.
  const asOf = Date.now();
  await driver.collectDisks(await allDiskIds(db), asOf);
}
