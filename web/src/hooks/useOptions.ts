/** Option lists for selects in forms (first 100 of each, which is what a form can show). */
import { itemsWith } from '../api/answers';
import { acceptLanguage } from '../api/language';
import { useConsole } from './console';
import { useApiData } from './useApiData';

export function useZones() {
  const { client, region } = useConsole();
  return useApiData(async () => itemsWith((await client.call('DescribeZones', { RegionId: region, AcceptLanguage: acceptLanguage() })).Zones?.Zone, 'ZoneId'), [region]);
}

/** What a zone sells for a destination (SystemDisk, DataDisk...) given the instance type. */
export function useAvailable(destination: string, zoneId?: string, instanceType?: string) {
  const { client, region } = useConsole();
  return useApiData(async () => {
    if (!zoneId) return [];
    const r = await client.call('DescribeAvailableResource', {
      RegionId: region, DestinationResource: destination, ZoneId: zoneId, InstanceType: instanceType, ResourceType: 'instance',
    });
    const zone = r.AvailableZones?.AvailableZone?.find((z) => z.ZoneId === zoneId);
    const offered = (zone?.AvailableResources?.AvailableResource ?? []).flatMap((a) => a.SupportedResources?.SupportedResource ?? []);
    return itemsWith(offered, 'Value').filter((s) => s.Status === 'Available');
  }, [region, destination, zoneId, instanceType]);
}

export function useVpcs() {
  const { client, region } = useConsole();
  return useApiData(async () => itemsWith((await client.call('DescribeVpcs', { RegionId: region, PageSize: 50 })).Vpcs?.Vpc, 'VpcId'), [region]);
}

export function useVSwitches(vpcId?: string, zoneId?: string) {
  const { client, region } = useConsole();
  return useApiData(async () => vpcId
    ? itemsWith((await client.call('DescribeVSwitches', { RegionId: region, VpcId: vpcId, ZoneId: zoneId, PageSize: 50 })).VSwitches?.VSwitch, 'VSwitchId')
    : [], [region, vpcId, zoneId]);
}

export function useSecurityGroups(vpcId?: string) {
  const { client, region } = useConsole();
  return useApiData(async () => itemsWith((await client.call('DescribeSecurityGroups', { RegionId: region, VpcId: vpcId, PageSize: 50 })).SecurityGroups?.SecurityGroup, 'SecurityGroupId'), [region, vpcId]);
}

export function useKeyPairs() {
  const { client, region } = useConsole();
  return useApiData(async () => itemsWith((await client.call('DescribeKeyPairs', { RegionId: region, PageSize: 50 })).KeyPairs?.KeyPair, 'KeyPairName'), [region]);
}

export function useInstanceOptions() {
  const { client, region } = useConsole();
  return useApiData(async () => itemsWith((await client.call('DescribeInstances', { RegionId: region, PageSize: 100 })).Instances?.Instance, 'InstanceId'), [region]);
}

export function useDiskOptions() {
  const { client, region } = useConsole();
  return useApiData(async () => itemsWith((await client.call('DescribeDisks', { RegionId: region, PageSize: 100 })).Disks?.Disk, 'DiskId'), [region]);
}

export function useSnapshotOptions(diskId?: string) {
  const { client, region } = useConsole();
  return useApiData(async () => itemsWith((await client.call('DescribeSnapshots', { RegionId: region, DiskId: diskId, PageSize: 100 })).Snapshots?.Snapshot, 'SnapshotId'), [region, diskId]);
}
