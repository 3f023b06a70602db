/** The invariant checker's rules (src/engine/invariants.ts), table-driven over statuses and a host inventory. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { HostInventory } from '../../src/compute/driver.js';
import { hostViolations, statusViolation } from '../../src/engine/invariants.js';

describe('statusViolation', () => {
  const cases: Array<[Parameters<typeof statusViolation>[0], string, boolean, string | undefined]> = [
    ['instance', 'Running', true, undefined],
    ['instance', 'Stopped', true, undefined],
    ['instance', 'Starting', false, undefined],
    ['instance', 'Starting', true, 'instance-unsettled'],
    ['instance', 'Deleted', false, 'instance-state'],
    ['instance', 'running', false, 'instance-state'],
    ['disk', 'In_use', true, undefined],
    ['disk', 'Attaching', true, 'disk-unsettled'],
    ['disk', 'ReIniting', false, undefined],
    ['disk', 'Deleting', false, 'disk-state'],
    ['snapshot', 'progressing', false, undefined],
    ['snapshot', 'progressing', true, 'snapshot-unsettled'],
    ['snapshot', 'failed', true, undefined],
    ['snapshot', 'Accomplished', false, 'snapshot-state'],
    ['image', 'Creating', true, 'image-unsettled'],
    ['image', 'CreateFailed', true, undefined],
    ['image', 'Pending', false, 'image-state'],
  ];
  for (const [kind, status, settled, want] of cases) {
    it(`${kind} ${status}${settled ? ' (settled)' : ''} → ${want ?? 'fine'}`, () => {
      assert.equal(statusViolation(kind, 'x', status, settled)?.kind, want);
    });
  }
});

describe('hostViolations', () => {
  const inv = (o: Partial<HostInventory> = {}): HostInventory => ({
    guestProcesses: { 'i-run': [100] }, instanceDirs: ['i-run', 'i-stop'], taps: ['i-run', 'i-stop'], diskFiles: ['d-1'], snapshotFiles: ['s-1'],
    unusedDeletedSnapshotFiles: [], nftSets: ['m_sg_1'], nftChains: ['forward', 'in_i_run', 'eg_i_run', 'input', 'output'],
    network: 'netns', dnsmasq: [200], metadataHelpers: [300], namespaceGuests: 1, dnsmasqInstalled: true, ...o,
  });
  const facts = {
    live: new Map([['i-run', { id: 'i-run', status: 'Running' }], ['i-stop', { id: 'i-stop', status: 'Stopped' }]]),
    diskIds: new Set(['d-1']),
    snapshots: new Map([['s-1', { id: 's-1', status: 'accomplished', taken_at: 1, source_snapshot_id: '' }]]),
    groupSets: new Set(['m_sg_1']),
    settled: true,
  };
  const cases: Array<[string, Partial<HostInventory>, string[]]> = [
    ['a consistent host', {}, []],
    ['two QEMU for one instance', { guestProcesses: { 'i-run': [100, 101] } }, ['guest-processes']],
    ['a Running instance without QEMU', { guestProcesses: {} }, ['guest-processes']],
    ['a QEMU for a Stopped instance', { guestProcesses: { 'i-run': [100], 'i-stop': [102] } }, ['guest-processes']],
    ['a QEMU nobody knows', { guestProcesses: { 'i-run': [100], 'i-gone': [103] } }, ['orphan-process']],
    ['a tap nobody knows', { taps: ['i-run', 'i-gone'] }, ['orphan-tap']],
    ['an instance folder nobody knows', { instanceDirs: ['i-run', 'i-gone'] }, ['orphan-folder']],
    ['a disk file nobody knows', { diskFiles: ['d-1', 'd-2'] }, ['orphan-disk-file']],
    ['a snapshot file nobody knows', { snapshotFiles: ['s-1', 's-2'] }, ['orphan-snapshot-file']],
    ['a deleted snapshot file nothing uses', { unusedDeletedSnapshotFiles: ['s-9'] }, ['orphan-snapshot-file']],
    ['an accomplished snapshot without its file', { snapshotFiles: [] }, ['snapshot-file']],
    ['an nftables set of a deleted group', { nftSets: ['m_sg_1', 'm_sg_2'] }, ['orphan-nft-set']],
    ['an nftables chain of a released instance', { nftChains: ['forward', 'in_i_gone'] }, ['orphan-nft-chain']],
    ['two dnsmasq on one namespace', { dnsmasq: [200, 201] }, ['dhcp-processes']],
    ['two metadata helpers on one namespace', { metadataHelpers: [300, 301] }, ['metadata-processes']],
    ['guests without a metadata service', { metadataHelpers: [] }, ['metadata-processes']],
    ['guests without DHCP', { dnsmasq: [] }, ['dhcp-processes']],
    ['no DHCP where dnsmasq is not installed', { dnsmasq: [], dnsmasqInstalled: false }, []],
    ['no helpers and no guests', { dnsmasq: [], metadataHelpers: [], namespaceGuests: 0, guestProcesses: {} }, ['guest-processes']],
    ['user-mode networking has no helpers to count', { network: 'user', dnsmasq: [1, 2], metadataHelpers: [] }, []],
  ];
  for (const [name, o, want] of cases) {
    it(name, () => assert.deepEqual(hostViolations(inv(o), facts).map((v) => v.kind), want));
  }
});
