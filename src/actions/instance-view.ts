/** Renders instance rows in the shapes of DescribeInstances and DescribeInstanceAttribute. */
import { isoMinute, PAY_AS_YOU_GO_EXPIRED_TIME } from '../domain/time.js';
import type { Tag } from '../domain/tags.js';
import { renderTags } from '../store/tags.js';
import type { InstanceRow, ListedInstance } from '../store/instances.js';
import type { AttachedInterface } from '../store/network-interfaces.js';
import type { EipRow } from '../store/eips.js';
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

/** The EIP an instance has (store/eips.ts eipsOfInstances), as EipAddress shows it. */
export type InstanceEip = Pick<EipRow, 'id' | 'ip_address' | 'bandwidth' | 'internet_charge_type' | 'status'>;

function eipAddress(e: InstanceEip | undefined) {
  return e
    ? { IpAddress: e.ip_address, AllocationId: e.id, InternetChargeType: e.internet_charge_type, Bandwidth: e.bandwidth }
    : { IpAddress: '', AllocationId: '', InternetChargeType: '', Bandwidth: 0 };
}

function common(r: InstanceRow, groups: string[], eip?: InstanceEip) {
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
    EipAddress: eipAddress(eip),
    // A subscription stopped for expiry is locked until renewed (src/domain/instances/subscription-lifecycle.ts).
    OperationLocks: { LockReason: operationLocks(r) },
  };
}

/**
 * DescribeInstances renders the same unchanged instances page after page; reading whole rows and
 * building and encoding each item was most of a call's time. So each instance's item is kept as
 * JSON text, per store, with the inputs it was rendered from: the row's version (which the store
 * moves on every update of the row, migration 0035), its groups, tags and attached ENIs. A page
 * reads its instances' ids and versions only, and reads and renders in full just those whose
 * inputs moved, so a stale item cannot be served. Bounded by the text's size, least recently used
 * out first.
 */
interface ItemCache { items: Map<string, { key: string; json: string }>; bytes: number }
const itemCaches = new WeakMap<object, ItemCache>();
const ITEM_CACHE_BYTES = 64 * 1024 * 1024;

function itemKey(version: number, groups: string[], tags: Tag[] | undefined, enis: AttachedInterface[] | undefined, eip: InstanceEip | undefined): string {
  let text = `${version}\u0002${groups.join('\u0001')}\u0002`;
  for (const t of tags ?? []) text += `${t.Key}\u0001${t.Value}\u0003`;
  return `${text}\u0002${enis ? JSON.stringify(enis) : ''}\u0002${eip ? `${eip.id}\u0001${eip.ip_address}\u0001${eip.bandwidth}\u0001${eip.internet_charge_type}` : ''}`;
}

/**
 * The DescribeInstances items of a page as JSON text, in the page's order; `readRows` reads the
 * rows of the ids not rendered at their version yet (an instance gone meanwhile is left out).
 */
export async function describeInstanceItemsJson(
  store: object, page: ListedInstance[], groups: Map<string, string[]>, tags: Map<string, Tag[]>, enis: Map<string, AttachedInterface[]>,
  readRows: (ids: string[]) => Promise<InstanceRow[]>,
  eips: Map<string, InstanceEip> = new Map(),
): Promise<string[]> {
  let cache = itemCaches.get(store);
  if (!cache) { cache = { items: new Map(), bytes: 0 }; itemCaches.set(store, cache); }
  const inputs = (id: string, version: number) => itemKey(version, groups.get(id) ?? [], tags.get(id), enis.get(id), eips.get(id));
  const out = new Map<string, string>();
  const missing: string[] = [];
  for (const k of page) {
    const hit = cache.items.get(k.id);
    if (hit && hit.key === inputs(k.id, k.row_version)) {
      cache.items.delete(k.id);
      cache.items.set(k.id, hit);
      out.set(k.id, hit.json);
    } else {
      missing.push(k.id);
    }
  }
  for (const r of missing.length ? await readRows(missing) : []) {
    const json = JSON.stringify(buildItem(r, groups.get(r.id) ?? [], tags.get(r.id), enis.get(r.id), eips.get(r.id)));
    const old = cache.items.get(r.id);
    if (old) { cache.items.delete(r.id); cache.bytes -= old.json.length + old.key.length; }
    const key = inputs(r.id, r.row_version);
    cache.items.set(r.id, { key, json });
    cache.bytes += json.length + key.length;
    out.set(r.id, json);
  }
  for (const [id, e] of cache.items) {
    if (cache.bytes <= ITEM_CACHE_BYTES) break;
    cache.items.delete(id);
    cache.bytes -= e.json.length + e.key.length;
  }
  return page.flatMap((k) => out.get(k.id) ?? []);
}

export function describeInstanceItem(r: InstanceRow, groups: string[], tags: Tag[] | undefined, enis: AttachedInterface[] | undefined) {
  return buildItem(r, groups, tags, enis);
}

/** Physical cores and threads of the instance's vCPUs (two threads per core from 2 vCPUs up). */
function cpuOptions(r: InstanceRow) {
  return { CoreCount: Math.max(1, Math.floor(r.cpu / 2)), ThreadsPerCore: r.cpu > 1 ? 2 : 1, Numa: '', TopologyType: '' };
}

/**
 * The attached ENIs as DescribeInstances lists them, the primary first (`Type` Primary/Secondary:
 * Terraform finds the primary by its Type and resolves every id here with DescribeNetworkInterfaces).
 */
function networkInterfaces(enis: AttachedInterface[] | undefined) {
  return {
    NetworkInterface: (enis ?? []).map((eni) => ({
      Type: eni.type,
      NetworkInterfaceId: eni.id,
      MacAddress: eni.mac_address,
      PrimaryIpAddress: eni.primary_ip,
      // NETWORK_PRIMARY_ENI_IP: the secondary addresses of each ENI too.
      PrivateIpSets: { PrivateIpSet: [eni.primary_ip, ...eni.secondary_ips].map((ip, i) => ({ PrivateIpAddress: ip, Primary: i === 0 })) },
      Ipv6Sets: { Ipv6Set: eni.ipv6_addresses.map((a) => ({ Ipv6Address: a })) },
      Ipv4PrefixSets: { Ipv4PrefixSet: [] as { Ipv4Prefix: string }[] },
      Ipv6PrefixSets: { Ipv6PrefixSet: [] as { Ipv6Prefix: string }[] },
    })),
  };
}

export type DescribeInstancesItem = NonNullable<NonNullable<EcsActions['DescribeInstances']['response']['Instances']>['Instance']>[number];

function buildItem(r: InstanceRow, groups: string[], tags: Tag[] | undefined, enis: AttachedInterface[] | undefined, eip?: InstanceEip) {
  const item = {
    ...common(r, groups, eip),
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
    NetworkInterfaces: networkInterfaces(enis),
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

export function instanceAttribute(r: InstanceRow, groups: string[], eip?: InstanceEip) {
  return { ...common(r, groups, eip), IoOptimized: 'optimized', VlanId: '', ClusterId: '', EnableJumboFrame: r.enable_jumbo_frame === 1 };
}

