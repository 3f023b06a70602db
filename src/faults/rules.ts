/**
 * Fault rules as the API and the driver wrapper consult them: read from the store (so every
 * replica applies the same rules), cached per store until it changes, and taken compare-and-set
 * so a rule "for the next N calls" faults exactly N calls across replicas.
 */
import type { Selectable } from 'kysely';
import type { Db } from '../store/db.js';
import { storeVersion } from '../store/db.js';
import type { FaultRuleTable } from '../store/schema.js';

export type FaultRule = Selectable<FaultRuleTable>;

/** Driver steps a rule can fail, in the words of the console and the README. */
export const DRIVER_STEPS = ['InstanceStart', 'DiskAttach', 'SnapshotCreate', 'HostEvent'] as const;
export type DriverStep = (typeof DRIVER_STEPS)[number];
export const API_TARGET = 'Api';

/** Another replica's rule changes are seen within this long, however busy the store is. */
const RELOAD_MS = 200;

interface Cache { version: string; loadedAt: number; rules: FaultRule[]; stale: boolean }
const caches = new WeakMap<Db, Cache>();

/** This process wrote rules: the next lookup reads them again at once. */
export function invalidateFaultRules(db: Db) {
  const c = caches.get(db);
  if (c) c.stale = true;
}

export async function activeRules(db: Db): Promise<FaultRule[]> {
  let version = '';
  try { version = storeVersion(db); } catch { /* a store not opened by openStore: always read */ }
  const c = caches.get(db);
  const now = Date.now();
  if (c && !c.stale && (c.version === version || now - c.loadedAt < RELOAD_MS)) return c.rules;
  const rows = await db.selectFrom('fault_rules').selectAll().where('remaining', '!=', 0).orderBy('created_at').orderBy('id').execute();
  const rules = rows.map((r) => ({ ...r, latency_ms: Number(r.latency_ms), probability_ppm: Number(r.probability_ppm), remaining: Number(r.remaining), hits: Number(r.hits), created_at: Number(r.created_at) }));
  caches.set(db, { version, loadedAt: now, rules, stale: false });
  return rules;
}

/** `*` matches any run of characters; the rest literally, case-insensitively (action names are case-sensitive on the wire, rule patterns are typed by people). */
export function globMatches(pattern: string, value: string): boolean {
  if (pattern === '*' || pattern === '') return true;
  const re = new RegExp(`^${pattern.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`, 'i');
  return re.test(value);
}

/** Whether a rule fires for one matching call: the dice first, then a share of its count. */
export async function take(db: Db, rule: FaultRule, random: () => number = Math.random): Promise<boolean> {
  if (rule.probability_ppm < 1_000_000 && random() * 1_000_000 >= rule.probability_ppm) return false;
  const q = db.updateTable('fault_rules').where('id', '=', rule.id);
  const r = rule.remaining < 0
    ? await q.set((eb) => ({ hits: eb('hits', '+', 1) })).executeTakeFirst()
    : await q.set((eb) => ({ hits: eb('hits', '+', 1), remaining: eb('remaining', '-', 1) })).where('remaining', '>', 0).executeTakeFirst();
  const fired = Number(r.numUpdatedRows) > 0;
  // A counted rule that ran out (here or on another replica) is dropped from the cache at once.
  if (rule.remaining >= 0) invalidateFaultRules(db);
  return fired;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
