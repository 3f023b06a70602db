/**
 * What each kind does when its operation has failed too often (backoff.ts): the resource leaves
 * its transitional state for a documented settled one, so nothing waits forever on work that
 * keeps failing, and the reason stays on the operation (`error`) and in the log.
 *
 * - instance: Pending / Starting → Stopped (desired Stopped; the guest, if any, is stopped
 *   first); Stopping → Stopped once a forced stop has gone through (until then: retried);
 *   Running whose guest is gone and will not start again → Stopped.
 *   A released instance has nothing to settle: destroying its guest is retried for ever.
 * - disk: Creating → Available (an attach at creation is undone), Attaching → Available (not
 *   attached), Detaching → In_use (the guest still holds it), ReIniting → In_use.
 * - snapshot: progressing → failed. image: Waiting / Creating → CreateFailed.
 * - task (ImportImage / ExportImage): Processing → Failed, with the error in its detail.
 * - network interface: Attaching → Available (not attached), Detaching → InUse (src/domain/network-interfaces.ts).
 *
 * Every status change is compare-and-set against the status read: a request or another replica
 * that moved the resource meanwhile wins, and the give-up counts as done (nothing left to settle).
 */
import type { EngineEnv, GiveUp, OperationRow } from './engine.js';
import { getInstanceForEngine, setInstanceStatus } from '../store/instances.js';
import { getDiskForEngine, getSnapshotForEngine, setDiskStatus, setSnapshotStatus } from '../store/storage.js';
import { getImageForEngine, getTaskForEngine, setImageStatus } from '../store/images.js';
import { raiseSystemEvent } from '../store/system-events.js';
import { getInterfaceForEngine, setInterfaceStatus } from '../store/network-interfaces.js';
import { eniGiveUp } from '../domain/network-interfaces.js';
import { NETWORK_INTERFACE } from './reconcilers/network-interface.js';

export interface Settle { to: string; detach?: boolean }

/** The settled status an instance gives up to, if its status is one to settle. */
export function instanceGiveUp(status: string): Settle | undefined {
  return status === 'Pending' || status === 'Starting' || status === 'Stopping' ? { to: 'Stopped' } : undefined;
}

export function diskGiveUp(status: string): Settle | undefined {
  switch (status) {
    case 'Creating': return { to: 'Available', detach: true };
    case 'Attaching': return { to: 'Available', detach: true };
    case 'Detaching': return { to: 'In_use' };
    case 'ReIniting': return { to: 'In_use' };
    default: return undefined;
  }
}

export function snapshotGiveUp(status: string): Settle | undefined {
  return status === 'progressing' ? { to: 'failed' } : undefined;
}

export function imageGiveUp(status: string): Settle | undefined {
  return status === 'Creating' || status === 'Waiting' ? { to: 'CreateFailed' } : undefined;
}

export function taskGiveUp(status: string): Settle | undefined {
  return status === 'Processing' ? { to: 'Failed' } : undefined;
}

export const giveUpInstance: GiveUp = async (op, env, error) => {
  const { db, clock, driver } = env;
  const row = await getInstanceForEngine(db, op.resource_id);
  if (!row || row.deleted_at !== null) return false;
  // Running whose guest is gone and cannot be started again (a host event): Stopped, as ECS shows
  // an instance its host could not recover. A Running guest whose other work failed stays Running.
  const settle = instanceGiveUp(row.status)
    ?? (row.status === 'Running' && (await driver.powerState(row.id)) !== 'running' ? { to: 'Stopped' } : undefined);
  if (!settle) return true;
  try {
    if ((await driver.powerState(row.id)) === 'running') await driver.stop(row.id, true);
  } catch (e) {
    // A guest that may still run is not reported Stopped: retries go on.
    if (row.status === 'Stopping') throw e;
    env.log('give-up: stopping the guest failed', { instance: row.id, error: String(e) });
  }
  const now = clock.now();
  await db.transaction().execute(async (trx) => {
    if (!(await setInstanceStatus(trx, row, settle.to, now, { desired_status: 'Stopped', force_stop: 0 }))) return;
    // A stop the user did not ask for is a system event (DescribeInstanceHistoryEvents); a stop
    // that was asked for and only failed to finish is not.
    if (row.status !== 'Stopping') {
      await raiseSystemEvent(trx, {
        accountId: row.account_id, regionId: row.region_id, instanceId: row.id, type: 'SystemFailure.Stop', notBefore: now,
        reason: `The instance could not be ${row.status === 'Running' ? 'kept running' : 'started'}: ${error.slice(0, 200)}`,
      }, now);
    }
  });
  note(env, op, row.status, settle.to, error);
  return true;
};

