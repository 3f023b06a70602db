/** What the real-guest tests share: why they must skip here, waiting on the engine with real time, SSH into guests. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { qemuBinary } from '../../src/compute/host-probe.js';
import type { QemuDriver } from '../../src/compute/qemu/driver.js';
import { run, which } from '../../src/host/exec.js';
import { buildImage, missingBuildInputs } from '../../src/compute/qemu/image.js';
import { Netns, netnsUnavailable } from '../../src/network/netns.js';
import { $Ecs, startTestServer, type TestServer } from '../helpers/server.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The reason a guest cannot boot here (QEMU, the image's Debian inputs; with `netns`/`ssh` those too), or undefined. */
export async function qemuSkipReason(needs: { netns?: boolean; ssh?: boolean } = {}): Promise<string | undefined> {
  if (!(await qemuBinary())) return 'qemu-system-x86_64 is not installed (apt-get install qemu-system-x86)';
  const missing = await missingBuildInputs();
  if (missing.length) return `cannot build the guest image: missing ${missing.map((m) => m.debianPackage).join(', ')}`;
  if (needs.netns) {
    const why = await netnsUnavailable();
    if (why) return `no instance namespace: ${why}`;
  }
  if (needs.ssh && !(await which('ssh'))) return 'ssh is not installed (apt-get install openssh-client)';
  return undefined;
}

/** Drives the manual clock and the engine with real waits until `fn` holds; the milliseconds it took. */
export async function until(s: TestServer, what: string, fn: () => Promise<boolean>, timeoutMs = 180_000): Promise<number> {
  const t0 = Date.now();
  while (!(await fn())) {
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await s.advance(250);
    await sleep(150);
  }
  return Date.now() - t0;
}

export async function instanceStatus(s: TestServer, regionId: string, id: string): Promise<string | undefined> {
  const r = await s.ecs.describeInstances(new $Ecs.DescribeInstancesRequest({ regionId, instanceIds: JSON.stringify([id]) }));
  return r.body!.instances!.instance![0]?.status;
}

/** Until the instance shows `want` through DescribeInstances; a timeout says the status it had. */
export async function waitStatus(s: TestServer, regionId: string, id: string, want: string, timeoutMs = 180_000): Promise<number> {
  let st: string | undefined;
  try {
    return await until(s, `${id} to be ${want}`, async () => (st = await instanceStatus(s, regionId, id)) === want, timeoutMs);
  } catch (e) {
    throw st === want ? e : new Error(`${id} is ${st}, not ${want}, after ${timeoutMs} ms\n${await whyNot(s, id)}`);
  }
}

/** What a stuck wait needs to be understood from a CI log alone: the engine's operations and the guest's console. */
async function whyNot(s: TestServer, id: string): Promise<string> {
  const driver = s.app.services.driver as QemuDriver;
  const ops = await s.app.services.db.selectFrom('operations').selectAll().where('resource_id', '=', id).execute().catch((e) => String(e));
  const power = await driver.powerState(id).catch((e) => String(e));
  const pid = await driver.pid(id).catch((e) => String(e));
  const console = await driver.consoleOutput(id).catch((e) => String(e));
  return [`operations: ${JSON.stringify(ops)}`, `power: ${power}, pid: ${pid}`, `console of this boot (last 3000 chars):`, console.slice(-3000)].join('\n');
}

export interface QemuServer { s: TestServer; driver: QemuDriver; ns: Netns; nsName: string; dataDir: string; close(): Promise<void> }

/**
 * A test server on the qemu driver with its instance network in a namespace of its own (`tag`
 * names it); close() removes its guests, the namespace, the runtime and data folders.
 */
