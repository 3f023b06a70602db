/** What the engine pushes to a running guest: only the settings where the guest differs from its instance row. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { syncGuestSettings } from '../../src/engine/reconcilers/guest-settings.js';
import type { ComputeDriver, GuestSettings } from '../../src/compute/driver.js';
import type { InstanceRow } from '../../src/store/instances.js';
import type { Db } from '../../src/store/db.js';

const row = (vnc: string, generation: number) => ({
  id: 'i-1', vnc_password_sealed: vnc, metadata_generation: generation,
  metadata_http_endpoint: 'enabled', metadata_http_tokens: 'required', metadata_hop_limit: 1, metadata_tags: 'disabled',
}) as unknown as InstanceRow;

test('pushes only what differs (table)', async () => {
  const cases: [string, GuestSettings | undefined, InstanceRow, string[]][] = [
    ['not running: its boot applies both', undefined, row('sealed-a', 3), []],
    ['up to date', { vncPasswordSealed: 'sealed-a', metadataGeneration: 3 }, row('sealed-a', 3), []],
    ['new password', { vncPasswordSealed: 'sealed-a', metadataGeneration: 3 }, row('sealed-b', 3), ['vnc sealed-b']],
    ['a password the guest lost', { vncPasswordSealed: '', metadataGeneration: 3 }, row('sealed-a', 3), ['vnc sealed-a']],
    ['never set: the guest keeps its random one', { vncPasswordSealed: '', metadataGeneration: 0 }, row('', 0), []],
    ['metadata behind', { vncPasswordSealed: 'sealed-a', metadataGeneration: 2 }, row('sealed-a', 3), ['metadata 3 required']],
    ['metadata from another store (restored): pushed too', { vncPasswordSealed: '', metadataGeneration: 9 }, row('', 3), ['metadata 3 required']],
    ['both', { vncPasswordSealed: '', metadataGeneration: 0 }, row('sealed-a', 1), ['vnc sealed-a', 'metadata 1 required']],
  ];
  for (const [name, applied, r, want] of cases) {
    const calls: string[] = [];
    const driver = {
      guestSettings: async () => applied,
      setVncPassword: async (_id: string, sealed: string) => { calls.push(`vnc ${sealed}`); },
      setMetadataOptions: async (_id: string, generation: number, o: { httpTokens: string }) => { calls.push(`metadata ${generation} ${o.httpTokens}`); },
    } as unknown as ComputeDriver;
    await syncGuestSettings({ db: undefined as unknown as Db, driver }, r);
    assert.deepEqual(calls, want, name);
  }
});

test('a failed push throws (the operation is retried), and a driver without the hooks is left alone', async () => {
  const failing = {
    guestSettings: async () => ({ vncPasswordSealed: '', metadataGeneration: 0 }),
    setMetadataOptions: async () => { throw new Error('QMP did not answer'); },
  } as unknown as ComputeDriver;
  await assert.rejects(syncGuestSettings({ db: undefined as unknown as Db, driver: failing }, row('', 1)), /QMP did not answer/);
  await syncGuestSettings({ db: undefined as unknown as Db, driver: {} as ComputeDriver }, row('sealed-a', 1));
});