export const giveUpDisk: GiveUp = async (op, env, error) => {
  const d = await getDiskForEngine(env.db, op.resource_id);
  const settle = d && diskGiveUp(d.status);
  if (!d || !settle) return true;
  const now = env.clock.now();
  const patch = settle.detach ? { instance_id: '', device: '', detached_at: now } : {};
  await env.db.transaction().execute((trx) => setDiskStatus(trx, d, settle.to, now, patch));
  note(env, op, d.status, settle.to, error);
  return true;
};

export const giveUpSnapshot: GiveUp = async (op, env, error) => {
  const s = await getSnapshotForEngine(env.db, op.resource_id);
  const settle = s && snapshotGiveUp(s.status);
  if (!s || !settle) return true;
  await env.db.transaction().execute((trx) => setSnapshotStatus(trx, s, settle.to, env.clock.now()));
  note(env, op, s.status, settle.to, error);
  return true;
};

export const giveUpImage: GiveUp = async (op, env, error) => {
  const image = await getImageForEngine(env.db, op.resource_id);
  const settle = image && imageGiveUp(image.status);
  if (!image || !settle) return true;
  await env.db.transaction().execute((trx) => setImageStatus(trx, image, settle.to, env.clock.now()));
  note(env, op, image.status, settle.to, error);
  return true;
};

export const giveUpTask: GiveUp = async (op, env, error) => {
  const task = await getTaskForEngine(env.db, op.resource_id);
  const settle = task && taskGiveUp(task.status);
  if (!task || !settle) return true;
  const now = env.clock.now();
  let detail: Record<string, unknown> = {};
  try { detail = JSON.parse(task.detail); } catch { detail = {}; }
  const code = task.action === 'ExportImage' ? 'ExportImageFailed' : 'ImportImageFailed';
  await env.db.transaction().execute(async (trx) => {
    const r = await trx.updateTable('tasks').set({ status: settle.to, finished_at: now, detail: JSON.stringify({ ...detail, error: { code, message: `The task failed after repeated errors: ${error}` } }) })
      .where('id', '=', task.id).where('status', '=', task.status).executeTakeFirst();
    if (Number(r.numUpdatedRows) === 0) return;
    await trx.insertInto('transitions').values({ resource_id: task.id, from_status: task.status, to_status: settle.to, at: now }).execute();
  });
  note(env, op, task.status, settle.to, error);
  return true;
};

export const giveUpNetworkInterface: GiveUp = async (op, env, error) => {
  const eni = await getInterfaceForEngine(env.db, op.resource_id);
  const settle = eni && eniGiveUp(eni.status);
  if (!eni || !settle) return true;
  const now = env.clock.now();
  const patch = settle.detach ? { instance_id: '', device_index: 0 } : {};
  await env.db.transaction().execute((trx) => setInterfaceStatus(trx, eni, settle.to, now, patch));
  note(env, op, eni.status, settle.to, error);
  return true;
};

function note(env: EngineEnv, op: OperationRow, from: string, to: string, error: string) {
  env.log('gave up: resource settled', { kind: op.kind, resource: op.resource_id, from, to, attempts: op.attempts + 1, error });
}

/** Kinds and their give-ups (registered with the reconcilers in reconcilers/index.ts). */
export const GIVE_UPS: Record<string, GiveUp> = {
  instance: giveUpInstance,
  disk: giveUpDisk,
  snapshot: giveUpSnapshot,
  image: giveUpImage,
  task: giveUpTask,
  [NETWORK_INTERFACE]: giveUpNetworkInterface,
};
