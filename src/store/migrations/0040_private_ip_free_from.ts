import { sql, type Kysely } from 'kysely';
import { dialectOf } from '../dialect.js';

/**
 * `vswitches.private_ips_free_from`: every usable address of the VSwitch below it is taken (null:
 * not known), so RunInstances looks for the lowest free addresses from there instead of reading
 * every address the VSwitch has handed out (src/store/network.ts allocatePrivateIps): the cost of
 * a call does not grow with the VSwitch's fill. Taking an address never breaks that; freeing one
 * (or moving one, which no statement does today) may, so the store itself forgets the mark on
 * any DELETE or UPDATE of `private_ips`, by whatever statement and process, and the next
 * allocation reads the VSwitch in full once and sets it again.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('vswitches').addColumn('private_ips_free_from', 'bigint').execute();
  if (dialectOf(db) === 'postgres') {
    await sql`create function openecs_forget_private_ips_free_from() returns trigger language plpgsql as $$
      begin update vswitches set private_ips_free_from = null where id = old.vswitch_id and private_ips_free_from is not null; return null; end $$`.execute(db);
    await sql`create trigger private_ips_freed after delete or update on private_ips for each row execute function openecs_forget_private_ips_free_from()`.execute(db);
  } else {
    for (const event of ['delete', 'update']) {
      await sql`create trigger ${sql.raw(`private_ips_${event}d`)} after ${sql.raw(event)} on private_ips for each row
        begin update vswitches set private_ips_free_from = null where id = old.vswitch_id and private_ips_free_from is not null; end`.execute(db);
    }
  }
}
