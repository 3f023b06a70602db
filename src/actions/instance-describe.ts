/** DescribeInstances (every filter, both paging modes), DescribeInstanceStatus, DescribeInstanceAttribute, DescribeUserData. */
import { EcsError } from '../domain/errors.js';
import type { Params } from '../api/params.js';
import { parseUtc } from '../domain/time.js';
import { getInstance, instancesByIdsInOrder, securityGroupsOf, type InstanceFilter } from '../store/instances.js';
import { instanceKeyPage, instancePage } from '../store/instance-pages.js';
import { idsWithTags, tagsOf } from '../store/tags.js';
import { attachedInterfacesOf } from '../store/network-interfaces.js';
import { eipsOfAddresses, eipsOfInstances } from '../store/eips.js';
import { describeInstanceItemsJson, instanceAttribute, type DescribeInstancesItem } from './instance-view.js';
import { RawJson } from '../api/render.js';
import { pageFields, pageOf } from './paging.js';
import { ecsHandlers } from './typed-handlers.js';
import type { ActionContext } from './types.js';

/** Parses a JSON-array string parameter such as `InstanceIds=["i-1","i-2"]`. */
export function jsonList(p: Params, name: string, max: number, code = `Invalid${name}.Malformed`): string[] | undefined {
  const raw = p[name];
  if (raw === undefined || raw === '') return undefined;
  let v: unknown;
  try { v = JSON.parse(raw); } catch { v = undefined; }
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) {
    throw new EcsError(code, `The specified parameter "${name}" is not valid: expected a JSON array of strings such as ["a","b"].`, 400);
  }
  if (v.length > max) throw new EcsError(code, `The specified parameter "${name}" has more than ${max} items.`, 400);
  return v as string[];
}

export async function requireInstance(ctx: ActionContext, id: string) {
  const row = await getInstance(ctx.db, ctx.principal.accountId, id);
  if (!row || (ctx.regionId && row.region_id !== ctx.regionId)) {
    throw new EcsError('InvalidInstanceId.NotFound', `The specified InstanceId "${id}" does not exist.`);
  }
  return row;
}

/**
 * AdditionalAttributes.N asks for fields that every answer here already carries (MetadataOptions,
 * the primary ENI's PrivateIpSets, CpuOptions.TopologyType, ImageOptions.LoginAsNonRoot,
 * AdditionalInfo.EnableHighDensityMode, DedicatedHostAttribute.DedicatedHostClusterId); a value
 * that names nothing is refused rather than ignored.
 */
const ADDITIONAL_ATTRIBUTES = new Set(['META_OPTIONS', 'DDH_CLUSTER', 'NETWORK_PRIMARY_ENI_IP', 'CPU_OPTIONS_TOPOLOGY_TYPE', 'LOGIN_AS_NON_ROOT', 'DISK_HIGH_DENSITY_MODE']);

function checkAdditionalAttributes(values: string[] | undefined) {
  for (const [i, v] of (values ?? []).entries()) {
    if (!ADDITIONAL_ATTRIBUTES.has(v)) {
      throw new EcsError('InvalidParameter', `The specified parameter "AdditionalAttributes.${i + 1}" "${v}" is not valid: ${[...ADDITIONAL_ATTRIBUTES].join(', ')}.`, 400);
    }
  }
}

