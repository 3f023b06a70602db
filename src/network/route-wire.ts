/**
 * Custom route entries on the wire, in the instance namespace (src/network/netns.ts), where every
 * VPC is a bridge and the namespace is the VPC's vRouter. Each VPC with routable entries gets a
 * routing table of its own (its number derived from the VPC id) holding its VSwitch blocks
 * (`dev <bridge> scope link`, so its local traffic never leaves by a custom route) and each entry as
 * `<dest> via <next hop's private IP> dev <bridge> onlink`, and one policy rule
 * `iif <bridge> lookup <table>`: only what arrives from that VPC uses them. A destination the table
 * lacks falls through to the main table, as before.
 *
 * Several servers may share the namespace: a server's rules carry a priority derived from its
 * owner, so its applier removes its own stale rules (and flushes their tables: a VPC deleted, its
 * last entry gone) and never another server's.
 *
 * Pure planning (`planRouteWire`, `routeArgs`) and one apply (`applyRouteWire`), idempotent: the
 * table's routes are set to exactly what the plan says, missing rules added, stale ones removed.
 */
import { createHash } from 'node:crypto';
import { containsCidr, parseCidr } from '../domain/cidr.js';
import type { Netns } from './netns.js';
import type { RoutedEntry } from '../store/route-tables.js';

function hashNumber(s: string, bits: number): number {
  return parseInt(createHash('sha256').update(s).digest('hex').slice(0, 8), 16) % 2 ** bits;
}

/** A VPC's routing table number: above 65535, away from local (255), main (254), default (253) and hand-made tables. */
export function routeTableNumber(vpcId: string): number { return 0x10000 + hashNumber(vpcId, 24); }

/** The priority of an owner's rules: after `local` (0), before `main` (32766). */
export function rulePriority(owner: string): number { return 20000 + hashNumber(owner, 13); }

/** A custom entry with its next hop's private address, as the store gathers it. */
export type WireEntry = RoutedEntry;

/** One VPC's routing table as it should be on the wire. */
export interface VpcRouteTable {
  vpcId: string;
  bridge: string;
  table: number;
  /** The VSwitch blocks, routed on the bridge. */
  local: string[];
  /** Custom entries, sorted by destination. */
  routes: { destination: string; via: string }[];
}

/** `10.99.0.1/32` → `10.99.0.1`, `0.0.0.0/0` → `default`: the spelling `ip -j route` answers with. */
export function routeKey(cidr: string): string {
  const p = parseCidr(cidr.trim());
  if (!p.ok) return cidr;
  if (p.cidr.prefix === 0) return 'default';
  const text = cidr.trim();
  return p.cidr.prefix === 32 ? text.replace(/\/32$/, '') : text;
}

/**
 * The tables to put on the wire: per VPC whose bridge is in the namespace, the entries with a next
 * hop that has an address inside one of the VPC's VSwitch blocks (a next hop released, deleted or
 * moved away leaves its entry in the store, routed nowhere).
 */
export function planRouteWire(input: {
  entries: readonly WireEntry[];
  vswitches: readonly { vpcId: string; cidr: string }[];
  /** VPC id → its bridge, for the bridges that exist. */
  bridges: ReadonlyMap<string, string>;
}): VpcRouteTable[] {
  const out = new Map<string, VpcRouteTable>();
  for (const e of input.entries) {
    const bridge = input.bridges.get(e.vpcId);
    if (!bridge || !e.via) continue;
    const local = input.vswitches.filter((s) => s.vpcId === e.vpcId).map((s) => s.cidr);
    const hop = parseCidr(`${e.via}/32`);
    const dest = parseCidr(e.destination.trim());
    if (!hop.ok || !dest.ok) continue;
    if (!local.some((c) => { const b = parseCidr(c); return b.ok && containsCidr(b.cidr, hop.cidr); })) continue;
    const t = out.get(e.vpcId) ?? { vpcId: e.vpcId, bridge, table: routeTableNumber(e.vpcId), local: [...local].sort(), routes: [] };
    t.routes.push({ destination: e.destination.trim(), via: e.via });
    out.set(e.vpcId, t);
  }
  for (const t of out.values()) t.routes.sort((a, b) => a.destination.localeCompare(b.destination));
  return [...out.values()].sort((a, b) => a.vpcId.localeCompare(b.vpcId));
}

/** The `ip route replace` arguments of a table, keyed by the destination `ip -j route` shows. */
export function routeArgs(t: VpcRouteTable): Map<string, string[]> {
  const table = String(t.table);
  const out = new Map<string, string[]>();
  for (const c of t.local) out.set(routeKey(c), ['route', 'replace', c, 'dev', t.bridge, 'scope', 'link', 'table', table]);
  for (const r of t.routes) out.set(routeKey(r.destination), ['route', 'replace', r.destination, 'via', r.via, 'dev', t.bridge, 'onlink', 'table', table]);
  return out;
}

interface RuleRow { priority?: number; iif?: string; table?: string }

/** The kernel makes a table with its first route: one never filled (or emptied) reads as none. */
const NO_TABLE = /FIB table does not exist/;

async function routesOf(ns: Netns, table: number): Promise<{ dst: string }[]> {
  try {
    return JSON.parse((await ns.ip(['-j', '-4', 'route', 'show', 'table', String(table)])).stdout || '[]') as { dst: string }[];
  } catch (e) {
    if (NO_TABLE.test(String(e))) return [];
    throw e;
  }
}

const deleteRoute = (ns: Netns, dst: string, table: number) => ns.ip(['route', 'del', dst === 'default' ? '0.0.0.0/0' : dst, 'table', String(table)]);

/**
 * Brings the namespace's routing in step with `tables` for this owner. The namespace sends no ICMP
 * redirects (a guest told to go to the next hop directly would bypass the route and the groups).
 */
export async function applyRouteWire(ns: Netns, owner: string, tables: readonly VpcRouteTable[]): Promise<void> {
  const priority = rulePriority(owner);
  if (tables.length === 0 && !(await ns.exists())) return;
  await ns.ensure();
  const rules = (JSON.parse((await ns.ip(['-j', '-4', 'rule', 'show'])).stdout || '[]') as RuleRow[]).filter((r) => r.priority === priority);
  const wanted = new Set(tables.map((t) => `${t.bridge}:${t.table}`));
  for (const r of rules) {
    if (wanted.has(`${r.iif}:${r.table}`)) continue;
    await ns.ip(['rule', 'del', 'priority', String(priority), ...(r.iif ? ['iif', r.iif] : []), 'lookup', String(r.table)]);
    if (!tables.some((t) => String(t.table) === r.table)) {
      for (const h of await routesOf(ns, Number(r.table))) await deleteRoute(ns, h.dst, Number(r.table));
    }
  }
  if (tables.length) await ns.exec('sysctl', ['-qw', 'net.ipv4.conf.all.send_redirects=0', 'net.ipv4.conf.default.send_redirects=0']);
  for (const t of tables) {
    await ns.exec('sysctl', ['-qw', `net.ipv4.conf.${t.bridge}.send_redirects=0`]);
    const want = routeArgs(t);
    const held = await routesOf(ns, t.table);
    // Local blocks first: an onlink next hop is checked against the routes there.
    for (const args of want.values()) await ns.ip(args);
    for (const h of held) if (!want.has(h.dst)) await deleteRoute(ns, h.dst, t.table);
    if (!rules.some((r) => r.iif === t.bridge && r.table === String(t.table))) {
      await ns.ip(['rule', 'add', 'iif', t.bridge, 'lookup', String(t.table), 'priority', String(priority)]);
    }
  }
}
