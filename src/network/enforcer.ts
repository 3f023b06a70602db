/**
 * Keeps security groups on the wire in step with the store: the reconciler of the
 * `security-policy` operation (src/engine/security-policy.ts) gathers every live NIC's groups and
 * rules, and the member addresses of every group, and hands them to a driver that enforces them
 * (qemu with the netns network compiles them to nftables and applies only when the rendered
 * ruleset changed). The writes that change any of it request the operation in their own
 * transaction, the instance reconciler does when a guest's network comes up (a new VPC bridge
 * changes the isolation rule), and start-up does (a new driver has applied nothing yet).
 */
import type { EvaluatedGroup } from '../domain/security-rules/evaluate.js';
import type { GroupType, InnerAccessPolicy } from '../domain/security-rules/model.js';
import type { NicSecurityPolicy } from '../compute/driver.js';
import type { EngineEnv, OperationRow, ReconcileResult } from '../engine/engine.js';
import type { Db } from '../store/db.js';
import { rulesOfGroups } from '../store/security-group-rules.js';

export interface GatheredPolicy { nics: NicSecurityPolicy[]; members: Record<string, string[]> }

export async function gatherPolicy(db: Db): Promise<GatheredPolicy> {
  const instances = await db.selectFrom('instances').select(['id', 'private_ip'])
    .where('deleted_at', 'is', null).where('private_ip', '!=', '').orderBy('id').execute();
  if (instances.length === 0) return { nics: [], members: {} };
  const ipOf = new Map(instances.map((i) => [i.id, i.private_ip]));
  const memberships = await db.selectFrom('instance_security_groups').select(['instance_id', 'security_group_id', 'position'])
    .orderBy('instance_id').orderBy('position').execute();
  const groupsOf = new Map<string, string[]>();
  const members: Record<string, string[]> = {};
  for (const m of memberships) {
    const ip = ipOf.get(m.instance_id);
    if (!ip) continue;
    (groupsOf.get(m.instance_id) ?? groupsOf.set(m.instance_id, []).get(m.instance_id)!).push(m.security_group_id);
    (members[m.security_group_id] ??= []).push(ip);
  }
  const groupIds = [...new Set(memberships.filter((m) => ipOf.has(m.instance_id)).map((m) => m.security_group_id))];
  const groupRows = groupIds.length
    ? await db.selectFrom('security_groups').select(['id', 'type', 'inner_access_policy']).where('id', 'in', groupIds).execute()
    : [];
  const rules = await rulesOfGroups(db, groupIds);
  const groups = new Map<string, EvaluatedGroup>(groupRows.map((g) => [g.id, {
    id: g.id, type: (g.type === 'enterprise' ? 'enterprise' : 'normal') as GroupType,
    innerAccessPolicy: (g.inner_access_policy === 'Drop' ? 'Drop' : 'Accept') as InnerAccessPolicy, rules: [],
  }]));
  for (const r of rules) groups.get(r.securityGroupId)?.rules.push(r);
  const nics = instances.map((i) => ({
    instanceId: i.id, ip: i.private_ip,
    groups: (groupsOf.get(i.id) ?? []).map((g) => groups.get(g)).filter((g): g is EvaluatedGroup => g !== undefined),
  }));
  return { nics, members };
}

/**
 * The reconciler: compiles the whole policy from the store and applies it. Idempotent (the same
 * store gives the same ruleset, which the driver skips when unchanged); a failure is retried by
 * the engine with backoff, and the operation stays pending meanwhile, visible to an operator.
 */
export async function reconcileSecurityPolicy(_op: OperationRow, env: EngineEnv): Promise<ReconcileResult> {
  const apply = env.driver.applySecurityPolicy?.bind(env.driver);
  if (!apply) return { done: true };
  const p = await gatherPolicy(env.db);
  await apply(p.nics, p.members);
  return { done: true };
}
