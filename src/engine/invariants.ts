/**
 * The invariants a crash must not break, checked over the store and, through the driver, the host
 * (the crash-storm suites run it after every storm; `openecs doctor --invariants` on a data dir):
 * every resource in a state ECS documents, desired and actual state agreeing once the engine has
 * converged, storage rows consistent with each other and with their files, no guest, process,
 * tap, nftables set or file the store does not know, one DHCP and one metadata service per
 * instance namespace, and every ClientToken holding its first answer.
 *
 * `settled`: the engine has had time to converge, so transitional states, pending intent and due
 * operations are violations too; without it only what is never allowed is reported.
 */
import type { ComputeDriver, HostInventory } from '../compute/driver.js';
import type { Db } from '../store/db.js';
import { setName } from '../network/nft-compiler.js';

export interface Violation { kind: string; resource: string; detail: string }

/** The states the ECS documents give each resource (src/store/schema.ts). */
export const DOCUMENTED_STATES = {
  instance: ['Pending', 'Starting', 'Running', 'Stopping', 'Stopped'],
  disk: ['Creating', 'Available', 'Attaching', 'In_use', 'Detaching', 'ReIniting'],
  snapshot: ['progressing', 'accomplished', 'failed'],
  image: ['Creating', 'Waiting', 'Available', 'UnAvailable', 'CreateFailed', 'Deprecated'],
  eni: ['Available', 'Attaching', 'InUse', 'Detaching', 'Deleting'],
  eip: ['Available', 'Associating', 'InUse', 'Unassociating', 'Releasing'],
} as const;

/** The states a resource may rest in once nothing more is asked of it. */
export const SETTLED_STATES = {
  instance: ['Running', 'Stopped'],
  disk: ['Available', 'In_use'],
  snapshot: ['accomplished', 'failed'],
  image: ['Available', 'UnAvailable', 'CreateFailed', 'Deprecated'],
  eni: ['Available', 'InUse'],
  eip: ['Available', 'InUse'],
} as const;

export interface CheckOptions {
  settled: boolean;
  /** Now, on the engine's clock (epoch ms): timed completions not yet due are not late. */
  now: number;
}

type Kind = keyof typeof DOCUMENTED_STATES;

/** Pure: a resource's status against its documented and settled states. */
export function statusViolation(kind: Kind, id: string, status: string, settled: boolean): Violation | undefined {
  if (!(DOCUMENTED_STATES[kind] as readonly string[]).includes(status)) return { kind: `${kind}-state`, resource: id, detail: `status "${status}" is not a documented ${kind} state` };
  if (settled && !(SETTLED_STATES[kind] as readonly string[]).includes(status)) return { kind: `${kind}-unsettled`, resource: id, detail: `still ${status} after the engine converged` };
  return undefined;
}

/**
 * `driver`: the server's own (its guests are what it holds), or one over the same data dir (qemu:
 * the host is looked at, not remembered); undefined checks the store alone (the sim driver keeps
 * its guests in the server's memory).
 */
