/**
 * RunInstances (Amount instances, started: Pending → Starting → Running) and CreateInstance
 * (one instance, Pending → Stopped). Every check runs before the one transaction that writes
 * instances, disks, addresses, group memberships, tags and the engine's operations.
 */
import { refuseIfInArrears } from './account-balance.js';
import { randomUUID } from 'node:crypto';
import { EcsError } from '../domain/errors.js';
import type { Params } from '../api/params.js';
import type { Sealer } from '../auth/secrets.js';
import { newId } from '../domain/ids.js';
import { defaultSystemDiskCategory, findInstanceType } from '../domain/catalog/instance-types.js';
import { performanceLevelFor } from '../domain/catalog/disk-categories.js';
import { checkHostName, checkInstanceName, defaultHostName, orderedName, withInstanceId } from '../domain/instances/naming.js';
import { checkPassword } from '../domain/instances/password.js';
import { metadataOptionsFrom, type MetadataOptions } from '../domain/instances/metadata-options.js';
import { tagsFromParams, MAX_TAGS_PER_RESOURCE, type Tag } from '../domain/tags.js';
import { checkReleaseTime } from '../domain/instances/release-time.js';
import type { Insertable } from 'kysely';
import type { DiskRow, InstanceRow } from '../store/instances.js';
import type { TagTable } from '../store/schema.js';
import type { NetworkInterfaceRow } from '../store/network-interfaces.js';
import { insertRows } from '../store/batch.js';
import { allocatePrivateIps } from '../store/network.js';
import { enqueueMany } from '../engine/operations.js';
import { requestSecurityPolicy } from '../engine/security-policy.js';
import { allocatePublicIp, type PublicIpBatch } from '../store/public-ips.js';
import { macAddress } from '../domain/instances/mac.js';
import { DEFAULT_ACTION_ON_MAINTENANCE } from '../domain/instances/maintenance.js';
import { launchJumboFrames } from '../domain/instances/jumbo-frames.js';
import { checkSubscription, type Subscription, type SubscriptionCheck } from '../domain/instances/subscription.js';
import { spotOptionsOf, type SpotOptions } from '../domain/instances/spot.js';
import { currentSpotPrice } from './spot-market.js';
import { launchInterfaces } from '../domain/instances/launch-interfaces.js';
import { attachLaunchInterfaces, launchInterfaceLocks, planLaunchInterface, type LaunchInterfacePlan } from './launch-interfaces.js';

function subscriptionOf(c: SubscriptionCheck): Subscription {
  if (!c.ok) throw new EcsError(c.code, c.message);
  return c.subscription;
}
import { privatePoolFrom, type PrivatePoolOptions } from './instance-attachment.js';
import {
  checkDisk, checkGroupCapacity, checkImageFitsType, checkZoneOffers, keyPairExists, resolveImage, resolveInstanceType, resolveSecurityGroups, resolveVSwitch,
  type GroupInfo, type ImageInfo, type TypeInfo, type VSwitchInfo,
} from './launch-deps.js';
import { lockRows } from '../store/row-locks.js';
import { holdImage, holdSnapshots } from './launch-holds.js';
import { imageSystemSnapshot, resolveDataDisks } from './launch-disks.js';
import { ecsHandlers } from './typed-handlers.js';
import type { ActionContext } from './types.js';
import { holdResourceGroup, resolveResourceGroup } from './resource-groups.js';
import { holdInstanceRole, usableInstanceRole } from './instance-role-check.js';
import { planLaunchIpv6, takeLaunchIpv6, type LaunchIpv6 } from './ipv6-addresses.js';

const MAX_DATA_DISKS = 16;
const MAX_GROUPS_PER_INSTANCE = 5;
const MAX_USER_DATA_BYTES = 32 * 1024;

interface DiskPlan { category: string; size: number; name: string; description: string; deleteWithInstance: boolean; snapshotId: string; performanceLevel: string; encrypted: boolean; device: string }