export async function startQemuServer(tag: string): Promise<QemuServer> {
  await buildImage();
  const nsName = `oe-${tag}-${process.pid}`;
  const prevNs = process.env.OPENECS_NETNS;
  process.env.OPENECS_NETNS = nsName;
  const dataDir = await mkdtemp(join(tmpdir(), `openecs-qemu-${tag}-`));
  const s = await startTestServer({ driver: 'qemu', dataDir });
  const driver = s.app.services.driver as QemuDriver;
  const ns = new Netns(nsName, 'test');
  return {
    s, driver, ns, nsName, dataDir,
    async close() {
      for (const id of await driver.list().catch(() => [])) await driver.destroy(id).catch(() => {});
      await s.close();
      if (prevNs === undefined) delete process.env.OPENECS_NETNS; else process.env.OPENECS_NETNS = prevNs;
      await ns.destroy();
      await rm(driver.runtimeDir(), { recursive: true, force: true });
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** A key pair made through the API, its private key written to `<dataDir>/id_<name>` for ssh. */
export async function createKeyFile(s: TestServer, regionId: string, dataDir: string, name: string): Promise<string> {
  const kp = await s.ecs.createKeyPair(new $Ecs.CreateKeyPairRequest({ regionId, keyPairName: name }));
  const keyFile = join(dataDir, `id_${name}`);
  await writeFile(keyFile, kp.body!.privateKeyBody!, { mode: 0o600 });
  return keyFile;
}

/** Runs a shell command in the guest as root over SSH from inside the instance namespace; its stdout, trimmed. */
export function guestSsh(nsName: string, keyFile: string, ip: string, timeoutMs = 30_000): (cmd: string) => Promise<string> {
  const args = ['-i', keyFile, '-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null', '-o', 'BatchMode=yes',
    '-o', 'ConnectTimeout=5', '-o', 'LogLevel=ERROR', `root@${ip}`];
  return (cmd) => run('ip', ['netns', 'exec', nsName, 'ssh', ...args, cmd], { timeoutMs }).then((r) => r.stdout.trim());
}

/**
 * A Running netns instance's private IP and an SSH runner into it, once the guest answers SSH (a
 * security group rule opening port 22 reaches the namespace's nftables within a tick or two).
 */
export async function sshIntoInstance(s: TestServer, regionId: string, nsName: string, keyFile: string, id: string): Promise<{ ip: string; ssh: (cmd: string) => Promise<string> }> {
  const d = await s.ecs.describeInstances(new $Ecs.DescribeInstancesRequest({ regionId, instanceIds: JSON.stringify([id]) }));
  const ip = d.body!.instances!.instance![0]!.vpcAttributes!.privateIpAddress!.ipAddress![0]!;
  const ssh = guestSsh(nsName, keyFile, ip);
  for (let i = 0; i < 20; i++) {
    await s.settle();
    if (await ssh('true').then(() => true, () => false)) break;
    await new Promise((r) => setTimeout(r, 500));
  }
  return { ip, ssh };
}

/** GET on a guest port forwarded to 127.0.0.1 (user-mode network): status and trimmed body. */
export async function httpGet(port: number, path: string) {
  const res = await fetch(`http://127.0.0.1:${port}${path}`, { signal: AbortSignal.timeout(5000) });
  return { status: res.status, body: (await res.text()).trim() };
}

/**
 * A stand-in guest for the wire tests: namespace `name` whose eth0 (address `ip/prefix`, default
 * route via `gw`) is a veth plugged into `bridge` of the server's namespace as `hostIf`.
 */
export async function plugStandIn(ns: Netns, name: string, bridge: string, hostIf: string, ip: string, prefix: number, gw: string): Promise<void> {
  await run('ip', ['netns', 'add', name]);
  await run('ip', ['link', 'add', hostIf, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', name]);
  await run('ip', ['link', 'set', hostIf, 'netns', ns.name]);
  await ns.ip(['link', 'set', hostIf, 'master', bridge, 'up']);
  await run('ip', ['-n', name, 'addr', 'add', `${ip}/${prefix}`, 'dev', 'eth0']);
  await run('ip', ['-n', name, 'link', 'set', 'eth0', 'up']);
  await run('ip', ['-n', name, 'link', 'set', 'lo', 'up']);
  await run('ip', ['-n', name, 'route', 'add', 'default', 'via', gw]);
}

/** Tears down stand-ins and the server's namespace: every process in them killed, the stand-ins' namespaces deleted, `ns` destroyed. */
export async function removeStandIns(ns: Netns, standIns: readonly string[]): Promise<void> {
  for (const name of [...standIns, ns.name]) {
    for (const pid of (await run('ip', ['netns', 'pids', name]).catch(() => ({ stdout: '' }))).stdout.split('\n').map(Number).filter(Boolean)) {
      try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ }
    }
    if (name !== ns.name) await run('ip', ['netns', 'del', name]).catch(() => {});
  }
  await ns.destroy();
}
