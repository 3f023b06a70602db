/**
 * Side effects on disk and snapshot bytes take the durable path (issue 12 point 3): ResizeDisk,
 * ResetDisk, CreateSnapshot, DeleteSnapshot, DeleteDisk answer at once, having written their intent
 * and an operation in one transaction; the engine makes the driver's bytes match, retrying a driver
 * that fails, giving up into a documented state when it keeps failing, and finishing after a
 * restart what was written before it. The driver models the bytes (test/helpers/disk-model-driver.ts).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { $Ecs, startTestServer, type TestServer } from '../helpers/server.js';
import { DiskModelDriver } from '../helpers/disk-model-driver.js';
import { createTestDatabase, testDatabaseCluster, type TestDatabase } from '../helpers/pg.js';
import { R, disk, launch, snapshot, statusOf, stop, type Launched } from './storage-fixtures.js';

const DELAY = 1000;

async function operation(s: TestServer, kind: string, resourceId: string) {
  return s.app.services.db.selectFrom('operations').selectAll().where('kind', '=', kind).where('resource_id', '=', resourceId)
    .orderBy('id', 'desc').executeTakeFirst();
}

async function transitionsOf(s: TestServer, id: string): Promise<string[]> {
  const rows = await s.app.services.db.selectFrom('transitions').select('to_status').where('resource_id', '=', id).orderBy('at').execute();
  return rows.map((r) => r.to_status);
}

/** Moves the clock in steps until `done` holds (the engine's retries are on the clock); the steps it took. */
async function until(s: TestServer, what: string, done: () => Promise<boolean> | boolean, stepMs = 1000, steps = 200): Promise<number> {
  for (let i = 0; i < steps; i++) {
    if (await done()) return i;
    await s.advance(stepMs);
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function dataDiskOf(s: TestServer, instanceId: string): Promise<string> {
  const r = await s.ecs.describeDisks(new $Ecs.DescribeDisksRequest({ regionId: R, instanceId, diskType: 'data' }));
  return r.body!.disks!.disk![0]!.diskId!;
}

describe('durable disk and snapshot side effects, on a driver that fails', () => {
  let s: TestServer;
  let vm: Launched;
  let dataDisk: string;
  const driver = new DiskModelDriver(DELAY);
  before(async () => {
    s = await startTestServer({ simDelayMs: DELAY }, { driver });
    vm = await launch(s, { dataDisks: 1 });
    dataDisk = await dataDiskOf(s, vm.instanceId);
  });
  after(async () => { await s.close(); });

  it('ResizeDisk answers success at once; the driver is retried until the bytes have the new size', async () => {
    assert.equal(driver.disks.get(dataDisk)!.sizeGiB, 20);
    driver.failNext('resizeDisk', 3);
    await s.ecs.resizeDisk(new $Ecs.ResizeDiskRequest({ diskId: dataDisk, newSize: 30, type: 'online' }));
    assert.equal((await disk(s.ecs, dataDisk))!.size, 30, 'DescribeDisks shows the size the API answered');
    await s.settle();
    const failing = (await operation(s, 'disk-content', dataDisk))!;
    assert.equal(failing.status, 'pending', 'a failed attempt leaves the operation to retry');
    assert.match(failing.error, /injected failure/, 'the error is recorded, not swallowed');
    assert.equal(driver.disks.get(dataDisk)!.sizeGiB, 20);
    await until(s, 'the resize', () => driver.disks.get(dataDisk)!.sizeGiB === 30);
    await s.settle();
    assert.equal((await operation(s, 'disk-content', dataDisk))!.status, 'done');
    assert.equal((await disk(s.ecs, dataDisk))!.size, 30);
    assert.ok(!(await transitionsOf(s, dataDisk)).some((t) => t.includes('failed')));
    // Asked again for the size it has: a no-op for the driver, nothing pending.
    const before = driver.callsOf('resizeDisk').length;
    await s.ecs.resizeDisk(new $Ecs.ResizeDiskRequest({ diskId: dataDisk, newSize: 40, type: 'online' }));
    await s.settle();
    assert.deepEqual(driver.callsOf('resizeDisk').slice(before), [[dataDisk, 40]], 'one driver call for one resize');
  });

  it('a resize the driver never manages is given up: the disk shows the size its bytes have, and says why', async () => {
    driver.failNext('resizeDisk', Infinity);
    await s.ecs.resizeDisk(new $Ecs.ResizeDiskRequest({ diskId: dataDisk, newSize: 50, type: 'online' }));
    assert.equal((await disk(s.ecs, dataDisk))!.size, 50);
    await until(s, 'the resize to be given up', async () => (await operation(s, 'disk-content', dataDisk))!.status !== 'pending', 5000);
    driver.failNext('resizeDisk', 0);
    assert.equal((await disk(s.ecs, dataDisk))!.size, 40, 'back to the size of the bytes');
    assert.ok((await transitionsOf(s, dataDisk)).includes('In_use:resize-failed:40->50'), 'the give-up is recorded on the disk');
    assert.equal(driver.disks.get(dataDisk)!.sizeGiB, 40);
    // The disk is not stuck: the next resize goes through.
    await s.ecs.resizeDisk(new $Ecs.ResizeDiskRequest({ diskId: dataDisk, newSize: 45, type: 'online' }));
    await s.settle();
    assert.equal(driver.disks.get(dataDisk)!.sizeGiB, 45);
  });

  it('CreateSnapshot freezes the bytes at once, then completes on the clock', async () => {
    driver.write(dataDisk, 'w1');
    const id = (await s.ecs.createSnapshot(new $Ecs.CreateSnapshotRequest({ diskId: dataDisk }))).body!.snapshotId!;
    await s.settle();
    assert.equal(driver.snapshots.get(id), 'w1', 'frozen without the clock moving');
    assert.equal((await snapshot(s.ecs, id))!.status, 'progressing');
    driver.write(dataDisk, 'w2');
    await until(s, 'the snapshot to complete', async () => (await snapshot(s.ecs, id))!.status === 'accomplished');
    assert.equal(driver.snapshots.get(id), 'w1', 'the snapshot holds the bytes of when it was asked for');
  });

  it('a freeze that fails is retried; the snapshot is not accomplished before its bytes are frozen', async () => {
    driver.write(dataDisk, 'r1');
    driver.failNext('snapshotDisk', 2);
    const id = (await s.ecs.createSnapshot(new $Ecs.CreateSnapshotRequest({ diskId: dataDisk }))).body!.snapshotId!;
    await s.settle();
    assert.equal(driver.snapshots.has(id), false, 'the first attempt failed');
    assert.match((await operation(s, 'snapshot', id))!.error, /injected failure/);
    await until(s, 'the snapshot to complete', async () => {
      const st = (await snapshot(s.ecs, id))!.status;
      if (st === 'accomplished') assert.equal(driver.snapshots.get(id), 'r1');
      return st === 'accomplished';
    }, 100);
  });

  it('a snapshot whose bytes cannot be frozen goes to failed, and the disk takes the next one', async () => {
    driver.failNext('snapshotDisk', Infinity);
    const id = (await s.ecs.createSnapshot(new $Ecs.CreateSnapshotRequest({ diskId: dataDisk }))).body!.snapshotId!;
    await until(s, 'the snapshot to end', async () => (await snapshot(s.ecs, id))!.status !== 'progressing');
    driver.failNext('snapshotDisk', 0);
    const x = (await snapshot(s.ecs, id))!;
    assert.equal(x.status, 'failed');
    const failed = await s.ecs.describeSnapshots(new $Ecs.DescribeSnapshotsRequest({ regionId: R, diskId: dataDisk, status: 'failed' }));
    assert.deepEqual(failed.body!.snapshots!.snapshot!.map((y) => y.snapshotId), [id]);
    assert.deepEqual((await transitionsOf(s, id)).slice(-1), ['failed']);
    const next = (await s.ecs.createSnapshot(new $Ecs.CreateSnapshotRequest({ diskId: dataDisk }))).body!.snapshotId!;
    await until(s, 'the next snapshot', async () => (await snapshot(s.ecs, next))!.status === 'accomplished');
  });

  it('DeleteSnapshot answers at once; the file goes in the engine, retried until it has', async () => {
    const id = (await s.ecs.createSnapshot(new $Ecs.CreateSnapshotRequest({ diskId: dataDisk }))).body!.snapshotId!;
    await until(s, 'the snapshot', async () => (await snapshot(s.ecs, id))!.status === 'accomplished');
    assert.ok(driver.snapshots.has(id));
    driver.failNext('deleteSnapshot', 2);
    await s.ecs.deleteSnapshot(new $Ecs.DeleteSnapshotRequest({ snapshotId: id }));
    assert.equal(await snapshot(s.ecs, id), undefined, 'gone from the API at once');
    await s.settle();
    assert.ok(driver.snapshots.has(id), 'the first attempt failed');
    assert.match((await operation(s, 'snapshot', id))!.error, /injected failure/);
    await until(s, 'the file to go', () => !driver.snapshots.has(id), 200);
    await s.settle();
    assert.equal((await operation(s, 'snapshot', id))!.status, 'done');
  });

  it('ResetDisk: the instance waits for the rollback and boots from the snapshot bytes', async () => {
    await stop(s, vm.instanceId);
    driver.write(dataDisk, 'v1');
    const snap = (await s.ecs.createSnapshot(new $Ecs.CreateSnapshotRequest({ diskId: dataDisk }))).body!.snapshotId!;
    await until(s, 'the snapshot', async () => (await snapshot(s.ecs, snap))!.status === 'accomplished');
    driver.write(dataDisk, 'v2');
    driver.failNext('resetDisk', 3);
    await s.ecs.resetDisk(new $Ecs.ResetDiskRequest({ diskId: dataDisk, snapshotId: snap }));
    await s.ecs.startInstance(new $Ecs.StartInstanceRequest({ instanceId: vm.instanceId }));
    const bootedBefore = driver.bootedWith.get(vm.instanceId);
    await s.advance(DELAY);
    await s.advance(DELAY);
    assert.equal(driver.disks.get(dataDisk)!.bytes, 'v2', 'the rollback has not happened yet');
    assert.equal(await statusOf(s.ecs, vm.instanceId), 'Starting', 'the instance waits for the disk');
    assert.equal(driver.bootedWith.get(vm.instanceId), bootedBefore, 'nothing booted from the old bytes');
    await until(s, 'Running', async () => (await statusOf(s.ecs, vm.instanceId)) === 'Running', 200);
    assert.equal(driver.disks.get(dataDisk)!.bytes, 'v1');
    assert.equal(driver.bootedWith.get(vm.instanceId)![dataDisk], 'v1', 'the guest booted from the rolled-back bytes');
    assert.ok((await transitionsOf(s, dataDisk)).includes(`In_use:reset:${snap}`));
  });

  it('a snapshot still to be rolled back to keeps its file until the rollback is done', async () => {
    await stop(s, vm.instanceId);
    driver.write(dataDisk, 'k1');
    const snap = (await s.ecs.createSnapshot(new $Ecs.CreateSnapshotRequest({ diskId: dataDisk }))).body!.snapshotId!;
    await until(s, 'the snapshot', async () => (await snapshot(s.ecs, snap))!.status === 'accomplished');
    driver.write(dataDisk, 'k2');
    driver.failNext('resetDisk', 2);
    await s.ecs.resetDisk(new $Ecs.ResetDiskRequest({ diskId: dataDisk, snapshotId: snap }));
    await s.ecs.deleteSnapshot(new $Ecs.DeleteSnapshotRequest({ snapshotId: snap }));
    await s.settle();
    assert.ok(driver.snapshots.has(snap), 'kept while the rollback is pending');
    await until(s, 'the rollback and the file to go', () => driver.disks.get(dataDisk)!.bytes === 'k1' && !driver.snapshots.has(snap), 200);
  });

  it('ReInitDisk: the instance waits until the bytes are dropped, then boots from a fresh disk', async () => {
    if ((await statusOf(s.ecs, vm.instanceId)) !== 'Stopped') await stop(s, vm.instanceId);
    driver.write(dataDisk, 'old');
    driver.failNext('discardDisk', 2);
    await s.ecs.reInitDisk(new $Ecs.ReInitDiskRequest({ diskId: dataDisk }));
    await s.ecs.startInstance(new $Ecs.StartInstanceRequest({ instanceId: vm.instanceId }));
    await s.advance(DELAY);
    assert.equal((await disk(s.ecs, dataDisk))!.status, 'ReIniting');
    assert.equal(await statusOf(s.ecs, vm.instanceId), 'Starting', 'the instance waits for the disk');
    await until(s, 'Running', async () => (await statusOf(s.ecs, vm.instanceId)) === 'Running', 200);
    assert.equal(driver.bootedWith.get(vm.instanceId)![dataDisk], '', 'booted from the re-initialized (empty) data disk');
  });

  it('DeleteDisk: the bytes go in the engine, retried', async () => {
    await s.ecs.detachDisk(new $Ecs.DetachDiskRequest({ instanceId: vm.instanceId, diskId: dataDisk }));
    await until(s, 'Available', async () => (await disk(s.ecs, dataDisk))!.status === 'Available');
    assert.ok(driver.disks.has(dataDisk));
    driver.failNext('collectDisks', 1);
    await s.ecs.deleteDisk(new $Ecs.DeleteDiskRequest({ diskId: dataDisk }));
    await s.settle();
    assert.ok(driver.disks.has(dataDisk), 'the first attempt failed');
    await until(s, 'the bytes to go', () => !driver.disks.has(dataDisk), 200);
    assert.equal((await operation(s, 'disk-content', dataDisk))!.status, 'done');
  });
});

describe('durable disk and snapshot side effects across a restart', () => {
  const dir = mkdtempSync(join(tmpdir(), 'openecs-durable-'));
  const cluster = testDatabaseCluster();
  let database: TestDatabase | undefined;
  let s: TestServer | undefined;
  after(async () => { await s?.close(); await database?.drop(); rmSync(dir, { recursive: true, force: true }); });

  it('operations written before the restart finish after it', async () => {
    if (cluster) database = await createTestDatabase(cluster);
    // The same store (a SQLite file, or one PostgreSQL database) and the same host for both servers.
    const store = database ? { databaseUrl: database.url, dataDir: dir } : { dataDir: dir };
    const driver = new DiskModelDriver(DELAY);
    s = await startTestServer({ simDelayMs: DELAY, ...store }, { driver });
    const vm = await launch(s, { dataDisks: 1 });
    const dataDisk = await dataDiskOf(s, vm.instanceId);
    await stop(s, vm.instanceId);
    driver.write(vm.systemDiskId, 'before');
    const keep = (await s.ecs.createSnapshot(new $Ecs.CreateSnapshotRequest({ diskId: vm.systemDiskId }))).body!.snapshotId!;
    const drop = (await s.ecs.createSnapshot(new $Ecs.CreateSnapshotRequest({ diskId: dataDisk }))).body!.snapshotId!;
    await until(s, 'the snapshots', async () => (await snapshot(s!.ecs, keep))!.status === 'accomplished' && (await snapshot(s!.ecs, drop))!.status === 'accomplished');
    driver.write(vm.systemDiskId, 'after');

    driver.failNext('resizeDisk', 1);
    driver.failNext('resetDisk', 1);
    driver.failNext('deleteSnapshot', 1);
    await s.ecs.resizeDisk(new $Ecs.ResizeDiskRequest({ diskId: dataDisk, newSize: 64 }));
    await s.ecs.resetDisk(new $Ecs.ResetDiskRequest({ diskId: vm.systemDiskId, snapshotId: keep }));
    await s.ecs.deleteSnapshot(new $Ecs.DeleteSnapshotRequest({ snapshotId: drop }));
    await s.ecs.startInstance(new $Ecs.StartInstanceRequest({ instanceId: vm.instanceId }));
    await s.settle();
    // Each first attempt failed; the server goes away with the work written down.
    assert.equal(driver.disks.get(dataDisk)!.sizeGiB, 20);
    assert.equal(driver.disks.get(vm.systemDiskId)!.bytes, 'after');
    assert.ok(driver.snapshots.has(drop));
    const at = s.clock.now();
    await s.close();
    s = undefined;

    s = await startTestServer({ simDelayMs: DELAY, ...store }, { driver });
    s.clock.advance(at - s.clock.now());
    await until(s, 'Running', async () => (await statusOf(s!.ecs, vm.instanceId)) === 'Running', 200);
    assert.equal(driver.disks.get(dataDisk)!.sizeGiB, 64);
    assert.equal(driver.disks.get(vm.systemDiskId)!.bytes, 'before');
    assert.equal(driver.bootedWith.get(vm.instanceId)![vm.systemDiskId], 'before', 'booted from the rolled-back bytes');
    await until(s, 'the snapshot file to go', () => !driver.snapshots.has(drop), 200);
    const left = await s.app.services.db.selectFrom('operations').select(['kind', 'resource_id', 'status'])
      .where('status', '!=', 'done').execute();
    assert.deepEqual(left, [], 'nothing left pending or failed');
  });
});

describe('durable disk and snapshot side effects on the sim driver (no disk hooks)', () => {
  let s: TestServer;
  before(async () => { s = await startTestServer({ simDelayMs: DELAY }); });
  after(async () => { await s.close(); });

  it('every operation converges at once', async () => {
    const vm = await launch(s, { dataDisks: 1 });
    const dataDisk = await dataDiskOf(s, vm.instanceId);
    await s.ecs.resizeDisk(new $Ecs.ResizeDiskRequest({ diskId: dataDisk, newSize: 25, type: 'online' }));
    const snap = (await s.ecs.createSnapshot(new $Ecs.CreateSnapshotRequest({ diskId: dataDisk }))).body!.snapshotId!;
    await until(s, 'the snapshot', async () => (await snapshot(s.ecs, snap))!.status === 'accomplished');
    await stop(s, vm.instanceId);
    await s.ecs.resetDisk(new $Ecs.ResetDiskRequest({ diskId: dataDisk, snapshotId: snap }));
    await s.ecs.startInstance(new $Ecs.StartInstanceRequest({ instanceId: vm.instanceId }));
    await until(s, 'Running', async () => (await statusOf(s.ecs, vm.instanceId)) === 'Running');
    await s.ecs.deleteSnapshot(new $Ecs.DeleteSnapshotRequest({ snapshotId: snap }));
    await s.settle();
    assert.equal((await disk(s.ecs, dataDisk))!.size, 25);
    const left = await s.app.services.db.selectFrom('operations').select(['kind', 'resource_id', 'status', 'error'])
      .where('status', '!=', 'done').execute();
    assert.deepEqual(left, []);
  });
});
