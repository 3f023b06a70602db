/** Renders instance rows in the shapes of DescribeInstances and DescribeInstanceAttribute. */
import { createHash } from 'node:crypto';
import { isoMinute, PAY_AS_YOU_GO_EXPIRED_TIME } from '../domain/time.js';
import type { Tag } from '../domain/tags.js';
import { renderTags } from '../store/tags.js';
import type { InstanceRow } from '../store/instances.js';
import type { NetworkInterfaceWithIps } from '../store/network-interfaces.js';
import type { EcsActions } from '../api/generated/ecs-types.js';

export function instanceTypeFamily(type: string): string {
  const parts = type.split('.');
  return parts.length >= 3 ? parts.slice(0, 2).join('.') : type;
}

const ips = (ip: string) => ({ IpAddress: ip ? [ip] : [] });

/**
 * The instance's locks: `financial` while a subscription is stopped for expiry, `Recycling` while
 * a spot instance's interruption notice runs (src/domain/instances/spot.ts).
 */
function operationLocks(r: InstanceRow): { LockReason: string }[] {
  const locks: { LockReason: string }[] = [];
  if (r.expiry_stopped_at !== null) locks.push({ LockReason: 'financial' });
  if (r.spot_termination_at !== null) locks.push({ LockReason: 'Recycling' });
  return locks;
}

function common(r: InstanceRow, groups: string[]) {
  return {
    InstanceId: r.id,
    InstanceName: r.name,
    Description: r.description,
    HostName: r.host_name,
    Status: r.status,
    RegionId: r.region_id,
    ZoneId: r.zone_id,
    InstanceType: r.instance_type,
    Cpu: r.cpu,
    Memory: r.memory,
    ImageId: r.image_id,
    SerialNumber: r.serial_number,
    CreationTime: isoMinute(r.created_at),
    ExpiredTime: r.expires_at ? isoMinute(r.expires_at) : PAY_AS_YOU_GO_EXPIRED_TIME,
    InstanceChargeType: r.instance_charge_type,
    InternetChargeType: r.internet_charge_type,
    InternetMaxBandwidthOut: r.internet_max_bandwidth_out,
    InternetMaxBandwidthIn: r.internet_max_bandwidth_in,
    InstanceNetworkType: 'vpc',
    StoppedMode: r.status === 'Stopped' ? r.stopped_mode || 'KeepCharging' : '',
    CreditSpecification: r.credit_specification,
    SecurityGroupIds: { SecurityGroupId: groups },
    PublicIpAddress: ips(r.public_ip),
    InnerIpAddress: { IpAddress: [] as string[] },
    VpcAttributes: { VpcId: r.vpc_id, VSwitchId: r.vswitch_id, NatIpAddress: '', PrivateIpAddress: ips(r.private_ip) },
    EipAddress: { IpAddress: '', AllocationId: '', InternetChargeType: '', Bandwidth: 0 },
    // A subscription stopped for expiry is locked until renewed (src/domain/instances/subscription-lifecycle.ts).
    OperationLocks: { LockReason: operationLocks(r) },
  };
}

/**
 * DescribeInstances renders the same unchanged instances page after page; building and encoding
 * each item was most of a call's time, so each instance's item is kept as JSON text and reused
 * while its inputs (the row, its groups, tags and primary ENI) are unchanged. The key is a digest
 * of all of those inputs, so a stale item cannot be served. Bounded by the text's size, least
 * recently used out first.
 */
const itemCache = new Map<string, { key: string; json: string }>();
const ITEM_CACHE_BYTES = 64 * 1024 * 1024;
let itemCacheBytes = 0;

function inputsKey(r: InstanceRow, groups: string[], tags: Tag[] | undefined, eni: NetworkInterfaceWithIps | undefined): string {
  // Every column by value (a row read twice has its columns in the same order; null is not "null").
  let text = '';
  for (const v of Object.values(r)) text += v === null ? '\u0000\u0001' : `${v}\u0001`;
  text += `\u0002${groups.join('\u0001')}\u0002`;
  for (const t of tags ?? []) text += `${t.Key}\u0001${t.Value}\u0003`;
  text += `\u0002${eni ? JSON.stringify(eni) : ''}`;
  return createHash('sha1').update(text).digest('base64');
}

/** The instance's DescribeInstances item as JSON text. */
export function describeInstanceItemJson(r: InstanceRow, groups: string[], tags: Tag[] | undefined, eni: NetworkInterfaceWithIps | undefined): string {
  const key = inputsKey(r, groups, tags, eni);
  const hit = itemCache.get(r.id);
  if (hit) {
    itemCache.delete(r.id);
    if (hit.key === key) { itemCache.set(r.id, hit); return hit.json; }
    itemCacheBytes -= hit.json.length;
  }
  const json = JSON.stringify(buildItem(r, groups, tags, eni));
  itemCache.set(r.id, { key, json });
  itemCacheBytes += json.length;
  for (const [id, e] of itemCache) {
    if (itemCacheBytes <= ITEM_CACHE_BYTES) break;
    itemCache.delete(id);
    itemCacheBytes -= e.json.length;
  }
  return json;
}

