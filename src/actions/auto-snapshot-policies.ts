/**
 * Automatic snapshot policies (lower-case parameter names on the wire: regionId, timePoints, …):
 * Create, ModifyEx, Delete, Apply, Cancel, DescribeEx. The `auto-snapshots` timer takes the
 * snapshots (src/engine/reconcilers/snapshot.ts).
 */
import { EcsError } from '../domain/errors.js';
import type { Params } from '../api/params.js';
import { newId } from '../domain/ids.js';
import { isValidName } from '../domain/storage/names.js';
import { isValidPolicyRetention } from '../domain/storage/quotas.js';
import { isKnownRegion } from '../domain/catalog/index.js';
import { mergeCopySettings, NO_COPY, parseTargetCopyRegions, type CopySettings } from '../domain/storage/policy-copy.js';
import { nextFireAfter, parseRepeatWeekdays, parseTimePoints } from '../domain/storage/schedule.js';
import { MAX_TAGS_PER_RESOURCE, tagsFromParams } from '../domain/tags.js';
import {
  applyPolicy, cancelPolicy, countPolicies, deletePolicy, diskCountsOfPolicies, getDisk, getPolicy, insertPolicy, listPolicies, quotaOf,
  updatePolicy, type DiskRow, type PolicyRow,
} from '../store/storage.js';
import { idsWithTags, putTags, tagsOf } from '../store/tags.js';
import { policyItem, tagFilterOf } from './storage-view.js';
import { ecsHandlers } from './typed-handlers.js';
import type { ActionContext, Tx } from './types.js';
import { lockAccount, lockRow, lockRows } from '../store/row-locks.js';
import { holdResourceGroup, resolveResourceGroup } from './resource-groups.js';

function checkPolicyName(name: unknown): void {
  if (name !== undefined && name !== '' && !isValidName(String(name))) {
    throw new EcsError('InvalidSnapshotPolicyName.Malformed', 'The specified autoSnapshotPolicyName is wrongly formed: 2 to 128 characters, starting with a letter or a Chinese character, then letters, digits, ".", "_", "-" or ":" (000:L1310).');
  }
}

function checkRetention(days: number): void {
  if (!isValidPolicyRetention(days)) {
    throw new EcsError('InvalidRetentionDays.Malformed', `The specified retentionDays (${days}) is not valid: -1 (forever) or 1 to 65535 days.`, 400);
  }
}

/** The cross-region copy part of a Create/Modify request (undefined fields: unchanged). */
function copyChange(ctx: ActionContext, p: Params): Partial<CopySettings> {
  const enc = p.CopyEncryptionConfiguration as { Encrypted?: boolean; KMSKeyId?: string; Arn?: unknown } | undefined;
  // There is no KMS here: copies are encrypted with the service key or not at all.
  if (enc?.KMSKeyId) throw new EcsError('InvalidOperation.KMSKeyIdNotFound', `The specified KMSKeyId not found, ${enc.KMSKeyId}: OpenECS has no KMS keys; set only CopyEncryptionConfiguration.Encrypted.`, 403);
  return {
    enabled: p.EnableCrossRegionCopy,
    targets: p.TargetCopyRegions !== undefined ? parseTargetCopyRegions(p.TargetCopyRegions, ctx.regionId, isKnownRegion) : undefined,
    retentionDays: p.CopiedSnapshotsRetentionDays,
    encrypted: enc?.Encrypted,
  };
}

function copyOf(row: PolicyRow): CopySettings {
  return { enabled: row.enable_cross_region_copy === 1, targets: JSON.parse(row.target_copy_regions), retentionDays: row.copied_snapshots_retention_days, encrypted: row.copy_encrypted === 1 };
}

function copyColumns(c: CopySettings) {
  return { enable_cross_region_copy: c.enabled ? 1 : 0, target_copy_regions: JSON.stringify(c.targets), copied_snapshots_retention_days: c.retentionDays, copy_encrypted: c.encrypted ? 1 : 0, copy_kms_key_id: '' };
}

async function requirePolicy(ctx: ActionContext, id: string, q: Tx | ActionContext['db'] = ctx.db): Promise<PolicyRow> {
  const row = await getPolicy(q, ctx.principal.accountId, ctx.regionId, id);
  // The metadata's code for an unknown policy: ParameterInvalid ("The specified automatic snapshot policy does not exist").
  if (!row) throw new EcsError('ParameterInvalid', `The specified automatic snapshot policy "${id}" does not exist.`, 404);
  return row;
}

