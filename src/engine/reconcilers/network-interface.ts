/**
 * Settles a secondary network interface's transitional status: Attaching → InUse once the driver
 * has given the guest the NIC, Detaching → Available once the guest has let go of it, Deleting →
 * gone. AttachNetworkInterface / DetachNetworkInterface / DeleteNetworkInterface enqueue the
 * operation one driver transition time ahead, so each step is durable and restart-safe; every
 * status change is compare-and-set against the status read.
 *
 * An attach the driver refuses (a driver that cannot hot-plug NICs, or a failing host) is retried
 * a few times, then undone: the ENI is Available again, not attached — the failure state
 * AttachNetworkInterface documents — and the reason is logged.
 */
import { settledEniStatus } from '../../domain/network-interfaces.js';
import { deleteInterfaceRow, getInterfaceForEngine, interfacesOfInstance, setInterfaceStatus, type NetworkInterfaceRow } from '../../store/network-interfaces.js';
import { getInstanceForEngine } from '../../store/instances.js';
import type { Db } from '../../store/db.js';
import type { GuestNic } from '../../compute/driver.js';
import type { EngineEnv, OperationRow, ReconcileResult } from '../engine.js';

const DETACH_POLL_MS = 500;
/** Attach failures retried this many times before the attach is undone. */
const ATTACH_ATTEMPTS = 3;

export const NETWORK_INTERFACE = 'network-interface';

export async function reconcileNetworkInterface(op: OperationRow, env: EngineEnv): Promise<ReconcileResult> {
  const { db, clock, driver } = env;
  const eni = await getInterfaceForEngine(db, op.resource_id);
  const to = eni && settledEniStatus(eni.status);
  if (!eni || !to) return { done: true };
  if (to === 'Deleted') {
    await db.transaction().execute((trx) => deleteInterfaceRow(trx, eni.id, 'Deleting'));
    return { done: true };
  }
  if (to === 'InUse') {
    // An ENI attached by RunInstances waits for its instance to exist on the driver (it boots with it then).
    if ((await getInstanceForEngine(db, eni.instance_id))?.status === 'Pending') return { retryAt: clock.now() + DETACH_POLL_MS };
    try {
      if (!driver.attachNic) throw new Error(`the ${driver.name} driver cannot attach network interfaces`);
      await driver.attachNic(eni.instance_id, await guestNic(db, eni));
    } catch (e) {
      if (op.attempts + 1 < ATTACH_ATTEMPTS) throw e;
      env.log('attach failed; the network interface is detached again', { eni: eni.id, instance: eni.instance_id, error: String(e) });
      const now = clock.now();
      const undone = await db.transaction().execute((trx) => setInterfaceStatus(trx, eni, 'Available', now, { instance_id: '', device_index: 0 }));
      return undone ? { done: true } : { retryAt: now };
    }
  }
  if (to === 'Available' && driver.detachNic && !(await driver.detachNic(eni.instance_id, eni.id))) {
    return { retryAt: clock.now() + DETACH_POLL_MS };
  }
  const now = clock.now();
  const patch = to === 'Available' ? { instance_id: '', device_index: 0 } : {};
  const moved = await db.transaction().execute((trx) => setInterfaceStatus(trx, eni, to, now, patch));
  // Moved by a request or another replica since it was read: the next run re-reads it.
  return moved ? { done: true } : { retryAt: now };
}

/** What a driver needs of an ENI. */
async function guestNic(db: Db, eni: NetworkInterfaceRow): Promise<GuestNic> {
  const vsw = await db.selectFrom('vswitches').select('cidr_block').where('id', '=', eni.vswitch_id).executeTakeFirst();
  if (!vsw) throw new Error(`the VSwitch ${eni.vswitch_id} of ${eni.id} is gone`);
  return {
    eniId: eni.id, mac: eni.mac_address, deviceIndex: eni.device_index, vpcId: eni.vpc_id,
    vswitchId: eni.vswitch_id, vswitchCidr: vsw.cidr_block, privateIp: eni.primary_ip,
  };
}

/** The secondary ENIs a booting guest has: attached (InUse) and attaching ones (GuestSpec.nics). */
export async function attachedNicsOf(db: Db, instanceId: string): Promise<GuestNic[]> {
  const rows = (await interfacesOfInstance(db, instanceId)).filter((n) => n.type !== 'Primary' && (n.status === 'InUse' || n.status === 'Attaching'));
  return Promise.all(rows.map((n) => guestNic(db, n)));
}
