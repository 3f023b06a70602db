/**
 * Prefix lists: CreatePrefixList, DescribePrefixLists, DescribePrefixListAttributes,
 * ModifyPrefixList, DeletePrefixList, DescribePrefixListAssociations. Security group rules
 * reference them (security-group-rules.ts); an edit of a referenced list requests the
 * `security-policy` operation in its transaction, so the wire follows the new entries.
 */
import { EcsError } from '../domain/errors.js';
import { newId } from '../domain/ids.js';
import {
  applyEntryEdit, checkPrefixListDescription, checkPrefixListName, entryEdit, initialEntries, parseAddressFamily,
} from '../domain/prefix-lists.js';
import { fitsQuota } from '../domain/quotas.js';
import { isoMinute } from '../domain/time.js';
import { requestSecurityPolicy } from '../engine/security-policy.js';
import {
  associatedGroups, countPrefixLists, deletePrefixList, entriesOfLists, findPrefixList, insertPrefixList, listPrefixLists,
  replaceEntries, updatePrefixList, type PrefixListRow,
} from '../store/prefix-lists.js';
import { quotaFor } from '../store/quotas.js';
import { lockAccount, lockRow } from '../store/row-locks.js';
import { decodeToken, encodeToken } from './paging.js';
import { ecsHandlers, type EcsRequest } from './typed-handlers.js';
import type { ActionContext } from './types.js';

type Db = ActionContext['db'];

/** DescribePrefixLists takes at most 100 PrefixListId.N. */
const MAX_IDS_PER_DESCRIBE = 100;

function notFound(id: string): EcsError {
  return new EcsError('InvalidPrefixListId.NotFound', `The specified prefix list "${id}" was not found.`);
}

export async function loadPrefixList(ctx: ActionContext, id: string, db: Db = ctx.db): Promise<PrefixListRow> {
  const row = await findPrefixList(db, ctx.principal.accountId, ctx.regionId, id);
  if (!row) throw notFound(id);
  return row;
}

async function checkListQuota(ctx: ActionContext, db: Db): Promise<void> {
  const limit = await quotaFor(db, ctx.principal.accountId, 'prefix-lists-per-region');
  if (!fitsQuota(await countPrefixLists(db, ctx.principal.accountId, ctx.regionId), limit)) {
    throw new EcsError('LimitExceed.PrefixListPerRegion', `The number of prefix lists in the region exceeds the limit (${limit}).`);
  }
}

/** NextToken/MaxResults over an in-memory list (default 10, at most 100). */
function tokenPage<T>(rows: T[], p: { NextToken?: string; MaxResults?: number }): { page: T[]; nextToken: string } {
  const offset = p.NextToken ? decodeToken(p.NextToken, 'InvalidParameter') : 0;
  const limit = p.MaxResults ?? 10;
  const page = rows.slice(offset, offset + limit);
  return { page, nextToken: offset + page.length < rows.length ? encodeToken(offset + page.length) : '' };
}

async function createPrefixList(ctx: ActionContext, p: EcsRequest<'CreatePrefixList'>) {
  const family = parseAddressFamily(p.AddressFamily);
  const name = checkPrefixListName(p.PrefixListName);
  const description = checkPrefixListDescription(p.Description ?? '');
  const entries = initialEntries(p.Entry, family, p.MaxEntries);
  await checkListQuota(ctx, ctx.db);
  const id = newId('pl-');
  return ctx.mutate(async (trx) => {
    // The account's row held: concurrent creates count each other against the per-region limit.
    await lockAccount(trx, ctx.principal.accountId);
    await checkListQuota(ctx, trx);
    await insertPrefixList(trx, {
      id, account_id: ctx.principal.accountId, region_id: ctx.regionId, name, description,
      address_family: family, max_entries: p.MaxEntries, created_at: ctx.now(),
    }, entries);
    return { PrefixListId: id };
  });
}

async function describePrefixLists(ctx: ActionContext, p: EcsRequest<'DescribePrefixLists'>) {
  const ids = p.PrefixListId?.filter(Boolean);
  if (ids && ids.length > MAX_IDS_PER_DESCRIBE) {
    throw new EcsError('LimitExceed.PrefixListId', 'The specified number of PrefixListId exceeds the limit.');
  }
  const rows = await listPrefixLists(ctx.db, {
    accountId: ctx.principal.accountId, regionId: ctx.regionId, ids: ids?.length ? ids : undefined,
    name: p.PrefixListName || undefined,
    addressFamily: p.AddressFamily ? parseFamilyFilter(p.AddressFamily) : undefined,
  });
  const { page, nextToken } = tokenPage(rows, p);
  const associations = await associatedGroups(ctx.db, page.map((r) => r.id));
  return {
    NextToken: nextToken,
    PrefixLists: {
      PrefixList: page.map((r) => ({
        PrefixListId: r.id, PrefixListName: r.name, Description: r.description, AddressFamily: r.address_family,
        MaxEntries: Number(r.max_entries), AssociationCount: associations.get(r.id)?.length ?? 0, CreationTime: isoMinute(Number(r.created_at)),
      })),
    },
  };
}