export function describeInstanceItem(r: InstanceRow, groups: string[], tags: Tag[] | undefined, eni: NetworkInterfaceWithIps | undefined) {
  return buildItem(r, groups, tags, eni);
}

/** Physical cores and threads of the instance's vCPUs (two threads per core from 2 vCPUs up). */
function cpuOptions(r: InstanceRow) {
  return { CoreCount: Math.max(1, Math.floor(r.cpu / 2)), ThreadsPerCore: r.cpu > 1 ? 2 : 1, Numa: '', TopologyType: '' };
}

/** The primary ENI as DescribeInstances lists it; Terraform resolves every id here with DescribeNetworkInterfaces. */
function networkInterfaces(eni: NetworkInterfaceWithIps | undefined) {
  if (!eni) return { NetworkInterface: [] };
  return {
    NetworkInterface: [{
      Type: eni.type,
      NetworkInterfaceId: eni.id,
      MacAddress: eni.mac_address,
      PrimaryIpAddress: eni.primary_ip,
      // NETWORK_PRIMARY_ENI_IP: the secondary addresses of the primary ENI too.
      PrivateIpSets: { PrivateIpSet: [eni.primary_ip, ...eni.secondary_ips].map((ip, i) => ({ PrivateIpAddress: ip, Primary: i === 0 })) },
      Ipv6Sets: { Ipv6Set: [] as { Ipv6Address: string }[] },
      Ipv4PrefixSets: { Ipv4PrefixSet: [] as { Ipv4Prefix: string }[] },
      Ipv6PrefixSets: { Ipv6PrefixSet: [] as { Ipv6Prefix: string }[] },
    }],
  };
}

export type DescribeInstancesItem = NonNullable<NonNullable<EcsActions['DescribeInstances']['response']['Instances']>['Instance']>[number];

function buildItem(r: InstanceRow, groups: string[], tags: Tag[] | undefined, eni: NetworkInterfaceWithIps | undefined) {
  const item = {
    ...common(r, groups),
    InstanceTypeFamily: instanceTypeFamily(r.instance_type),
    OSType: r.os_type,
    OSName: r.os_name,
    OSNameEn: r.os_name,
    StartTime: r.started_at ? isoMinute(r.started_at) : '',
    AutoReleaseTime: r.auto_release_time ? isoMinute(r.auto_release_time) : '',
    DeletionProtection: r.deletion_protection === 1,
    KeyPairName: r.key_pair_name,
    ResourceGroupId: r.resource_group_id,
    IoOptimized: true,
    DeviceAvailable: true,
    Recyclable: false,
    GPUAmount: 0,
    GPUSpec: '',
    LocalStorageAmount: 0,
    LocalStorageCapacity: 0,
    SpotStrategy: r.spot_strategy,
    SpotPriceLimit: r.spot_price_limit,
    SpotDuration: r.spot_duration,
    SpotInterruptionBehavior: r.spot_interruption_behavior,
    DeploymentSetId: '',
    DeploymentSetGroupNo: 0,
    HpcClusterId: '',
    VlanId: '',
    ClusterId: '',
    ISP: '',
    DedicatedHostAttribute: { DedicatedHostId: '', DedicatedHostName: '', DedicatedHostClusterId: '' },
    DedicatedInstanceAttribute: { Affinity: '', Tenancy: '' },
    EcsCapacityReservationAttr: { CapacityReservationId: '', CapacityReservationPreference: '' },
    RdmaIpAddress: { IpAddress: [] as string[] },
    NetworkInterfaces: networkInterfaces(eni),
    Tags: renderTags(tags),
    MetadataOptions: { HttpEndpoint: r.metadata_http_endpoint, HttpTokens: r.metadata_http_tokens, HttpPutResponseHopLimit: r.metadata_hop_limit },
    HibernationOptions: { Configured: false },
    ImageOptions: { LoginAsNonRoot: false },
    CpuOptions: cpuOptions(r),
  } satisfies DescribeInstancesItem;
  // DISK_HIGH_DENSITY_MODE, read by Terraform's provider; newer than the 2024-06 metadata's shape.
  const beyondSpec: Record<string, unknown> = { AdditionalInfo: { EnableHighDensityMode: false } };
  return { ...item, ...beyondSpec };
}

export function instanceAttribute(r: InstanceRow, groups: string[]) {
  return { ...common(r, groups), IoOptimized: 'optimized', VlanId: '', ClusterId: '', EnableJumboFrame: r.enable_jumbo_frame === 1 };
}

