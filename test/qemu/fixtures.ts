/** What the real-guest tests share: why they must skip here, and waiting on the engine with real time. */
import { qemuBinary } from '../../src/compute/host-probe.js';
import { which } from '../../src/compute/qemu/exec.js';
import { missingBuildInputs } from '../../src/compute/qemu/image.js';
import { netnsUnavailable } from '../../src/network/netns.js';
import { $Ecs, type TestServer } from '../helpers/server.js';

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
    throw st === want ? e : new Error(`${id} is ${st}, not ${want}, after ${timeoutMs} ms`);
  }
}
