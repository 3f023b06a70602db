/**
 * Instances for the storage tests. Through RunInstances when the network actions exist; until
 * then (they are built in parallel) the rows RunInstances would write are inserted directly, so
 * the storage flows themselves always go through the official client.
 */
import { randomUUID } from 'node:crypto';
import { $Ecs, type EcsClientT, type TestServer } from '../helpers/server.js';
import { createNetwork, runRequest, type Network } from '../helpers/fixtures.js';
import { newId } from '../../src/domain/ids.js';

export const R = 'cn-hangzhou';
export const LINUX = 'aliyun_3_x64_20G_alibase_20240528.vhd';

const networks = new WeakMap<object, Network | null>();

async function network(s: TestServer, ecs: EcsClientT): Promise<Network | null> {
  const key = ecs as object;
  if (networks.has(key)) return networks.get(key)!;
  let n: Network | null = null;
  try {
    n = await createNetwork({ ecs, vpc: s.vpc });
    if (ecs !== s.ecs) n = null;
  } catch { n = null; }
  networks.set(key, n);
  return n;
}

export interface Launched { instanceId: string; systemDiskId: string; zoneId: string }

async function accountOf(s: TestServer, ecs: EcsClientT): Promise<string> {
  const akId = (ecs as any)._credential ? await (ecs as any)._credential.getAccessKeyId() : (ecs as any)._accessKeyId;
  const row = await s.app.services.db.selectFrom('access_keys').select('account_id').where('id', '=', akId).executeTakeFirstOrThrow();
  return row.account_id;
}

export async function statusOf(ecs: EcsClientT, id: string): Promise<string> {
  const r = await ecs.describeInstanceAttribute(new $Ecs.DescribeInstanceAttributeRequest({ instanceId: id }));
  return r.body!.status!;
}

/** A Running instance (system disk 40 GiB cloud_essd, optional data disks) of the client's account. */
export async function launch(s: TestServer, opts: { ecs?: EcsClientT; imageId?: string; dataDisks?: number } = {}): Promise<Launched> {
  const ecs = opts.ecs ?? s.ecs;
  const imageId = opts.imageId ?? LINUX;
  const n = await network(s, ecs);
  let instanceId = '';
  if (n) {
    const dataDisk = Array.from({ length: opts.dataDisks ?? 0 }, () => new $Ecs.RunInstancesRequestDataDisk({ category: 'cloud_essd', size: 20 }));
    try {
      const r = await ecs.runInstances(runRequest(n, { imageId, systemDisk: new $Ecs.RunInstancesRequestSystemDisk({ category: 'cloud_essd', size: 40 }), dataDisk }));
      instanceId = r.body!.instanceIdSets!.instanceIdSet![0]!;
      await s.advance(1000);
      await s.advance(1000);
    } catch (e: any) {
      // Address allocation is still a stub while the network family is being built.
      if (e.code !== 'QuotaExceeded.PrivateIpAddress') throw e;
      networks.set(ecs as object, null);
    }
  }
  if (!instanceId) instanceId = await insertInstance(s, await accountOf(s, ecs), imageId, opts.dataDisks ?? 0);
  const d = await ecs.describeDisks(new $Ecs.DescribeDisksRequest({ regionId: R, instanceId, diskType: 'system' }));
  const sys = d.body!.disks!.disk![0]!;
  return { instanceId, systemDiskId: sys.diskId!, zoneId: sys.zoneId! };
}

async function insertInstance(s: TestServer, accountId: string, imageId: string, dataDisks: number): Promise<string> {
  const db = s.app.services.db;
  const now = s.clock.now();
  const id = newId('i-');
  const custom = imageId.startsWith('m-') ? await db.selectFrom('images').selectAll().where('id', '=', imageId).executeTakeFirst() : undefined;
  await db.insertInto('instances').values({
    id, account_id: accountId, region_id: R, zone_id: 'cn-hangzhou-h', name: id, description: '', host_name: `iZ${id.slice(2)}Z`,
    instance_type: 'ecs.g7.large', cpu: 2, memory: 8192, image_id: imageId, os_type: custom?.os_type ?? 'linux', os_name: custom?.os_name_en ?? 'Alibaba Cloud Linux  3.2104 LTS 64 bit',
    status: 'Running', desired_status: 'Running', status_changed_at: now, vpc_id: 'vpc-test', vswitch_id: 'vsw-test', private_ip: '192.168.0.10',
    public_ip: '', key_pair_name: '', password_sealed: '', user_data: '', instance_charge_type: 'PostPaid', internet_charge_type: 'PayByTraffic',
    internet_max_bandwidth_out: 0, internet_max_bandwidth_in: 0, deletion_protection: 0, auto_release_time: null, stopped_mode: '',
    credit_specification: '', serial_number: randomUUID(), resource_group_id: '', created_at: now, started_at: now, deleted_at: null,
  }).execute();
  for (let i = 0; i <= dataDisks; i++) {
    await db.insertInto('disks').values({
      id: newId('d-'), account_id: accountId, region_id: R, zone_id: 'cn-hangzhou-h', instance_id: id, type: i === 0 ? 'system' : 'data',
      category: 'cloud_essd', size: i === 0 ? 40 : 20, name: '', description: '', status: 'In_use', device: `/dev/xvd${String.fromCharCode(97 + i)}`,
      delete_with_instance: 1, delete_auto_snapshot: 1, enable_auto_snapshot: 0, image_id: i === 0 ? imageId : '', source_snapshot_id: '',
      performance_level: 'PL1', encrypted: 0, portable: i === 0 ? 0 : 1, resource_group_id: '', created_at: now, attached_at: now, detached_at: null,
    }).execute();
  }
  return id;
}

export async function stop(s: TestServer, instanceId: string, ecs: EcsClientT = s.ecs): Promise<void> {
  await ecs.stopInstance(new $Ecs.StopInstanceRequest({ instanceId }));
  await s.advance(1000);
  await s.advance(1000);
}

export async function disk(ecs: EcsClientT, diskId: string) {
  const r = await ecs.describeDisks(new $Ecs.DescribeDisksRequest({ regionId: R, diskIds: JSON.stringify([diskId]) }));
  return r.body!.disks!.disk![0];
}

export async function snapshot(ecs: EcsClientT, snapshotId: string, regionId = R) {
  const r = await ecs.describeSnapshots(new $Ecs.DescribeSnapshotsRequest({ regionId, snapshotIds: JSON.stringify([snapshotId]) }));
  return r.body!.snapshots!.snapshot![0];
}

export async function image(ecs: EcsClientT, imageId: string, regionId = R) {
  const r = await ecs.describeImages(new $Ecs.DescribeImagesRequest({ regionId, imageId, status: 'Creating,Available,CreateFailed,Deprecated' }));
  return r.body!.images!.image![0];
}

/** Creates a snapshot of the disk and lets it finish. */
export async function snap(s: TestServer, diskId: string, ecs: EcsClientT = s.ecs, name?: string): Promise<string> {
  const r = await ecs.createSnapshot(new $Ecs.CreateSnapshotRequest({ diskId, snapshotName: name }));
  await s.advance(2000);
  return r.body!.snapshotId!;
}