interface LaunchPlan {
  amount: number;
  type: TypeInfo;
  image: ImageInfo;
  vswitch: VSwitchInfo;
  groupIds: string[];
  groups: GroupInfo[];
  names: string[];
  hostNames: (string | undefined)[];
  description: string;
  passwordSealed: string;
  keyPairName: string;
  /** The instance RAM role (instance-role-check.ts), '' for none. */
  ramRoleName: string;
  userData: string;
  systemDisk: DiskPlan;
  dataDisks: DiskPlan[];
  tags: Tag[];
  autoReleaseTime: number | null;
  bandwidthOut: number;
  bandwidthIn: number;
  chargeType: string;
  internetChargeType: string;
  deletionProtection: boolean;
  privateIp?: string;
  resourceGroupId: string;
  creditSpecification: string;
  metadataOptions: MetadataOptions;
  privatePool: PrivatePoolOptions;
  jumboFrames: boolean;
  subscription: Subscription;
  spot: SpotOptions;
  /** NetworkInterfaceQueueNumber (or the primary NetworkInterface.N's QueueNumber). */
  primaryQueueNumber?: number;
  /** The secondary ENI of NetworkInterface.N, created or taken and attached with each instance (launch-interfaces.ts). */
  secondaryEni?: LaunchInterfacePlan;
  /** Ipv6Address.N / Ipv6AddressCount of each primary ENI (ipv6-addresses.ts). */
  ipv6?: LaunchIpv6;
}

/** The server key's sealer (the one every replica shares), for passwords kept in the store. */
function sealer(ctx: ActionContext): Sealer {
  return ctx.sealer;
}
export { sealer as passwordSealer };

function decodeUserData(b64: string): string {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(b64) || b64.length % 4 !== 0) {
    throw new EcsError('InvalidUserData.Base64FormatInvalid', 'The specified UserData is not valid Base64.');
  }
  const bytes = Buffer.from(b64, 'base64');
  if (bytes.length > MAX_USER_DATA_BYTES) {
    throw new EcsError('InvalidUserData.SizeExceeded', `The specified parameter "UserData" exceeds the size: at most ${MAX_USER_DATA_BYTES} bytes before Base64 encoding.`);
  }
  return b64;
}
export { decodeUserData };

function diskPlan(kind: 'system' | 'data', d: Record<string, any>, type: TypeInfo, image?: ImageInfo): DiskPlan {
  const category = String(d.Category ?? type.defaultSystemDiskCategory);
  const performanceLevel = performanceLevelFor(category, d.PerformanceLevel, kind === 'system' ? 'SystemDisk.PerformanceLevel' : 'DataDisk.n.PerformanceLevel');
  let size: number;
  if (d.Size === undefined || d.Size === '') size = kind === 'system' ? Math.max(40, image?.sizeGiB ?? 0) : NaN;
  else size = Number(d.Size);
  if (kind === 'data' && Number.isNaN(size) && !d.SnapshotId) {
    throw new EcsError('InvalidDataDiskSize.ValueNotSupported', 'The specified DataDisk.n.Size is required unless DataDisk.n.SnapshotId is set.');
  }
  if (!Number.isInteger(size) && !(kind === 'data' && d.SnapshotId)) {
    throw new EcsError(kind === 'system' ? 'InvalidSystemDiskSize.ValueNotSupported' : 'InvalidDataDiskSize.ValueNotSupported', `The specified ${kind === 'system' ? 'SystemDisk.Size' : 'DataDisk.n.Size'} "${d.Size}" is not valid.`);
  }
  if (kind === 'system' && image && size < image.sizeGiB) {
    throw new EcsError('InvalidSystemDiskSize.LessThanImageSize', `The specified parameter SystemDisk.Size (${size}) is less than the image size (${image.sizeGiB}).`);
  }
  checkDisk(kind, category, size, performanceLevel || undefined, type);
  return {
    category, size, performanceLevel,
    name: String(d.DiskName ?? ''),
    description: String(d.Description ?? ''),
    deleteWithInstance: d.DeleteWithInstance === undefined ? true : d.DeleteWithInstance === true || d.DeleteWithInstance === 'true',
    snapshotId: String(d.SnapshotId ?? ''),
    encrypted: d.Encrypted === true || d.Encrypted === 'true',
    device: String(d.Device ?? ''),
  };
}

/**
 * `IoOptimized`: the mode must be one the type is sold in ("the specified instancetype must be
 * IoOptimized instance" for current types asked for `none`); the disks' default category follows
 * the mode (cloud for a retired type's non-optimized instance, cloud_efficiency otherwise).
 */