export async function checkInvariants(db: Db, driver: ComputeDriver | undefined, o: CheckOptions): Promise<Violation[]> {
  const out: Violation[] = [];
  const add = (v: Violation | undefined) => { if (v) out.push(v); };
  // The host first, then the store (as converge.ts does): whatever the host shows belongs to a row the read sees, unless released.
  const inventory = driver?.hostInventory ? await driver.hostInventory() : undefined;
  const guests = driver ? await driver.list() : [];

  const instances = await db.selectFrom('instances').select(['id', 'status', 'desired_status', 'deleted_at']).execute();
  const live = new Map(instances.filter((i) => i.deleted_at === null).map((i) => [i.id, i]));
  for (const i of live.values()) {
    add(statusViolation('instance', i.id, i.status, o.settled));
    if (o.settled && i.status !== i.desired_status) add({ kind: 'instance-intent', resource: i.id, detail: `${i.status}, but ${i.desired_status} was asked for` });
  }

  const disks = await db.selectFrom('disks').select(['id', 'status', 'instance_id', 'type', 'reset_snapshot_id', 'resize_from']).execute();
  const diskIds = new Set(disks.map((d) => d.id));
  const systemDisks = new Map<string, number>();
  for (const d of disks) {
    add(statusViolation('disk', d.id, d.status, o.settled));
    if (d.instance_id && !live.has(d.instance_id)) add({ kind: 'disk-owner', resource: d.id, detail: `attached to ${d.instance_id}, which does not exist` });
    if (d.status === 'In_use' && !d.instance_id) add({ kind: 'disk-owner', resource: d.id, detail: 'In_use without an instance' });
    if (d.status === 'Available' && d.instance_id) add({ kind: 'disk-owner', resource: d.id, detail: `Available but held by ${d.instance_id}` });
    if (d.type === 'system' && d.instance_id) systemDisks.set(d.instance_id, (systemDisks.get(d.instance_id) ?? 0) + 1);
    if (o.settled && (d.reset_snapshot_id || d.resize_from)) add({ kind: 'disk-intent', resource: d.id, detail: `a reset or resize never reached its bytes (reset ${d.reset_snapshot_id || '-'}, resize from ${d.resize_from})` });
  }
  // Network interfaces: a settled one is attached (InUse) to a live instance or to none (Available).
  const enis = await db.selectFrom('network_interfaces').select(['id', 'status', 'instance_id', 'type']).execute();
  for (const n of enis) {
    add(statusViolation('eni', n.id, n.status, o.settled));
    if (n.instance_id && !live.has(n.instance_id)) add({ kind: 'eni-owner', resource: n.id, detail: `attached to ${n.instance_id}, which does not exist` });
    if (n.status === 'InUse' && !n.instance_id) add({ kind: 'eni-owner', resource: n.id, detail: 'InUse without an instance' });
    if (n.status === 'Available' && n.instance_id) add({ kind: 'eni-owner', resource: n.id, detail: `Available but held by ${n.instance_id}` });
  }
  // EIPs: a settled one is associated (InUse) with a live instance or with none (Available), and holds its pool address.
  const eips = await db.selectFrom('eips').leftJoin('public_ips', (j) => j.onRef('public_ips.instance_id', '=', 'eips.id').on('public_ips.kind', '=', 'eip'))
    .select(['eips.id', 'eips.status', 'eips.instance_id', 'eips.instance_type', 'eips.ip_address', 'public_ips.ip as held']).execute();
  const eniIds = new Set(enis.map((n) => n.id));
  for (const e of eips) {
    add(statusViolation('eip', e.id, e.status, o.settled));
    // An EIP of a secondary ENI (InstanceType NetworkInterface) is held by the ENI.
    const holderExists = e.instance_type === 'NetworkInterface' ? eniIds.has(e.instance_id) : live.has(e.instance_id);
    if (e.instance_id && !holderExists) add({ kind: 'eip-owner', resource: e.id, detail: `associated with ${e.instance_id}, which does not exist` });
    if (e.status === 'InUse' && !e.instance_id) add({ kind: 'eip-owner', resource: e.id, detail: 'InUse without an instance' });
    if (e.status === 'Available' && e.instance_id) add({ kind: 'eip-owner', resource: e.id, detail: `Available but held by ${e.instance_id}` });
    if (e.held !== e.ip_address) add({ kind: 'eip-address', resource: e.id, detail: `${e.ip_address} is not held in the public pool (${e.held ?? 'nothing'})` });
  }
  for (const id of live.keys()) {
    const n = systemDisks.get(id) ?? 0;
    if (n !== 1) add({ kind: 'instance-system-disk', resource: id, detail: `${n} system disks` });
  }

  const snapshots = await db.selectFrom('snapshots').select(['id', 'status', 'taken_at', 'source_snapshot_id', 'completes_at']).execute();
  const snapshotById = new Map(snapshots.map((s) => [s.id, s]));
  for (const s of snapshots) {
    add(statusViolation('snapshot', s.id, s.status, o.settled && s.completes_at <= o.now));
    if (s.status === 'accomplished' && !s.source_snapshot_id && s.taken_at === null) add({ kind: 'snapshot-bytes', resource: s.id, detail: 'accomplished without its bytes ever frozen' });
  }

  const images = await db.selectFrom('images').select(['id', 'status', 'completes_at', 'deleted_at']).where('deleted_at', 'is', null).execute();
  const mappings = await db.selectFrom('image_mappings').select(['image_id', 'snapshot_id']).execute();
  for (const im of images) {
    add(statusViolation('image', im.id, im.status, o.settled && im.completes_at <= o.now));
    if (im.status !== 'Available') continue;
    const own = mappings.filter((m) => m.image_id === im.id);
    if (!own.length) add({ kind: 'image-mapping', resource: im.id, detail: 'Available without disk mappings' });
    for (const m of own) {
      const s = snapshotById.get(m.snapshot_id);
      if (!s || s.status !== 'accomplished') add({ kind: 'image-mapping', resource: im.id, detail: `Available, but its snapshot ${m.snapshot_id || '(none)'} is ${s?.status ?? 'gone'}` });
    }
  }

  const ops = await db.selectFrom('operations').select(['id', 'kind', 'resource_id', 'status', 'due_at', 'attempts', 'error']).where('status', '!=', 'done').execute();
  for (const op of ops) {
    if (op.status === 'failed') add({ kind: 'operation-failed', resource: op.resource_id, detail: `${op.kind} #${op.id} gave up: ${op.error}` });
    else if (o.settled && op.due_at <= o.now - 5000) add({ kind: 'operation-late', resource: op.resource_id, detail: `${op.kind} #${op.id} due ${o.now - op.due_at} ms ago (${op.attempts} attempts${op.error ? `, last: ${op.error}` : ''})` });
  }

  const tokens = await db.selectFrom('idempotency').select(['action', 'client_token', 'response']).execute();
  for (const t of tokens) {
    let ok = false;
    try { const v = JSON.parse(t.response) as unknown; ok = typeof v === 'object' && v !== null && Object.keys(v).length > 0; } catch { /* not JSON */ }
    if (!ok) add({ kind: 'client-token', resource: `${t.action}:${t.client_token}`, detail: `no first answer stored (${t.response.slice(0, 40)})` });
  }

  for (const id of guests) if (!live.has(id)) add({ kind: 'orphan-guest', resource: id, detail: `the ${driver!.name} driver holds a guest the store does not know` });
  if (driver) for (const i of live.values()) {
    const power = await driver.powerState(i.id);
    if (i.status === 'Running' && power !== 'running') add({ kind: 'guest-power', resource: i.id, detail: `Running, but its guest is ${power}` });
    if (i.status === 'Stopped' && power === 'running') add({ kind: 'guest-power', resource: i.id, detail: 'Stopped, but its guest runs' });
  }

  if (inventory) {
    const groups = new Set((await db.selectFrom('security_groups').select('id').execute()).map((g) => setName(g.id)));
    // An attached ENI has a tap of its own (qemu nics.ts), named after the ENI.
    const enis = new Set((await db.selectFrom('network_interfaces').select('id').where('type', '!=', 'Primary').execute()).map((n) => n.id));
    out.push(...hostViolations(inventory, { live, diskIds, snapshots: snapshotById, groupSets: groups, settled: o.settled, enis }));
  }
  return out;
}