/** The AddressFamily filter: IPv4 or IPv6 (InvalidParameter otherwise, the code DescribePrefixLists lists). */
function parseFamilyFilter(v: string): string {
  try {
    return parseAddressFamily(v);
  } catch {
    throw new EcsError('InvalidParameter', `The specified parameter AddressFamily "${v}" is not valid: IPv4 or IPv6.`);
  }
}

async function describePrefixListAttributes(ctx: ActionContext, p: EcsRequest<'DescribePrefixListAttributes'>) {
  const row = await loadPrefixList(ctx, p.PrefixListId);
  const entries = (await entriesOfLists(ctx.db, [row.id])).get(row.id) ?? [];
  return {
    PrefixListId: row.id, PrefixListName: row.name, Description: row.description, AddressFamily: row.address_family,
    MaxEntries: Number(row.max_entries), CreationTime: isoMinute(Number(row.created_at)),
    Entries: { Entry: entries.map((e) => ({ Cidr: e.cidr, Description: e.description })) },
  };
}

async function modifyPrefixList(ctx: ActionContext, p: EcsRequest<'ModifyPrefixList'>) {
  const row = await loadPrefixList(ctx, p.PrefixListId);
  const name = p.PrefixListName ? checkPrefixListName(p.PrefixListName) : undefined;
  const description = p.Description !== undefined && p.Description !== '' ? checkPrefixListDescription(p.Description) : undefined;
  const edit = entryEdit(p.AddEntry, p.RemoveEntry, parseAddressFamily(row.address_family));
  const changesEntries = edit.add.length > 0 || edit.remove.length > 0;
  const plan = async (db: Db) => applyEntryEdit((await entriesOfLists(db, [row.id])).get(row.id) ?? [], edit, Number(row.max_entries));
  await plan(ctx.db);
  return ctx.mutate(async (trx) => {
    // The list's row held: concurrent edits apply one after the other, each to the other's result.
    if (!(await lockRow(trx, 'prefix_lists', row.id))) throw notFound(row.id);
    await updatePrefixList(trx, row.id, { name, description });
    if (changesEntries) {
      await replaceEntries(trx, row.id, await plan(trx));
      // Rules referencing the list match its new entries: the wire is compiled again.
      if (((await associatedGroups(trx, [row.id])).get(row.id) ?? []).length > 0) await requestSecurityPolicy(trx, ctx.now());
    }
    return {};
  });
}

async function deletePrefixListAction(ctx: ActionContext, p: EcsRequest<'DeletePrefixList'>) {
  const row = await loadPrefixList(ctx, p.PrefixListId);
  const refuseIfAssociated = async (db: Db) => {
    if (((await associatedGroups(db, [row.id])).get(row.id) ?? []).length > 0) {
      throw new EcsError('NotAllowed.AssociationExist', 'The specified prefix list has associated resources.');
    }
  };
  await refuseIfAssociated(ctx.db);
  return ctx.mutate(async (trx) => {
    // Authorize holds the list's row while it adds a rule naming it: no rule appears after this check.
    if (!(await lockRow(trx, 'prefix_lists', row.id))) throw notFound(row.id);
    await refuseIfAssociated(trx);
    await deletePrefixList(trx, row.id);
    return {};
  });
}

async function describePrefixListAssociations(ctx: ActionContext, p: EcsRequest<'DescribePrefixListAssociations'>) {
  const row = await loadPrefixList(ctx, p.PrefixListId);
  const groups = (await associatedGroups(ctx.db, [row.id])).get(row.id) ?? [];
  const { page, nextToken } = tokenPage(groups, p);
  return {
    NextToken: nextToken,
    PrefixListAssociations: { PrefixListAssociation: page.map((id) => ({ ResourceId: id, ResourceType: 'securitygroup' })) },
  };
}

export const prefixListActions = ecsHandlers({
  CreatePrefixList: createPrefixList,
  DescribePrefixLists: describePrefixLists,
  DescribePrefixListAttributes: describePrefixListAttributes,
  ModifyPrefixList: modifyPrefixList,
  DeletePrefixList: deletePrefixListAction,
  DescribePrefixListAssociations: describePrefixListAssociations,
});
