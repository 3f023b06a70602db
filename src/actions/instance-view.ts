/** Renders instance rows in the shapes of DescribeInstances and DescribeInstanceAttribute. */
import { macAddress } from '../domain/instances/mac.js';
import { isoMinute, PAY_AS_YOU_GO_EXPIRED_TIME } from '../domain/time.js';
import type { Tag } from '../domain/tags.js';
import { renderTags } from '../store/tags.js';
import type { InstanceRow } from '../store/instances.js';

export function instanceTypeFamily(type: string): string {
  const parts = type.split('.');
  return parts.length >= 3 ? parts.slice(0, 2).join('.') : type;
}

const ips = (ip: string) => ({ IpAddress: ip ? [ip] : [] });

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
    ExpiredTime: PAY_AS_YOU_GO_EXPIRED_TIME,
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
    OperationLocks: { LockReason: [] as { LockReason: string }[] },
  };
}

/**
 * DescribeInstances renders the same unchanged instances page after page; building each item was
 * most of a call's time, so items are kept per instance and reused while their inputs (the row,
 * its groups and tags) are unchanged. The key is the inputs' JSON, so a stale item cannot be served.
 */
const itemCache = new Map<string, { key: string; item: ReturnType<typeof buildItem> }>();
const ITEM_CACHE_LIMIT = 50_000;

export function describeInstanceItem(r: InstanceRow, groups: string[], tags: Tag[] | undefined) {
  const key = JSON.stringify(r) + JSON.stringify(groups) + JSON.stringify(tags ?? null);
  const hit = itemCache.get(r.id);
  if (hit && hit.key === key) return hit.item;
  const item = buildItem(r, groups, tags);
  if (itemCache.size >= ITEM_CACHE_LIMIT) itemCache.clear();
  itemCache.set(r.id, { key, item });
  return item;
}

function buildItem(r: InstanceRow, groups: string[], tags: Tag[] | undefined) {
  return {
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
    SpotStrategy: 'NoSpot',
    SpotPriceLimit: 0,
    SpotDuration: 0,
    NetworkInterfaces: {
      NetworkInterface: [{
        Type: 'Primary',
        NetworkInterfaceId: `eni-${r.id.slice(2)}`,
        MacAddress: macAddress(r.id),
        PrimaryIpAddress: r.private_ip,
        PrivateIpSets: { PrivateIpSet: [{ PrivateIpAddress: r.private_ip, Primary: true }] },
      }],
    },
    Tags: renderTags(tags),
    MetadataOptions: { HttpEndpoint: r.metadata_http_endpoint, HttpTokens: r.metadata_http_tokens, HttpPutResponseHopLimit: r.metadata_hop_limit },
    HibernationOptions: { Configured: false },
    ImageOptions: { LoginAsNonRoot: false },
    CpuOptions: { CoreCount: Math.max(1, Math.floor(r.cpu / 2)), ThreadsPerCore: r.cpu > 1 ? 2 : 1, Numa: '' },
  };
}

export function instanceAttribute(r: InstanceRow, groups: string[]) {
  return { ...common(r, groups), IoOptimized: 'optimized', VlanId: '', ClusterId: '', EnableJumboFrame: false };
}

