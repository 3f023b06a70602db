/**
 * Instances for the storage and image tests, made only through the public API: each account
 * builds its own network once (VPC, VSwitch, security group via `createNetwork`), then
 * RunInstances, with the engine driven by the test clock until the instance is Running.
 */
import { createAccount } from '../../src/auth/accounts.js';
import { $Ecs, startTestServer, type EcsClientT, type TestServer } from '../helpers/server.js';
import { createNetwork, runRequest, type Network } from '../helpers/fixtures.js';

export const R = 'cn-hangzhou';
export const LINUX = 'aliyun_3_x64_20G_alibase_20240528.vhd';

/** The clients of one account: ECS and VPC are both needed to launch. */
export type Clients = Pick<TestServer, 'ecs' | 'vpc'>;

const networks = new WeakMap<object, Promise<Network>>();

/** The account's network, built on first use (one per ECS client, so per account). */
export function networkOf(clients: Clients): Promise<Network> {
  let n = networks.get(clients.ecs);
  if (!n) {
    n = createNetwork(clients);
    networks.set(clients.ecs, n);
  }
  return n;
}

/** Another account with its own AccessKey (the root's CreateAccount does the same). */
export async function otherAccount(s: TestServer, name: string) {
  const a = await createAccount(s.app.services.db, name, s.clock.now());
  const creds = { accessKeyId: a.accessKeyId, accessKeySecret: a.accessKeySecret };
  return { id: a.accountId, creds, ...s.clients(creds) };
}

export interface Launched { instanceId: string; systemDiskId: string; zoneId: string }

/** A fresh server with the account's network and one Running instance (`vm`), for a suite's `before`. */
export async function startWithInstance(): Promise<{ s: TestServer; net: Network; vm: string }> {
  const s = await startTestServer();
  const net = await networkOf(s);
  return { s, net, vm: (await launch(s)).instanceId };
}

export async function statusOf(ecs: EcsClientT, id: string): Promise<string> {
  const r = await ecs.describeInstanceAttribute(new $Ecs.DescribeInstanceAttributeRequest({ instanceId: id }));
  return r.body!.status!;
}

/**
 * A Running instance (system disk 40 GiB cloud_essd, optional 20 GiB data disks) of the account
 * whose clients are given (the root's by default). `extra` goes into the RunInstances request.
 */
export async function launch(s: TestServer, opts: { as?: Clients; imageId?: string; dataDisks?: number; extra?: Record<string, unknown> } = {}): Promise<Launched> {
  const clients = opts.as ?? s;
  const n = await networkOf(clients);
  const dataDisk = Array.from({ length: opts.dataDisks ?? 0 }, () => new $Ecs.RunInstancesRequestDataDisk({ category: 'cloud_essd', size: 20 }));
  const r = await clients.ecs.runInstances(runRequest(n, {
    imageId: opts.imageId ?? LINUX, systemDisk: new $Ecs.RunInstancesRequestSystemDisk({ category: 'cloud_essd', size: 40 }), dataDisk, ...opts.extra,
  }));
  const instanceId = r.body!.instanceIdSets!.instanceIdSet![0]!;
  await running(s, clients.ecs, instanceId);
  const d = await clients.ecs.describeDisks(new $Ecs.DescribeDisksRequest({ regionId: R, instanceId, diskType: 'system' }));
  const sys = d.body!.disks!.disk![0]!;
  return { instanceId, systemDiskId: sys.diskId!, zoneId: sys.zoneId! };
}

/** Moves the clock until the instance is Running (Pending → Starting → Running on the sim driver). */
export async function running(s: TestServer, ecs: EcsClientT, instanceId: string): Promise<void> {
  for (let i = 0; i < 5; i++) {
    if (await statusOf(ecs, instanceId) === 'Running') return;
    await s.advance(1000);
  }
  throw new Error(`instance ${instanceId} did not reach Running (${await statusOf(ecs, instanceId)})`);
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

export async function disksOf(ecs: EcsClientT, instanceId: string) {
  const r = await ecs.describeDisks(new $Ecs.DescribeDisksRequest({ regionId: R, instanceId, pageSize: 100 }));
  return r.body!.disks!.disk!.sort((a, b) => a.device!.localeCompare(b.device!));
}

export async function snapshot(ecs: EcsClientT, snapshotId: string, regionId = R) {
  const r = await ecs.describeSnapshots(new $Ecs.DescribeSnapshotsRequest({ regionId, snapshotIds: JSON.stringify([snapshotId]) }));
  return r.body!.snapshots!.snapshot![0];
}

export async function image(ecs: EcsClientT, imageId: string, regionId = R) {
  const r = await ecs.describeImages(new $Ecs.DescribeImagesRequest({ regionId, imageId, status: 'Waiting,Creating,Available,CreateFailed,Deprecated' }));
  return r.body!.images!.image![0];
}

/** Creates a snapshot of the disk and lets it finish. */
export async function snap(s: TestServer, diskId: string, ecs: EcsClientT = s.ecs, name?: string): Promise<string> {
  const r = await ecs.createSnapshot(new $Ecs.CreateSnapshotRequest({ diskId, snapshotName: name }));
  await s.advance(2000);
  return r.body!.snapshotId!;
}
