/**
 * Real machines through the API, with the engine running by itself (system clock, its own
 * ticks), as a deployed server runs: RunInstances → Running (= guest READY), and security group
 * rule latency: AuthorizeSecurityGroup / RevokeSecurityGroup → TCP port 80 of the guest open /
 * closed as seen from the instance namespace. Needs root (netns) and the qemu prerequisites.
 * Usage: tsx bench/qemu-api.ts [rounds=3]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as $Vpc from '@alicloud/vpc20160428';
import { createApp } from '../src/app.js';
import { configFromEnv } from '../src/config.js';
import { qemuBinary } from '../src/compute/host-probe.js';
import { run } from '../src/compute/qemu/exec.js';
import { buildImage } from '../src/compute/qemu/image.js';
import type { QemuDriver } from '../src/compute/qemu/driver.js';
import { Netns, netnsUnavailable } from '../src/network/netns.js';
import { $Ecs, makeClients } from '../test/helpers/server.js';

const rounds = Number(process.argv[2] ?? 3);
const R = 'cn-hangzhou';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main() {
  if (!(await qemuBinary())) { console.log('qemu-system-x86_64 not installed; nothing to measure'); return; }
  const why = await netnsUnavailable();
  if (why) { console.log(`no instance namespace (${why}); nothing to measure`); return; }
  await buildImage({ log: (m) => console.error(m) });
  const ns = `oe-bench-${process.pid}`;
  process.env.OPENECS_NETNS = ns;
  const dataDir = await mkdtemp(join(tmpdir(), 'openecs-qemu-api-bench-'));
  const ak = { accessKeyId: 'LTAIbenchaccesskey000001', accessKeySecret: 'benchSecretForOpenEcs00000000001' };
  const app = await createApp({ ...configFromEnv({}), driver: 'qemu', dataDir, port: 0, ...ak });
  const url = await app.listen();
  const { ecs, vpc } = makeClients(url, ak);
  const driver = app.services.driver as QemuDriver;
  const curl = (u: string) => run('ip', ['netns', 'exec', ns, 'curl', '-s', '-o', '/dev/null', '-m', '0.3', '-w', '%{http_code}', u]).then((r) => r.stdout, () => '000');
  const boot: number[] = [], open: number[] = [], close: number[] = [];
  const accel = (await driver.accelerator()).accelerator;
  try {
    const zoneId = (await ecs.describeZones(new $Ecs.DescribeZonesRequest({ regionId: R }))).body!.zones!.zone![0]!.zoneId!;
    const vpcId = (await vpc.createVpc(new $Vpc.CreateVpcRequest({ regionId: R, cidrBlock: '10.30.0.0/16' }))).body!.vpcId!;
    const vswitchId = (await vpc.createVSwitch(new $Vpc.CreateVSwitchRequest({ regionId: R, vpcId, zoneId, cidrBlock: '10.30.1.0/24' }))).body!.vSwitchId!;
    const sg = (await ecs.createSecurityGroup(new $Ecs.CreateSecurityGroupRequest({ regionId: R, vpcId }))).body!.securityGroupId!;
    const images = (await ecs.describeImages(new $Ecs.DescribeImagesRequest({ regionId: R, imageOwnerAlias: 'system', pageSize: 100 }))).body!.images!.image!;
    const imageId = images.find((i) => i.OSType === 'linux')!.imageId!;
    for (let i = 0; i < rounds; i++) {
      const t0 = Date.now();
      const id = (await ecs.runInstances(new $Ecs.RunInstancesRequest({ regionId: R, imageId, instanceType: 'ecs.g7.large', vSwitchId: vswitchId, securityGroupId: sg }))).body!.instanceIdSets!.instanceIdSet![0]!;
      for (;;) {
        const st = (await ecs.describeInstances(new $Ecs.DescribeInstancesRequest({ regionId: R, instanceIds: JSON.stringify([id]) }))).body!.instances!.instance![0]!;
        if (st.status === 'Running') break;
        if (Date.now() - t0 > 180_000) throw new Error(`${id} not Running after 180 s`);
        await sleep(100);
      }
      boot.push(Date.now() - t0);
      const ip = (await driver.record(id))!.privateIp!;
      const perm = { regionId: R, securityGroupId: sg, ipProtocol: 'tcp', portRange: '80/80', sourceCidrIp: '0.0.0.0/0' };
      let t1 = Date.now();
      await ecs.authorizeSecurityGroup(new $Ecs.AuthorizeSecurityGroupRequest(perm));
      while ((await curl(`http://${ip}/`)) !== '200') { if (Date.now() - t1 > 10_000) throw new Error('port never opened'); }
      open.push(Date.now() - t1);
      t1 = Date.now();
      await ecs.revokeSecurityGroup(new $Ecs.RevokeSecurityGroupRequest(perm));
      while ((await curl(`http://${ip}/`)) === '200') { if (Date.now() - t1 > 10_000) throw new Error('port never closed'); await sleep(20); }
      close.push(Date.now() - t1);
      await ecs.deleteInstance(new $Ecs.DeleteInstanceRequest({ instanceId: id, force: true }));
      while ((await driver.powerState(id)) !== 'absent') await sleep(100);
    }
  } finally {
    for (const id of await driver.list()) await driver.destroy(id).catch(() => {});
    await app.close();
    await new Netns(ns, 'bench').destroy();
    await rm(driver.runtimeDir(), { recursive: true, force: true });
    await rm(dataDir, { recursive: true, force: true });
  }
  console.log(JSON.stringify({
    accelerator: accel, rounds,
    runInstancesToRunningMs: { median: median(boot), all: boot },
    ruleOpenMs: { median: median(open), all: open },
    ruleCloseMs: { median: median(close), all: close },
  }, null, 2));
}

await main();