function applyIoOptimized(type: TypeInfo, io: string | undefined, mode: 'run' | 'create'): void {
  if (!io) return;
  const t = findInstanceType(type.id)!;
  if (io !== 'none' && io !== 'optimized') {
    throw new EcsError(mode === 'run' ? 'InvalidIoOptimize.ValueNotSupported' : 'InvalidIoOptimizedValue.ValueNotSupported', `The specified IoOptimized "${io}" is not valid: none or optimized.`);
  }
  if (!t.ioModes.includes(io)) throw new EcsError('DependencyViolation.IoOptimized', `The specified instance type ${type.id} is not sold as IoOptimized=${io}.`);
  type.defaultSystemDiskCategory = defaultSystemDiskCategory(t, io);
}

async function planLaunch(ctx: ActionContext, p: Params, mode: 'run' | 'create'): Promise<LaunchPlan> {
  const amount: number = mode === 'run' ? p.Amount ?? 1 : 1;
  if (amount < 1 || amount > 100) throw new EcsError('InvalidParam.Amount', 'The specified Amount must be from 1 to 100.');
  if (p.MinAmount !== undefined && p.MinAmount > amount) throw new EcsError('InvalidMinAmount.Malformed', 'The specified parameter MinAmount must not be greater than Amount.');
  if (!p.InstanceType) throw new EcsError('MissingParameter', 'The input parameter "InstanceType" that is mandatory for processing this request is not supplied.');
  if (!p.ImageId) throw new EcsError('MissingParameter', 'The input parameter "ImageId" that is mandatory for processing this request is not supplied.');
  const type = resolveInstanceType(p.InstanceType);
  applyIoOptimized(type, p.IoOptimized, mode);
  const image = await resolveImage(ctx, p.ImageId);
  checkImageFitsType(image, type);
  // NetworkInterface.N: the primary entry spells the flat network parameters, the secondary one is an ENI.
  const catalogType = findInstanceType(type.id)!;
  const nics = launchInterfaces(p.NetworkInterface, {
    VSwitchId: p.VSwitchId, SecurityGroupId: p.SecurityGroupId, SecurityGroupIds: p.SecurityGroupIds, PrivateIpAddress: p.PrivateIpAddress,
    NetworkInterfaceQueueNumber: p.NetworkInterfaceQueueNumber,
  }, amount, { id: type.id, eniQuantity: catalogType.eniQuantity, queues: catalogType.queues });
  if (!nics.ok) throw new EcsError(nics.refusal.code, nics.refusal.message, nics.refusal.status);
  const net = nics.value.flat;

  if (!net.VSwitchId) throw new EcsError('InvalidVSwitchId.Necessary', 'The VSwitchId is necessary.');
  const vswitch = await resolveVSwitch(ctx, net.VSwitchId);
  if (p.ZoneId && p.ZoneId !== vswitch.zoneId) {
    throw new EcsError('InvalidParameter.VSwitchId', `The specified VSwitch "${vswitch.id}" is in zone ${vswitch.zoneId}, not in ZoneId ${p.ZoneId}.`);
  }

  const single: string | undefined = net.SecurityGroupId;
  const multi: string[] = net.SecurityGroupIds ?? [];
  if (single && multi.length) throw new EcsError('InvalidSecurityGroupId.SingleIdAndMultiIdConflict', 'SecurityGroupId and SecurityGroupIds.N cannot be specified together.');
  const groupIds = single ? [single] : multi;
  if (groupIds.length === 0) throw new EcsError('MissingParameter', 'The input parameter "SecurityGroupId" that is mandatory for processing this request is not supplied.');
  if (new Set(groupIds).size !== groupIds.length) throw new EcsError('InvalidParameter.SecurityGroupIdRepeated', 'The specified SecurityGroupIds.N contain duplicates.');
  if (groupIds.length > MAX_GROUPS_PER_INSTANCE) throw new EcsError('InstanceSecurityGroupLimitExceeded', `An instance can join at most ${MAX_GROUPS_PER_INSTANCE} security groups.`, 403);
  const groups = await resolveSecurityGroups(ctx, groupIds);
  for (const g of groups) {
    if (g.vpcId !== vswitch.vpcId) throw new EcsError('InvalidSecurityGroup.VpcMismatch', `The security group ${g.id} and the VSwitch ${vswitch.id} are not in the same VPC.`);
  }
  if (new Set(groups.map((g) => g.type)).size > 1) {
    throw new EcsError('EnterpriseGroupLimited.MutliGroupType', 'An instance cannot join basic and advanced (enterprise) security groups at the same time.', 403);
  }
  await checkGroupCapacity(ctx, groups, amount, 'SecurityGroupInstanceLimitExceed');
  const ipv6 = await planLaunchIpv6(ctx, p, { vswitchId: vswitch.id, amount, eniIpv6: catalogType.eniIpv6, typeId: type.id });
  const secondaryEni = nics.value.secondary && await planLaunchInterface(ctx, nics.value.secondary, { vswitch, groups, type: catalogType, amount });

  // Names: InstanceName defaults to the instance id; HostName to iZ<id>Z (filled in at insert).
  const uniqueSuffix = p.UniqueSuffix === true;
  const names: string[] = [];
  for (let i = 0; i < amount; i++) {
    if (p.InstanceName) {
      const n = orderedName(p.InstanceName, i, uniqueSuffix && amount > 1, 'InstanceName');
      checkInstanceName(n);
      names.push(n);
    } else names.push('');
  }
  if (p.HostName && p.HostNames?.length) throw new EcsError('InvalidHostName.Malformed', 'HostName and HostNames.N cannot be specified together.');
  if (p.HostNames?.length && p.HostNames.length !== amount) throw new EcsError('InvalidHostName.Malformed', 'The number of HostNames.N must equal Amount.');
  const hostNames: (string | undefined)[] = [];
  for (let i = 0; i < amount; i++) {
    const h: string | undefined = p.HostNames?.[i] ?? (p.HostName ? orderedName(p.HostName, i, uniqueSuffix && amount > 1, 'HostName') : undefined);
    if (h !== undefined) checkHostName(withInstanceId(h, 'i-placeholder0000000000'), image.osType);
    hostNames.push(h);
  }

  let passwordSealed = '';
  if (p.Password !== undefined && p.Password !== '') {
    if (p.PasswordInherit === true) throw new EcsError('InvalidPasswordParam.Mismatch', 'The input password should be null when PasswordInherit is true.');
    checkPassword(p.Password, image.osType);
    passwordSealed = sealer(ctx).seal(p.Password);
  }
  let keyPairName = '';
  if (p.KeyPairName) {
    if (image.osType === 'windows') throw new EcsError('InvalidParameter.KeyPairName', 'Key pairs are supported by Linux instances only.', 400);
    if (!(await keyPairExists(ctx, p.KeyPairName))) throw new EcsError('InvalidKeyPairName.NotFound', `The specified parameter KeyPairName "${p.KeyPairName}" does not exist in our records.`);
    keyPairName = p.KeyPairName;
  }
  const ramRoleName = p.RamRoleName ? (await usableInstanceRole(ctx, p.RamRoleName)).name : '';
  const userData = p.UserData ? decodeUserData(p.UserData) : '';

  const systemDisk = diskPlan('system', {
    Category: p['SystemDisk.Category'], Size: p['SystemDisk.Size'], DiskName: p['SystemDisk.DiskName'],
    Description: p['SystemDisk.Description'], PerformanceLevel: p['SystemDisk.PerformanceLevel'], DeleteWithInstance: true,
  }, type, image);
  systemDisk.snapshotId = await imageSystemSnapshot(ctx, image.id);
  // The image's data disks and DataDisk.N, with devices and snapshot sizes resolved (launch-disks.ts).
  const dataDisks = (await resolveDataDisks(ctx, image.id, p.DataDisk ?? [], type.defaultSystemDiskCategory)).map((d) => diskPlan('data', d, type));
  if (dataDisks.length > MAX_DATA_DISKS) throw new EcsError('InstanceDiskNumber.LimitExceed', `An instance can have at most ${MAX_DATA_DISKS} data disks.`);
  checkZoneOffers(ctx.regionId, vswitch.zoneId, type, [systemDisk.category, ...dataDisks.map((d: DiskPlan) => d.category)]);

  const tags = tagsFromParams(p.Tag);
  if (tags.length > MAX_TAGS_PER_RESOURCE) throw new EcsError('NumberExceed.Tags', `The Tags parameter's number is exceed, Valid: ${MAX_TAGS_PER_RESOURCE}.`);

  const metadataOptions = metadataOptionsFrom(p);
  const autoReleaseTime = p.AutoReleaseTime ? checkReleaseTime(p.AutoReleaseTime, ctx.now()) : null;
  const bandwidthOut: number = p.InternetMaxBandwidthOut ?? 0;
  if (bandwidthOut < 0 || bandwidthOut > 100) throw new EcsError('InvalidParameter.Bandwidth', 'InternetMaxBandwidthOut must be from 0 to 100 Mbit/s.', 400);
  const chargeType = p.InstanceChargeType ?? 'PostPaid';
  if (chargeType !== 'PostPaid' && chargeType !== 'PrePaid') throw new EcsError('InvalidInstanceChargeType.ValueNotSupported', `InstanceChargeType "${chargeType}" is not supported.`, 400);
  const privatePool = privatePoolFrom(p['PrivatePoolOptions.MatchCriteria'], p['PrivatePoolOptions.Id']);
  const spot = spotOptionsOf({
    strategy: p.SpotStrategy, priceLimit: p.SpotPriceLimit, duration: p.SpotDuration, interruptionBehavior: p.SpotInterruptionBehavior,
    chargeType, deletionProtection: p.DeletionProtection === true, privatePoolTarget: privatePool.matchCriteria === 'Target', mode,
  }, () => currentSpotPrice(ctx, vswitch.zoneId, type.id, image.osType));
  if (p.Description !== undefined && (String(p.Description).length > 256 || /^https?:\/\//i.test(p.Description))) {
    throw new EcsError('InvalidDescription.Malformed', 'The specified parameter "Description" is not valid: at most 256 characters, not starting with http:// or https://.');
  }
  return {
    amount, type, image, vswitch, groupIds, groups, names, hostNames,
    description: p.Description ?? '',
    passwordSealed, keyPairName, ramRoleName, userData, systemDisk, dataDisks, tags, autoReleaseTime, bandwidthOut,
    bandwidthIn: p.InternetMaxBandwidthIn ?? 0,
    chargeType,
    internetChargeType: p.InternetChargeType ?? 'PayByTraffic',
    deletionProtection: p.DeletionProtection === true,
    privateIp: net.PrivateIpAddress || undefined,
    primaryQueueNumber: net.NetworkInterfaceQueueNumber,
    secondaryEni,
    ipv6,
    resourceGroupId: await resolveResourceGroup(ctx, p.ResourceGroupId),
    creditSpecification: p.CreditSpecification ?? (type.id.startsWith('ecs.t') ? 'Standard' : ''),
    metadataOptions,
    privatePool,
    spot,
    jumboFrames: launchJumboFrames(type.id, p.NetworkOptions?.EnableJumboFrame),
    subscription: subscriptionOf(checkSubscription({ chargeType, period: p.Period, periodUnit: p.PeriodUnit, autoRenew: p.AutoRenew, autoRenewPeriod: p.AutoRenewPeriod }, ctx.now())),
  };
}

async function launch<T extends Record<string, unknown>>(ctx: ActionContext, plan: LaunchPlan, desired: 'Running' | 'Stopped', respond: (ids: string[]) => T): Promise<T> {
  const ids = Array.from({ length: plan.amount }, () => newId('i-'));
  const now = ctx.now();
  return ctx.mutate(async (trx) => {
    // Locks in the order of store/row-locks.ts: the resource group, the security groups, the role,
    // the VSwitch (its addresses), then the image and snapshots the disks start from.
    await holdResourceGroup(ctx, trx, plan.resourceGroupId);
    // The groups' capacity again with their rows locked: concurrent launches into one group count one another.
    const eniLocks = launchInterfaceLocks(plan.secondaryEni);
    await lockRows(trx, 'security_groups', [...plan.groupIds, ...eniLocks.groupIds]);
    await checkGroupCapacity(ctx, plan.groups, plan.amount, 'SecurityGroupInstanceLimitExceed', trx);
    // The role stays until these instances hold it: a concurrent DeleteRole waits, then sees them.
    if (plan.ramRoleName) await holdInstanceRole(trx, { account_id: ctx.principal.accountId, name: plan.ramRoleName });
    // Every row of the batch is built first and written with one INSERT per table (store/batch.ts):
    // a statement per row made RunInstances Amount=100 cost ~1,000 statements.
    // The VSwitches in id order (row-locks.ts) before any address of either is taken.
    await lockRows(trx, 'vswitches', [plan.vswitch.id, ...eniLocks.vswitchIds]);
    const privateIps = await allocatePrivateIps(trx, { vswitchId: plan.vswitch.id, instanceIds: ids, requested: plan.privateIp });
    // A concurrent DeleteImage waits and then counts these instances; DeleteSnapshot these disks.
    await holdImage(ctx, trx, plan.image.id, ctx.regionId);
    await holdSnapshots(trx, [plan.systemDisk.snapshotId], (id) => new EcsError('InvalidImageId.NotFound', `The snapshot ${id} of the image "${plan.image.id}" does not exist.`));
    await holdSnapshots(trx, plan.dataDisks.map((d) => d.snapshotId), (id) => new EcsError('InvalidDataDiskSnapshotId.NotFound', `The specified parameter "DataDisk.n.SnapshotId" (${id}) is not valid: the snapshot was deleted.`));
    const publicBatch: PublicIpBatch = {};
    const rows: InstanceRow[] = [];
    const enis: NetworkInterfaceRow[] = [];
    const diskRows: DiskRow[] = [];
    const tagRows: Insertable<TagTable>[] = [];
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i]!;
      const ip = privateIps[i]!;
      // A public address from the operator's pool (src/domain/public-ip-pool.ts) when bandwidth is bought.
      const publicIp = plan.bandwidthOut > 0
        ? await allocatePublicIp(trx, ctx.config.publicIpPool, { accountId: ctx.principal.accountId, regionId: ctx.regionId, instanceId: id, now, batch: publicBatch })
        : '';
      const row: InstanceRow = {
        id,
        account_id: ctx.principal.accountId,
        region_id: ctx.regionId,
        zone_id: plan.vswitch.zoneId,
        name: plan.names[i] || id,
        description: plan.description,
        host_name: plan.hostNames[i] ? withInstanceId(plan.hostNames[i]!, id) : defaultHostName(id),
        instance_type: plan.type.id,
        cpu: plan.type.cpu,
        memory: plan.type.memoryMiB,
        image_id: plan.image.id,
        os_type: plan.image.osType,
        os_name: plan.image.osName,
        status: 'Pending',
        desired_status: desired,
        status_changed_at: now,
        vpc_id: plan.vswitch.vpcId,
        vswitch_id: plan.vswitch.id,
        private_ip: ip,
        public_ip: publicIp,
        key_pair_name: plan.keyPairName,
        password_sealed: plan.passwordSealed,
        user_data: plan.userData,
        instance_charge_type: plan.chargeType,
        internet_charge_type: plan.internetChargeType,
        internet_max_bandwidth_out: plan.bandwidthOut,
        internet_max_bandwidth_in: plan.bandwidthIn,
        deletion_protection: plan.deletionProtection ? 1 : 0,
        auto_release_time: plan.autoReleaseTime,
        stopped_mode: '',
        credit_specification: plan.creditSpecification,
        serial_number: randomUUID(),
        resource_group_id: plan.resourceGroupId,
        created_at: now,
        started_at: null,
        deleted_at: null,
        metadata_http_endpoint: plan.metadataOptions.httpEndpoint,
        metadata_http_tokens: plan.metadataOptions.httpTokens,
        metadata_hop_limit: plan.metadataOptions.hopLimit,
        metadata_tags: plan.metadataOptions.tags,
        row_version: 0,
        maintenance_start_time: '',
        maintenance_end_time: '',
        maintenance_action: DEFAULT_ACTION_ON_MAINTENANCE,
        maintenance_notify: 0,
        private_pool_match_criteria: plan.privatePool.matchCriteria,
        private_pool_id: plan.privatePool.id,
        enable_jumbo_frame: plan.jumboFrames ? 1 : 0,
        expires_at: plan.subscription.expiresAt,
        renewal_status: plan.subscription.renewalStatus,
        renewal_duration: plan.subscription.renewalDuration,
        renewal_unit: plan.subscription.renewalUnit,
        expiry_stopped_at: null,
        expiry_restart: 0,
        force_stop: 0,
        vnc_password_sealed: '',
        metadata_generation: 0,
        ram_role_name: plan.ramRoleName,
        ram_role_policy: '',
        spot_strategy: plan.spot.strategy,
        spot_price_limit: plan.spot.priceLimit,
        spot_duration: plan.spot.duration,
        spot_interruption_behavior: plan.spot.interruptionBehavior,
        spot_termination_at: null,
        renew_downgrade_type: '',
        renew_downgrade_at: null,
      };
      rows.push(row);
      enis.push({
        id: newId('eni-'), account_id: row.account_id, region_id: row.region_id, zone_id: row.zone_id, vpc_id: row.vpc_id,
        vswitch_id: row.vswitch_id, instance_id: id, type: 'Primary', status: 'InUse', name: '', description: '',
        mac_address: macAddress(id), primary_ip: ip, traffic_mode: 'Standard', resource_group_id: row.resource_group_id,
        device_index: 0, network_card_index: 0, queue_number: plan.primaryQueueNumber ?? Math.max(1, Math.min(plan.type.cpu, 8)), queue_pair_number: 0,
        source_dest_check: 0, delete_on_release: 1, created_at: now,
      });
      const disks = [plan.systemDisk, ...plan.dataDisks];
      for (let d = 0; d < disks.length; d++) {
        const disk = disks[d]!;
        const diskRow: DiskRow = {
          id: newId('d-'),
          account_id: ctx.principal.accountId,
          region_id: ctx.regionId,
          zone_id: plan.vswitch.zoneId,
          instance_id: id,
          type: d === 0 ? 'system' : 'data',
          category: disk.category,
          size: disk.size,
          name: disk.name,
          description: disk.description,
          status: 'In_use',
          device: disk.device || `/dev/xvd${String.fromCharCode(97 + d)}`,
          delete_with_instance: disk.deleteWithInstance ? 1 : 0,
          delete_auto_snapshot: 1,
          enable_auto_snapshot: 0,
          image_id: d === 0 ? plan.image.id : '',
          source_snapshot_id: disk.snapshotId,
          performance_level: disk.performanceLevel,
          provisioned_iops: 0,
          bursting_enabled: 0,
          encrypted: disk.encrypted ? 1 : 0,
          portable: d === 0 ? 0 : 1,
          resource_group_id: plan.resourceGroupId,
          created_at: now,
          attached_at: now,
          detached_at: null,
          reset_snapshot_id: '',
          resize_from: 0,
          // A subscription's disks are bought with it (DescribeDisks DiskChargeType).
          charge_type: plan.chargeType,
          charge_type_changed_at: null,
        };
        diskRows.push(diskRow);
      }
      // A new instance has no tags yet, and planLaunch checked the count and the keys.
      for (const t of plan.tags) {
        tagRows.push({ account_id: ctx.principal.accountId, region_id: ctx.regionId, resource_type: 'instance', resource_id: id, key: t.Key, value: t.Value });
      }
    }
    // Before the instances' group memberships are written: the ENI groups' capacity counts them apart.
    const eniOps = plan.secondaryEni
      ? await attachLaunchInterfaces(ctx, trx, plan.secondaryEni, { vswitch: plan.vswitch, groups: plan.groups, type: findInstanceType(plan.type.id)!, amount: plan.amount },
        rows.map((r) => ({ id: r.id, accountId: r.account_id, resourceGroupId: r.resource_group_id })), now)
      : [];
    await insertRows(trx, 'instances', rows);
    await insertRows(trx, 'network_interfaces', enis);
    await takeLaunchIpv6(ctx, trx, plan.ipv6, enis.map((e) => e.id));
    await insertRows(trx, 'transitions', ids.map((id) => ({ resource_id: id, from_status: '', to_status: 'Pending', at: now })));
    await insertRows(trx, 'instance_security_groups', ids.flatMap((id) => plan.groupIds.map((g, position) => ({ instance_id: id, security_group_id: g, position }))));
    await requestSecurityPolicy(trx, now);
    await insertRows(trx, 'disks', diskRows);
    await insertRows(trx, 'tags', tagRows);
    await enqueueMany(trx, [...ids.map((id) => ({ kind: 'instance', resourceId: id, accountId: ctx.principal.accountId, dueAt: now })), ...eniOps], now);
    // Returned from inside the transaction so a ClientToken replay answers the same ids.
    return respond(ids);
  });
}

export const instanceCreateActions = ecsHandlers({
  async RunInstances(ctx, p) {
    const plan = await planLaunch(ctx, p, 'run');
    if (plan.chargeType === 'PostPaid') await refuseIfInArrears(ctx, 400);
    return launch(ctx, plan, 'Running', (ids) => ({ InstanceIdSets: { InstanceIdSet: ids } }));
  },

  async CreateInstance(ctx, p) {
    const plan = await planLaunch(ctx, p, 'create');
    if (plan.chargeType === 'PostPaid') await refuseIfInArrears(ctx, 400);
    return launch(ctx, plan, 'Stopped', (ids) => ({ InstanceId: ids[0] }));
  },
});