/**
 * The policy's row locked and read again inside `trx` (after any disk: store/row-locks.ts order):
 * ApplyAutoSnapshotPolicy and DeleteAutoSnapshotPolicy take it, so a disk is never given a policy
 * that a concurrent delete removes.
 */
async function lockPolicy(ctx: ActionContext, trx: Tx, id: string): Promise<PolicyRow> {
  await lockRow(trx, 'auto_snapshot_policies', id);
  return requirePolicy(ctx, id, trx);
}

/** `diskIds`: a JSON array of disk ids, all the caller's, in the request's region. */
async function disksOf(ctx: ActionContext, p: Params): Promise<DiskRow[]> {
  let ids: unknown;
  try { ids = JSON.parse(p.diskIds); } catch { ids = undefined; }
  if (!Array.isArray(ids) || ids.length === 0 || ids.some((x) => typeof x !== 'string')) {
    throw new EcsError('InvalidParameter', 'The specified parameter "diskIds" is not valid: a JSON array of disk ids such as ["d-1","d-2"].', 400);
  }
  if (ids.length > 1000) throw new EcsError('InvalidParameter', 'The specified parameter "diskIds" takes at most 1000 disks.', 400);
  const out: DiskRow[] = [];
  for (const id of new Set(ids as string[])) {
    const d = await getDisk(ctx.db, ctx.principal.accountId, id);
    if (!d || d.region_id !== ctx.regionId) throw new EcsError('InvalidDiskId.NotFound', `The specified disk "${id}" does not exist in the region.`);
    out.push(d);
  }
  return out;
}

async function checkPolicyQuota(ctx: ActionContext, q: Tx | ActionContext['db']): Promise<void> {
  const quota = await quotaOf(q, ctx.principal.accountId, 'auto-snapshot-policies-per-region');
  if (await countPolicies(q, ctx.principal.accountId, ctx.regionId) >= quota) {
    throw new EcsError('AutoSnapshotPolicy.QuotaExceed', `The maximum number of automatic snapshot policy has been reached (${quota} per region).`);
  }
}