async function filterOf(ctx: ActionContext, p: Params): Promise<InstanceFilter> {
  const f: InstanceFilter = {
    accountId: ctx.principal.accountId,
    regionId: ctx.regionId,
    ids: jsonList(p, 'InstanceIds', 100, 'InvalidInstanceIds.Malformed'),
    zoneId: p.ZoneId, vpcId: p.VpcId, vswitchId: p.VSwitchId, securityGroupId: p.SecurityGroupId,
    status: p.Status, name: p.InstanceName, imageId: p.ImageId, instanceType: p.InstanceType,
    instanceTypeFamilyPrefix: p.InstanceTypeFamily, keyPairName: p.KeyPairName,
    chargeType: p.InstanceChargeType, internetChargeType: p.InternetChargeType, resourceGroupId: p.ResourceGroupId,
    privateIps: jsonList(p, 'PrivateIpAddresses', 100) ?? jsonList(p, 'InnerIpAddresses', 100),
    publicIps: jsonList(p, 'PublicIpAddresses', 100),
  };
  // EipAddresses: the instances those EIPs are associated with (src/actions/eips.ts).
  const eipAddresses = jsonList(p, 'EipAddresses', 100);
  if (eipAddresses) {
    const holders = [...(await eipsOfAddresses(ctx.db, ctx.principal.accountId, eipAddresses)).values()];
    f.ids = f.ids ? f.ids.filter((id) => holders.includes(id)) : holders;
  }
  if (p.Status && !['Pending', 'Running', 'Starting', 'Stopping', 'Stopped'].includes(p.Status)) {
    throw new EcsError('InvalidStatus.ValueNotSupported', `The specified Status "${p.Status}" is not valid.`, 400);
  }
  if (p.InstanceNetworkType && p.InstanceNetworkType !== 'vpc') f.ids = [];
  if (p.LockReason) {
    // The metadata's values; `financial` (a subscription stopped for expiry) and `Recycling` (a spot
    // instance's interruption notice) happen here.
    if (!['financial', 'security', 'Recycling', 'recycling', 'dedicatedhostfinancial', 'refunded'].includes(p.LockReason)) {
      throw new EcsError('InvalidLockReason.NotFound', `The specified LockReason "${p.LockReason}" is not found.`);
    }
    if (p.LockReason === 'financial') f.financialLock = true;
    else if (p.LockReason === 'Recycling' || p.LockReason === 'recycling') f.recyclingLock = true;
    else f.ids = [];
  }
  checkAdditionalAttributes(p.AdditionalAttributes);
  // Filter.N.Key CreationStartTime / CreationEndTime (ISO 8601 UTC).
  for (let i = 1; i <= 4; i++) {
    const key = p[`Filter.${i}.Key`];
    const value = p[`Filter.${i}.Value`];
    if (!key) continue;
    const at = value ? parseUtc(value) : undefined;
    if (at === undefined) throw new EcsError('InvalidParameter', `The specified Filter.${i}.Value "${value}" is not a valid UTC time.`);
    if (key === 'CreationStartTime') f.createdFrom = at;
    else if (key === 'CreationEndTime') f.createdTo = at;
    else throw new EcsError('InvalidParameter', `The specified Filter.${i}.Key "${key}" is not supported: use CreationStartTime or CreationEndTime.`);
  }
  const tags = (p.Tag ?? []).map((t: Record<string, string>) => ({ Key: t.Key ?? t.key ?? '', Value: t.Value ?? t.value }))
    .filter((t: { Key: string }) => t.Key);
  f.taggedIds = await idsWithTags(ctx.db, ctx.principal.accountId, 'instance', tags);
  return f;
}

export const instanceDescribeActions = ecsHandlers({
  async DescribeInstances(ctx, p) {
    const page = pageOf(p, { defaultSize: 10, maxSize: 100, maxResultsMin: 10, maxResultsMax: 100, maxResultsDefault: 10 });
    const f = await filterOf(ctx, p);
    if (ctx.dryRun) throw new EcsError('DryRunOperation', 'Request validation has been passed with DryRun flag set.');
    const { total, keys } = await instanceKeyPage(ctx.db, f, page.offset, page.limit);
    const ids = keys.map((r) => r.id);
    const [groups, tags, enis, eips] = await Promise.all([securityGroupsOf(ctx.db, ids), tagsOf(ctx.db, ids), attachedInterfacesOf(ctx.db, ids), eipsOfInstances(ctx.db, ids)]);
    // The items as JSON text, kept per instance while unchanged (instance-view.ts), copied into the answer.
    const items = await describeInstanceItemsJson(ctx.db, keys, groups, tags, enis, (missing) => instancesByIdsInOrder(ctx.db, missing), eips);
    return {
      ...pageFields(page, keys.length, total),
      Instances: { Instance: new RawJson(`[${items.join(',')}]`) as unknown as DescribeInstancesItem[] },
    };
  },

  async DescribeInstanceStatus(ctx, p) {
    const page = pageOf(p, { defaultSize: 10, maxSize: 50 });
    const ids: string[] | undefined = p.InstanceId?.length ? p.InstanceId : undefined;
    const f: InstanceFilter = { accountId: ctx.principal.accountId, regionId: ctx.regionId, ids, zoneId: p.ZoneId };
    const { total, rows } = await instancePage(ctx.db, f, page.offset, page.limit);
    return {
      PageNumber: page.pageNumber, PageSize: page.pageSize, TotalCount: total,
      InstanceStatuses: { InstanceStatus: rows.map((r) => ({ InstanceId: r.id, Status: r.status })) },
    };
  },

  async DescribeInstanceAttribute(ctx, p) {
    const row = await requireInstance(ctx, p.InstanceId);
    const groups = await securityGroupsOf(ctx.db, [row.id]);
    return instanceAttribute(row, groups.get(row.id) ?? [], (await eipsOfInstances(ctx.db, [row.id])).get(row.id));
  },

  async DescribeUserData(ctx, p) {
    const row = await requireInstance(ctx, p.InstanceId);
    return { InstanceId: row.id, RegionId: row.region_id, UserData: row.user_data };
  },
});