interface HostFacts {
  live: Map<string, { id: string; status: string }>;
  diskIds: Set<string>;
  snapshots: Map<string, { id: string; status: string; taken_at: number | null; source_snapshot_id: string }>;
  groupSets: Set<string>;
  settled: boolean;
  /** Secondary ENIs the store has (their taps are known too). */
  enis?: Set<string>;
}

/** Pure: what the host holds against what the store says it should (exported for tests). */
export function hostViolations(inv: HostInventory, f: HostFacts): Violation[] {
  const out: Violation[] = [];
  const unknown = (kind: string, ids: string[], known: (id: string) => boolean, what: string) => {
    for (const id of ids) if (!known(id)) out.push({ kind, resource: id, detail: what });
  };
  for (const [id, pids] of Object.entries(inv.guestProcesses)) {
    const i = f.live.get(id);
    if (!i) out.push({ kind: 'orphan-process', resource: id, detail: `QEMU ${pids.join(', ')} runs for an instance the store does not know` });
    else if (pids.length > 1) out.push({ kind: 'guest-processes', resource: id, detail: `${pids.length} QEMU processes (${pids.join(', ')})` });
    else if (i.status === 'Stopped') out.push({ kind: 'guest-processes', resource: id, detail: `Stopped, but QEMU ${pids[0]} runs` });
  }
  for (const i of f.live.values()) {
    if (i.status === 'Running' && !inv.guestProcesses[i.id]?.length) out.push({ kind: 'guest-processes', resource: i.id, detail: 'Running without a QEMU process' });
  }
  unknown('orphan-folder', inv.instanceDirs, (id) => f.live.has(id), 'an instance folder the store does not know');
  unknown('orphan-tap', inv.taps, (id) => f.live.has(id) || !!f.enis?.has(id), 'a tap for an instance or network interface the store does not know');
  unknown('orphan-disk-file', inv.diskFiles, (id) => f.diskIds.has(id), 'a disk file the store does not know');
  unknown('orphan-snapshot-file', inv.snapshotFiles, (id) => f.snapshots.has(id), 'a snapshot file the store does not know');
  for (const id of inv.unusedDeletedSnapshotFiles) out.push({ kind: 'orphan-snapshot-file', resource: id, detail: 'a deleted snapshot\'s file nothing is backed by any more' });
  const files = new Set(inv.snapshotFiles);
  for (const s of f.snapshots.values()) {
    if (s.status === 'accomplished' && s.taken_at !== null && !s.source_snapshot_id && !files.has(s.id)) out.push({ kind: 'snapshot-file', resource: s.id, detail: 'accomplished, but its file is missing' });
  }
  unknown('orphan-nft-set', inv.nftSets, (name) => f.groupSets.has(name), 'an nftables set for a security group the store does not know');
  const chainOwners = new Set([...f.live.keys(), ...(f.enis ?? [])].map((id) => id.replace(/[^A-Za-z0-9_]/g, '_')));
  unknown('orphan-nft-chain', inv.nftChains.filter((c) => /^(in|eg)_/.test(c)), (c) => chainOwners.has(c.slice(3)), 'an nftables chain for an instance the store does not know');
  if (inv.network === 'netns') {
    if (inv.dnsmasq.length > 1) out.push({ kind: 'dhcp-processes', resource: 'dnsmasq', detail: `${inv.dnsmasq.length} dnsmasq processes on one namespace (${inv.dnsmasq.join(', ')})` });
    if (inv.metadataHelpers.length > 1) out.push({ kind: 'metadata-processes', resource: 'metadata-helper', detail: `${inv.metadataHelpers.length} metadata helpers on one namespace (${inv.metadataHelpers.join(', ')})` });
    if (f.settled && inv.namespaceGuests > 0) {
      if (inv.metadataHelpers.length === 0) out.push({ kind: 'metadata-processes', resource: 'metadata-helper', detail: `${inv.namespaceGuests} guests and no metadata service` });
      if (inv.dnsmasqInstalled && inv.dnsmasq.length === 0) out.push({ kind: 'dhcp-processes', resource: 'dnsmasq', detail: `${inv.namespaceGuests} guests and no DHCP service` });
    }
  }
  return out;
}