export const autoSnapshotPolicyActions = ecsHandlers({
  async CreateAutoSnapshotPolicy(ctx, p) {
    checkPolicyName(p.autoSnapshotPolicyName);
    const timePoints = parseTimePoints(p.timePoints);
    const repeatWeekdays = parseRepeatWeekdays(p.repeatWeekdays);
    checkRetention(p.retentionDays);
    const copy = mergeCopySettings(NO_COPY, copyChange(ctx, p));
    const tags = tagsFromParams(p.Tag);
    if (tags.length > MAX_TAGS_PER_RESOURCE) throw new EcsError('QuotaExceed.Tags', `A policy can have at most ${MAX_TAGS_PER_RESOURCE} tags.`, 403);
    await checkPolicyQuota(ctx, ctx.db);
    const resourceGroupId = await resolveResourceGroup(ctx, p.ResourceGroupId);
    const id = newId('sp-');
    const now = ctx.now();
    return ctx.mutate(async (trx) => {
      // Again with the account's row locked: concurrent creates count one another's policy.
      await lockAccount(trx, ctx.principal.accountId);
      await holdResourceGroup(ctx, trx, resourceGroupId);
      await checkPolicyQuota(ctx, trx);
      await insertPolicy(trx, {
        id, account_id: ctx.principal.accountId, region_id: ctx.regionId, name: p.autoSnapshotPolicyName ?? '',
        time_points: JSON.stringify(timePoints), repeat_weekdays: JSON.stringify(repeatWeekdays), retention_days: p.retentionDays,
        resource_group_id: resourceGroupId, created_at: now, next_run_at: nextFireAfter({ timePoints, repeatWeekdays }, now),
        ...copyColumns(copy),
      });
      await putTags(trx, { accountId: ctx.principal.accountId, regionId: ctx.regionId, resourceType: 'snapshotpolicy', resourceId: id }, tags);
      return { AutoSnapshotPolicyId: id };
    });
  },

  async ModifyAutoSnapshotPolicyEx(ctx, p) {
    const policy = await requirePolicy(ctx, p.autoSnapshotPolicyId);
    checkPolicyName(p.autoSnapshotPolicyName);
    const patch: Partial<PolicyRow> = { ...copyColumns(mergeCopySettings(copyOf(policy), copyChange(ctx, p))) };
    if (p.autoSnapshotPolicyName !== undefined) patch.name = p.autoSnapshotPolicyName;
    const timePoints = p.timePoints !== undefined ? parseTimePoints(p.timePoints) : JSON.parse(policy.time_points) as number[];
    const repeatWeekdays = p.repeatWeekdays !== undefined ? parseRepeatWeekdays(p.repeatWeekdays) : JSON.parse(policy.repeat_weekdays) as number[];
    if (p.retentionDays !== undefined) {
      checkRetention(p.retentionDays);
      patch.retention_days = p.retentionDays;
    }
    patch.time_points = JSON.stringify(timePoints);
    patch.repeat_weekdays = JSON.stringify(repeatWeekdays);
    // A new schedule counts from now: points already passed are not made up.
    patch.next_run_at = nextFireAfter({ timePoints, repeatWeekdays }, ctx.now());
    await ctx.mutate(async (trx) => {
      await updatePolicy(trx, policy.id, patch);
      return {};
    });
    return {};
  },

  async DeleteAutoSnapshotPolicy(ctx, p) {
    const policy = await requirePolicy(ctx, p.autoSnapshotPolicyId);
    // Disks using it simply have no policy afterwards; their automatic snapshots stay.
    await ctx.mutate(async (trx) => {
      await lockPolicy(ctx, trx, policy.id);
      await deletePolicy(trx, policy.id);
      return {};
    });
    return {};
  },

  async ApplyAutoSnapshotPolicy(ctx, p) {
    const policy = await requirePolicy(ctx, p.autoSnapshotPolicyId);
    const disks = await disksOf(ctx, p);
    // 000:L1347 "Auto snapshot policies cannot be applied to basic cloud disks when they are not in use".
    const idle = disks.filter((d) => d.category === 'cloud' && d.status !== 'In_use');
    if (idle.length) {
      throw disks.length === 1
        ? new EcsError('DiskCategory.OperationNotSupported', `The basic cloud disk ${idle[0]!.id} is not in use: automatic snapshot policies apply to basic cloud disks in use only.`)
        : new EcsError('PartofDiskCategory.OperationNotSupported', `Basic cloud disks not in use cannot take automatic snapshot policies: ${idle.map((d) => d.id).join(', ')}.`);
    }
    await ctx.mutate(async (trx) => {
      // The disks' rows locked: two applications to one disk replace its policy one after the
      // other instead of both inserting its row (a unique violation).
      await lockRows(trx, 'disks', disks.map((d) => d.id));
      const current = await lockPolicy(ctx, trx, policy.id);
      await applyPolicy(trx, ctx.principal.accountId, current.id, disks.map((d) => d.id));
      // A policy nobody used was not looked at; its schedule starts now, not in the past.
      if (current.next_run_at <= ctx.now()) {
        await updatePolicy(trx, current.id, { next_run_at: nextFireAfter({ timePoints: JSON.parse(current.time_points), repeatWeekdays: JSON.parse(current.repeat_weekdays) }, ctx.now()) });
      }
      return {};
    });
    return {};
  },

  async CancelAutoSnapshotPolicy(ctx, p) {
    const disks = await disksOf(ctx, p);
    await ctx.mutate(async (trx) => {
      await cancelPolicy(trx, disks.map((d) => d.id));
      return {};
    });
    return {};
  },

  async DescribeAutoSnapshotPolicyEx(ctx, p) {
    const pageNumber: number = p.PageNumber ?? 1;
    const pageSize: number = p.PageSize ?? 10;
    const taggedIds = await idsWithTags(ctx.db, ctx.principal.accountId, 'snapshotpolicy', tagFilterOf(p));
    const rows = await listPolicies(ctx.db, ctx.principal.accountId, ctx.regionId, {
      id: p.AutoSnapshotPolicyId || undefined, name: p.AutoSnapshotPolicyName || undefined, resourceGroupId: p.ResourceGroupId || undefined, taggedIds,
    });
    const page = rows.slice((pageNumber - 1) * pageSize, pageNumber * pageSize);
    const ids = page.map((r) => r.id);
    const [counts, tags] = await Promise.all([diskCountsOfPolicies(ctx.db, ids), tagsOf(ctx.db, ids)]);
    return {
      PageNumber: pageNumber, PageSize: pageSize, TotalCount: rows.length,
      AutoSnapshotPolicies: { AutoSnapshotPolicy: page.map((r) => policyItem(r, counts.get(r.id) ?? 0, tags.get(r.id))) },
    };
  },
});
