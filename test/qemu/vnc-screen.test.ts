/**
 * The VNC management terminal shows the guest's console: after READY the guest loads the std VGA
 * DRM driver (bochs), fbcon takes tty1, and the screen read over the VNC WebSocket shows getty's
 * login prompt. Typing `root` + Enter through VNC key events draws the Password prompt; logging
 * in with the instance password and running a command that writes to the serial console proves
 * the keyboard reaches a real login shell. Skips when QEMU or the image inputs are missing.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { GuestSpec } from '../../src/compute/driver.js';
import { QemuDriver } from '../../src/compute/qemu/driver.js';
import { Sealer } from '../../src/auth/secrets.js';
import { buildImage } from '../../src/compute/qemu/image.js';
import { qemuSkipReason } from './fixtures.js';
import { ink, vncSession, type Screen } from './vnc-client.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const PASSWORD = 'Vnc-Test12';

function spec(id: string): GuestSpec {
  return {
    instanceId: id, hostName: `host-${id.slice(2)}`, cpu: 1, memoryMiB: 1024, imageId: 'debian_12_busybox', osType: 'linux',
    vpcId: 'vpc-t', vswitchId: 'vsw-t', vswitchCidr: '172.16.6.0/24', privateIp: '172.16.6.20', keyPairName: '',
    password: PASSWORD, userData: '',
    disks: [{ diskId: `d-${id.slice(2)}`, type: 'system', sizeGiB: 20, device: '/dev/xvda', imageId: 'debian_12_busybox', snapshotId: '' }],
  };
}

test('VNC screen: the console with a login prompt, keyboard to a login shell', async (t) => {
  const reason = await qemuSkipReason();
  if (reason) { t.skip(reason); return; }
  await buildImage();
  const dataDir = await mkdtemp(join(tmpdir(), 'openecs-qemu-vnc-'));
  const driver = new QemuDriver({ dataDir, stopTimeoutMs: 10_000, env: { ...process.env, OPENECS_QEMU_NET: 'user' }, sampleMonitoring: false });
  const id = `i-vs${process.pid.toString(36)}`;
  let session: Awaited<ReturnType<typeof vncSession>> | undefined;
  try {
    await driver.ensureCreated(spec(id));
    await driver.start(spec(id));
    t.diagnostic(`READY after ${await driver.waitReady(id, 90_000)} ms`);
    const readyAt = Date.now();
    // As the engine hands it over: sealed with the data dir's key, as the instance row keeps it.
    await driver.setVncPassword(id, Sealer.forDataDir(dataDir).seal('Ab12cd'));
    session = await vncSession(await driver.vncUrl(id), 'Ab12cd');

    // Until the guest sets a graphics mode QEMU shows its 640x480 "not initialized" placeholder.
    let screen: Screen = await session.snapshot();
    for (let deadline = Date.now() + 60_000; screen.width < 800 || ink(screen) < 1000;) {
      assert.ok(Date.now() < deadline, `no guest display 60 s after READY: ${screen.width}x${screen.height}, ink ${ink(screen)}`);
      await sleep(500);
      screen = await session.snapshot();
    }
    t.diagnostic(`display ${screen.width}x${screen.height} ${Date.now() - readyAt} ms after READY, ink ${ink(screen)}`);
    // Let getty's prompt settle; two idle looks bound what a blinking cursor changes.
    await sleep(1500);
    const idle = Math.max(ink(await session.snapshot()), (await sleep(300), ink(await session.snapshot())));
    assert.ok(idle > 1000, `text drawn on the screen (ink ${idle})`);

    // A prompt's worth of new glyphs (`root`, `Password: `), not a cursor blink (~16 pixels).
    const waitInk = async (above: number, what: string) => {
      for (let deadline = Date.now() + 20_000; ;) {
        const now = ink(await session!.snapshot());
        if (now > above) return now;
        assert.ok(Date.now() < deadline, `${what}: screen unchanged (ink ${now}, needed > ${above})`);
        await sleep(300);
      }
    };
    session.type('root\n');
    const afterUser = await waitInk(idle + 150, 'Password prompt after typing root');
    t.diagnostic(`ink idle ${idle}, after "root⏎" ${afterUser}`);
    await sleep(500);
    session.type(`${PASSWORD}\n`);
    // The shell prompt after login (MOTD-less busybox: `~ #`), then a command whose output goes to the serial console.
    await waitInk(afterUser + 30, 'shell prompt after the password');
    await sleep(300);
    session.type('echo vnc-login-$((40+2)) >/dev/ttyS0\n');
    for (let deadline = Date.now() + 20_000; !(await driver.consoleOutput(id)).includes('vnc-login-42');) {
      assert.ok(Date.now() < deadline, `the command typed over VNC did not run: ${(await driver.consoleOutput(id)).slice(-300)}`);
      await sleep(300);
    }
  } finally {
    session?.close();
    await driver.destroy(id).catch(() => {});
    await driver.close();
    await rm(dataDir, { recursive: true, force: true });
  }
});
