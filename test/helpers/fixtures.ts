/** Builds the network an instance needs (VPC, VSwitch, security group) through the public API. */
import * as $Vpc from '@alicloud/vpc20160428';
import { $Ecs, type TestServer } from './server.js';

export interface Network { vpcId: string; vswitchId: string; zoneId: string; securityGroupId: string; imageId: string; windowsImageId: string }

export async function createNetwork(clients: Pick<TestServer, 'ecs' | 'vpc'>, regionId = 'cn-hangzhou', cidr = '192.168.0.0/16', vswitchCidr = cidr.replace(/\/16$/, '/20')): Promise<Network> {
  const zones = await clients.ecs.describeZones(new $Ecs.DescribeZonesRequest({ regionId }));
  const zoneId = zones.body!.zones!.zone![0]!.zoneId!;
  const vpc = await clients.vpc.createVpc(new $Vpc.CreateVpcRequest({ regionId, cidrBlock: cidr, vpcName: 'test-vpc' }));
  const vpcId = vpc.body!.vpcId!;
  const vsw = await clients.vpc.createVSwitch(new $Vpc.CreateVSwitchRequest({ regionId, vpcId, zoneId, cidrBlock: vswitchCidr, vSwitchName: 'test-vsw' }));
  const sg = await clients.ecs.createSecurityGroup(new $Ecs.CreateSecurityGroupRequest({ regionId, vpcId, securityGroupName: 'test-sg' }));
  const images = await clients.ecs.describeImages(new $Ecs.DescribeImagesRequest({ regionId, imageOwnerAlias: 'system', pageSize: 100 }));
  const list = images.body!.images!.image!;
  const linux = list.find((i) => i.OSType === 'linux' && i.architecture === 'x86_64') ?? list.find((i) => i.OSType === 'linux')!;
  const windows = list.find((i) => i.OSType === 'windows')!;
  return { vpcId, vswitchId: vsw.body!.vSwitchId!, zoneId, securityGroupId: sg.body!.securityGroupId!, imageId: linux.imageId!, windowsImageId: windows?.imageId ?? '' };
}

export function runRequest(n: Network, extra: Record<string, unknown> = {}) {
  return new $Ecs.RunInstancesRequest({
    regionId: 'cn-hangzhou', imageId: n.imageId, instanceType: 'ecs.g7.large', vSwitchId: n.vswitchId,
    securityGroupId: n.securityGroupId, ...extra,
  });
}

/**
 * The engine gives up after 3 failed attempts with a quick backoff (read from the environment when
 * a server starts), so a start that keeps failing settles within seconds of test clock. Returns
 * the function that puts the environment back.
 */
export function quickGiveUp(): () => void {
  const saved = { ...process.env };
  process.env.OPENECS_OPERATION_GIVE_UP_ATTEMPTS = '3';
  process.env.OPENECS_OPERATION_BACKOFF_MS = '100';
  process.env.OPENECS_OPERATION_BACKOFF_CAP_MS = '1000';
  return () => { process.env = saved; };
}
