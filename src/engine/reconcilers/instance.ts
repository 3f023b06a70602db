/**
 * Moves one instance toward its desired state, one step per run, and records each transition
 * (Pending → Starting → Running; Stopping → Stopped; Stopping → Starting for a reboot). A step is
 * taken only once the driver's transition time has passed since the persisted status change and
 * the driver reports the guest there, so timing and progress both survive a restart.
 */
import type { GuestDisk, GuestSpec } from '../../compute/driver.js';
import { settledStatus, TRANSITIONAL } from '../../domain/instances/states.js';
import { storedMetadataOptions } from '../../domain/instances/metadata-options.js';
import { disksOfInstances, getInstanceForEngine, setInstanceStatus, type DiskRow, type InstanceRow } from '../../store/instances.js';
import type { Db } from '../../store/db.js';
import type { EngineEnv, OperationRow, ReconcileResult } from '../engine.js';
import { authorizedKeyOf } from '../../store/key-pairs.js';
import { tagsOf } from '../../store/tags.js';
import { primaryInterfacesOf } from '../../store/network-interfaces.js';
import { collectDiskFiles } from '../disk-files.js';
import { attachedNicsOf } from './network-interface.js';
import { spotTerminationTime, syncGuestSettings } from './guest-settings.js';
import { disksAwaitingContent } from '../../store/disk-intent.js';
import { requestSecurityPolicy } from '../security-policy.js';

const POLL_MS = 250;
/** A booting real guest: the READY check is a file read, so it is cheap to look often (marker → Running latency). */
const READY_POLL_MS = 50;

/** What a driver needs of a disk row. */
export function guestDisk(d: DiskRow): GuestDisk {
  return {
    diskId: d.id, type: d.type === 'system' ? 'system' : 'data', sizeGiB: d.size, device: d.device,
    imageId: d.image_id, snapshotId: d.source_snapshot_id,
  };
}

export async function guestSpec(db: Db, row: InstanceRow): Promise<GuestSpec> {
  const disks = await disksOfInstances(db, [row.id]);
  // What a real guest needs beyond the row: its key's text, its network's CIDRs (qemu driver).
  const publicKey = await authorizedKeyOf(db, { accountId: row.account_id, regionId: row.region_id }, row.key_pair_name).catch(() => undefined);
  const vsw = row.vswitch_id ? await db.selectFrom('vswitches').select('cidr_block').where('id', '=', row.vswitch_id).executeTakeFirst() : undefined;
  const options = storedMetadataOptions(row);
  const vpc = row.vpc_id ? await db.selectFrom('vpcs').select('cidr_block').where('id', '=', row.vpc_id).executeTakeFirst() : undefined;
  return {
    publicKey, vswitchCidr: vsw?.cidr_block, vpcCidr: vpc?.cidr_block,
    // Sealed with the server key: the driver that needs the clear text opens it (qemu).
    passwordSealed: row.password_sealed,
    // Applied at every boot; changes while it runs come through syncGuestSettings.
    vncPasswordSealed: row.vnc_password_sealed,
    metadataGeneration: Number(row.metadata_generation),
    metadataOptions: options,
    spotTerminationTime: spotTerminationTime(row),
    metadataTags: options.tags === 'enabled'
      ? Object.fromEntries(((await tagsOf(db, [row.id])).get(row.id) ?? []).map((t) => [t.Key, t.Value])) : undefined,
    regionId: row.region_id, zoneId: row.zone_id, instanceType: row.instance_type, serialNumber: row.serial_number, accountId: row.account_id,
    instanceId: row.id,
    hostName: row.host_name,
    cpu: row.cpu,
    memoryMiB: row.memory,
    imageId: row.image_id,
    osType: row.os_type,
    vpcId: row.vpc_id,
    vswitchId: row.vswitch_id,
    privateIp: row.private_ip,
    eniId: (await primaryInterfacesOf(db, [row.id])).get(row.id)?.id,
    nics: await attachedNicsOf(db, row.id),
    userData: row.user_data,
    keyPairName: row.key_pair_name,
    disks: disks.map(guestDisk),
  };
}

export async function reconcileInstance(op: OperationRow, env: EngineEnv): Promise<ReconcileResult> {
  const { db, clock, driver } = env;
  const row = await getInstanceForEngine(db, op.resource_id);
  if (!row) return { done: true };
  if (row.deleted_at !== null) {
    await driver.destroy(row.id);
    // Disks released with it go; those it leaves behind (DeleteWithInstance=false) stay.
    await collectDiskFiles(db, driver);
    return { done: true };
  }
  const now = clock.now();
  const power = await driver.powerState(row.id);
  const readyAt = row.status_changed_at + driver.transitionMs;
  // A guest does not boot from a disk whose reset, resize, re-initialization or new snapshot has
  // not reached its bytes yet (disk-content and snapshot operations); it waits for them.
  if (power !== 'running' && (row.status === 'Starting' || row.status === 'Running') && (await disksAwaitingContent(db, row.id)).length) {
    return { retryAt: now + POLL_MS };
  }
  // ForceStop / ForceReboot of the last power action, kept in the row (a later request's is not lost).
  const force = row.force_stop === 1;

  if (!TRANSITIONAL.has(row.status)) {
    // Settled: make the guest match (after a restart, or a guest that died).
    if (row.status === 'Running' && power !== 'running') {
      const spec = await guestSpec(db, row);
      await driver.ensureCreated(spec);
      await driver.start(spec);
      await requestSecurityPolicy(db, now);
    } else if (row.status === 'Stopped' && power === 'running') {
      await driver.stop(row.id, true);
    } else if (row.status === 'Running') {
      await syncGuestSettings(env, row);
    }
    return { done: true };
  }

  // Started and still booting: nothing to do until the guest's READY marker.
  if (row.status === 'Starting' && power === 'running' && driver.ready && !(await driver.ready(row.id))) {
    return { retryAt: now + READY_POLL_MS };
  }
  const spec = await guestSpec(db, row);
  const target = settledStatus(row.status, row.desired_status)!;
  switch (row.status) {
    case 'Pending':
      await driver.ensureCreated(spec);
      break;
    case 'Starting':
      await driver.ensureCreated(spec);
      if (power !== 'running') {
        await driver.start(spec);
        // Its network is up now: a VPC's first guest adds a bridge the isolation rule must name.
        await requestSecurityPolicy(db, now);
      }
      break;
    case 'Stopping':
      if (power === 'running') await driver.stop(row.id, force);
      break;
  }
  if (now < readyAt) return { retryAt: readyAt };
  const observed = await driver.powerState(row.id);
  // A real guest is Running once it has booted (qemu: its READY marker), not when its process exists.
  const booted = row.status === 'Starting' && observed === 'running' && driver.ready ? await driver.ready(row.id) : true;
  const arrived = row.status === 'Pending' || (row.status === 'Starting' ? observed === 'running' && booted : observed !== 'running');
  if (!arrived) return { retryAt: now + POLL_MS };
  const at = driver.clockTimed ? readyAt : now;
  const moved = await db.transaction().execute((trx) => setInstanceStatus(trx, row, target, at, {
    ...(target === 'Running' ? { started_at: at } : {}),
    // Leaving Stopping, the forced stop it asked for is done.
    ...(row.status === 'Stopping' ? { force_stop: 0 } : {}),
  }));
  // A request (or another replica) moved the row since it was read: look again.
  if (!moved) return { retryAt: now };
  // Settings changed while it booted (its boot applied the GuestSpec's).
  if (target === 'Running') await syncGuestSettings(env, row);
  return TRANSITIONAL.has(target) ? { retryAt: now } : { done: true };
}
