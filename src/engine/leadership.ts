/**
 * A named lease held by one replica at a time (table `engine_leases`): the engine's timers run
 * only on the replica holding `timers`, so two replicas never both take a policy's automatic
 * snapshot or release an instance twice. The holder renews it while it lives (at most every
 * third of the lease, so a tick costs no query for it); a replica that dies loses it when it runs
 * out, and the next replica to look takes it. Times are the database's clock (claim.ts `dbNow`).
 */
import { sql } from 'kysely';
import type { Db } from '../store/db.js';
import { dbNow } from './claim.js';

export class Leadership {
  /** Until when (this process's clock) the lease is known held, with a margin: no query needed before. */
  private heldUntil = 0;

  constructor(private db: Db, readonly name: string, readonly owner: string, readonly leaseMs: number) {}

  /** Whether this replica holds the lease now (taking or renewing it when due). */
  async held(): Promise<boolean> {
    const t = Date.now();
    if (t < this.heldUntil) return true;
    const now = dbNow(this.db);
    const until = sql<number>`${now} + ${this.leaseMs}`;
    // Take it if free, expired or already ours; otherwise leave it as it is.
    const r = await this.db.insertInto('engine_leases').values({ name: this.name, owner: this.owner, lease_until: until })
      .onConflict((oc) => oc.column('name').doUpdateSet({ owner: this.owner, lease_until: until })
        .where((eb) => eb.or([eb('engine_leases.owner', '=', this.owner), eb('engine_leases.lease_until', '<', now)])))
      .returning('owner').executeTakeFirst();
    const mine = r?.owner === this.owner;
    this.heldUntil = mine ? t + Math.floor(this.leaseMs / 3) : 0;
    return mine;
  }

  /** Gives the lease up (a clean shutdown), so another replica need not wait for it to run out. */
  async release(): Promise<void> {
    this.heldUntil = 0;
    await this.db.deleteFrom('engine_leases').where('name', '=', this.name).where('owner', '=', this.owner).execute();
  }
}
