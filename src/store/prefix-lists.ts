/** Prefix list rows and their entries, and the security groups whose rules reference them (associations). */
import type { Kysely, Selectable, Transaction } from 'kysely';
import type { Database, PrefixListTable } from './schema.js';
import { rulePrefixList, type PrefixListEntry } from '../domain/prefix-lists.js';
import type { RuleSpec } from '../domain/security-rules/model.js';

type Q = Kysely<Database> | Transaction<Database>;
export type PrefixListRow = Selectable<PrefixListTable>;

export interface PrefixListFilter {
  accountId: string;
  regionId: string;
  ids?: string[];
  name?: string;
  addressFamily?: string;
}

/** A list of the account in the region, or undefined. */
export async function findPrefixList(db: Q, accountId: string, regionId: string, id: string): Promise<PrefixListRow | undefined> {
  return db.selectFrom('prefix_lists').selectAll()
    .where('id', '=', id).where('account_id', '=', accountId).where('region_id', '=', regionId).executeTakeFirst();
}

/** The account's lists matching every given filter, oldest first. */
export async function listPrefixLists(db: Q, f: PrefixListFilter): Promise<PrefixListRow[]> {
  let q = db.selectFrom('prefix_lists').selectAll().where('account_id', '=', f.accountId).where('region_id', '=', f.regionId);
  if (f.ids) q = q.where('id', 'in', f.ids.length ? f.ids : ['']);
  if (f.name !== undefined) q = q.where('name', '=', f.name);
  if (f.addressFamily !== undefined) q = q.where('address_family', '=', f.addressFamily);
  return q.orderBy('created_at').orderBy('id').execute();
}

export async function countPrefixLists(db: Q, accountId: string, regionId: string): Promise<number> {
  const row = await db.selectFrom('prefix_lists').select((eb) => eb.fn.countAll<string | number>().as('n'))
    .where('account_id', '=', accountId).where('region_id', '=', regionId).executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** The entries of each list, in the order they were added. */
export async function entriesOfLists(db: Q, ids: string[]): Promise<Map<string, PrefixListEntry[]>> {
  const out = new Map<string, PrefixListEntry[]>(ids.map((id) => [id, []]));
  if (ids.length === 0) return out;
  const rows = await db.selectFrom('prefix_list_entries').selectAll().where('prefix_list_id', 'in', [...new Set(ids)])
    .orderBy('prefix_list_id').orderBy('position').execute();
  for (const r of rows) out.get(r.prefix_list_id)?.push({ cidr: r.cidr, description: r.description });
  return out;
}

/** Lists by id within one account and region (the lists a group's rules may reference). */
export async function prefixListsByIds(db: Q, accountId: string, regionId: string, ids: string[]): Promise<PrefixListRow[]> {
  const wanted = [...new Set(ids.filter(Boolean))];
  if (wanted.length === 0) return [];
  return db.selectFrom('prefix_lists').selectAll()
    .where('account_id', '=', accountId).where('region_id', '=', regionId).where('id', 'in', wanted).execute();
}

export async function insertPrefixList(trx: Q, row: PrefixListRow, entries: PrefixListEntry[]): Promise<void> {
  await trx.insertInto('prefix_lists').values(row).execute();
  await writeEntries(trx, row.id, entries);
}

async function writeEntries(trx: Q, id: string, entries: PrefixListEntry[]): Promise<void> {
  if (entries.length === 0) return;
  await trx.insertInto('prefix_list_entries')
    .values(entries.map((e, i) => ({ prefix_list_id: id, cidr: e.cidr, description: e.description, position: i + 1 }))).execute();
}

/** The list's entries become `entries` (ModifyPrefixList; at most 200 rows, rewritten whole). */
export async function replaceEntries(trx: Q, id: string, entries: PrefixListEntry[]): Promise<void> {
  await trx.deleteFrom('prefix_list_entries').where('prefix_list_id', '=', id).execute();
  await writeEntries(trx, id, entries);
}

export async function updatePrefixList(trx: Q, id: string, set: { name?: string; description?: string }): Promise<void> {
  if (set.name === undefined && set.description === undefined) return;
  await trx.updateTable('prefix_lists').set(set).where('id', '=', id).execute();
}

export async function deletePrefixList(trx: Q, id: string): Promise<void> {
  await trx.deleteFrom('prefix_list_entries').where('prefix_list_id', '=', id).execute();
  await trx.deleteFrom('prefix_lists').where('id', '=', id).execute();
}

/** The security groups whose rules reference each list (its associated resources), in id order. */
export async function associatedGroups(db: Q, ids: string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>(ids.map((id) => [id, []]));
  if (ids.length === 0) return out;
  const rows = await db.selectFrom('security_group_rules').select(['security_group_id', 'source_prefix_list_id', 'dest_prefix_list_id'])
    .where((eb) => eb.or([eb('source_prefix_list_id', 'in', ids), eb('dest_prefix_list_id', 'in', ids)]))
    .orderBy('security_group_id').execute();
  for (const r of rows) {
    for (const list of new Set([r.source_prefix_list_id, r.dest_prefix_list_id])) {
      const groups = out.get(list);
      if (groups && !groups.includes(r.security_group_id)) groups.push(r.security_group_id);
    }
  }
  return out;
}

/** Names of lists by id (DescribeSecurityGroupAttribute's SourcePrefixListName / DestPrefixListName). */
export async function prefixListNames(db: Q, ids: string[]): Promise<Map<string, string>> {
  const wanted = [...new Set(ids.filter(Boolean))];
  if (wanted.length === 0) return new Map();
  const rows = await db.selectFrom('prefix_lists').select(['id', 'name']).where('id', 'in', wanted).execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** MaxEntries of lists by id: what a rule referencing one costs its group's rule quota. */
export async function prefixListCapacities(db: Q, ids: string[]): Promise<Map<string, number>> {
  const wanted = [...new Set(ids.filter(Boolean))];
  if (wanted.length === 0) return new Map();
  const rows = await db.selectFrom('prefix_lists').select(['id', 'max_entries']).where('id', 'in', wanted).execute();
  return new Map(rows.map((r) => [r.id, Number(r.max_entries)]));
}

/** The rules with the current CIDR blocks of the prefix list each references (the rule engine's and the wire's input). */
export async function withPrefixListEntries<T extends RuleSpec>(db: Q, rules: T[]): Promise<(T & { prefixListCidrs?: string[] })[]> {
  const ids = [...new Set(rules.map(rulePrefixList).filter(Boolean))];
  if (ids.length === 0) return rules;
  const entries = await entriesOfLists(db, ids);
  return rules.map((r) => {
    const list = rulePrefixList(r);
    return list ? { ...r, prefixListCidrs: (entries.get(list) ?? []).map((e) => e.cidr) } : r;
  });
}
