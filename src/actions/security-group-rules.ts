/**
 * Security group rules: Authorize/Revoke/Modify for both directions, DescribeSecurityGroupAttribute,
 * ModifySecurityGroupPolicy, DescribeSecurityGroupReferences, and the OpenECS extension
 * ExplainSecurityGroupAccess (the rule engine answering "would this packet pass, and why").
 * Text rules live in src/domain/security-rules; this module adds what needs the store.
 */
import { EcsError } from '../domain/errors.js';
import type { Params } from '../api/params.js';
import {
  defaultInnerAccessPolicy, evaluateAccess, familyOfAddress, MAX_AUTHORIZED_GROUPS, MAX_RULES_PER_GROUP, parseNicType,
  parseProtocol, peerOf, referencedGroup, renderPolicy, renderProtocol, ruleKey, RULE_FIELDS, validateRule,
  type Direction, type EvaluatedGroup, type GroupContext, type GroupType, type InnerAccessPolicy, type Packet,
  type RuleInput, type RuleSpec, type SecurityGroupRule, type ValidatedRule,
} from '../domain/security-rules/index.js';
import { newId } from '../domain/ids.js';
import { checkRuleFamily, MAX_ASSOCIATIONS_PER_LIST, ruleQuotaCost, rulePrefixList } from '../domain/prefix-lists.js';
import { isoSecond } from '../domain/time.js';
import { getInstance } from '../store/instances.js';
import { findNetworkInterface, interfaceGroupsOf, primaryInterfacesOf } from '../store/network-interfaces.js';
import { ipv6AddressesByInterface } from '../store/ipv6-addresses.js';
import { associatedGroups, findPrefixList, prefixListCapacities, prefixListNames, withPrefixListEntries } from '../store/prefix-lists.js';
import { lockRow, lockRows } from '../store/row-locks.js';
import {
  deleteRules, deleteRulesOfGroup, findAccount, findGroup, groupIdsOfInstance, groupsByIds, insertRules, instancesWithAddress, referencingGroups,
  isReferencedByRules, rulesByIds, rulesOfGroups, setInnerAccessPolicy, updateRule, type GroupRow,
} from '../store/security-group-rules.js';
import { decodeToken, encodeToken } from './paging.js';
import { onSecurityGroupDelete } from './security-groups.js';
import { ecsHandlers, openEcsHandlers, type EcsRequest, type EcsResponse, type OpenEcsRequest } from './typed-handlers.js';
import type { ActionContext, Handler, ResponseBody } from './types.js';

type Db = ActionContext['db'];

// ---- groups -------------------------------------------------------------------------------

export async function loadGroup(ctx: ActionContext, id: string, db: Db = ctx.db): Promise<GroupRow> {
  const g = await findGroup(db, ctx.principal.accountId, ctx.regionId, id);
  if (!g) throw new EcsError('InvalidSecurityGroupId.NotFound', `The specified SecurityGroupId "${id}" does not exist.`);
  return g;
}

function groupType(g: GroupRow): GroupType {
  return g.type === 'enterprise' ? 'enterprise' : 'normal';
}

function innerPolicyOf(g: GroupRow): InnerAccessPolicy {
  const p = g.inner_access_policy.toLowerCase();
  return p === 'accept' ? 'Accept' : p === 'drop' ? 'Drop' : defaultInnerAccessPolicy(groupType(g));
}

function groupContext(ctx: ActionContext, g: GroupRow): GroupContext {
  return { type: groupType(g), network: g.vpc_id ? 'vpc' : 'classic', accountId: ctx.principal.accountId };
}

// ---- the rules of a request ---------------------------------------------------------------

/** `Permissions.N.*`, or the single-rule parameters; mixing both is refused (InvalidParam.Permissions). */
function ruleInputs(p: Params): RuleInput[] {
  const list = p.Permissions as RuleInput[] | undefined;
  const legacy = RULE_FIELDS.filter((f) => p[f] !== undefined);
  if (list && list.length > 0) {
    if (legacy.length > 0) throw new EcsError('InvalidParam.Permissions', 'The specified parameter Permissions cannot coexist with other parameters.');
    return list;
  }
  return [Object.fromEntries(legacy.map((f) => [f, p[f]])) as RuleInput];
}

function refusedDuplicates(rules: ValidatedRule[]): void {
  const keys = rules.map((r) => ruleKey(r.spec));
  if (new Set(keys).size !== keys.length) {
    throw new EcsError('InvalidParam.DuplicatePermissions', 'There are duplicate permissions in the specified parameter Permissions.');
  }
}

/** Resolves SourceGroupOwnerAccount (a name or id) to the owner's account id. */
async function resolveOwner(ctx: ActionContext, v: ValidatedRule): Promise<boolean> {
  if (!v.ownerAccount || !referencedGroup(v.spec)) return true;
  const account = await findAccount(ctx.db, v.ownerAccount);
  if (!account) return false;
  if (v.spec.direction === 'ingress') v.spec.sourceGroupOwnerId = account.id; else v.spec.destGroupOwnerId = account.id;
  return true;
}

/** The authorized group must exist (in its owner's account), be basic, and be reachable (same VPC or account). */
export async function checkAuthorizedGroup(ctx: ActionContext, g: GroupRow, v: ValidatedRule): Promise<void> {
  const refId = referencedGroup(v.spec);
  if (!refId) return;
  const ingress = v.spec.direction === 'ingress';
  const word = ingress ? 'Source' : 'Dest';
  const notFound = () => new EcsError(`Invalid${word}GroupId.NotFound`, `The ${word}GroupId "${refId}" provided does not exist in our records.`);
  if (!(await resolveOwner(ctx, v))) throw notFound();
  const owner = ingress ? v.spec.sourceGroupOwnerId : v.spec.destGroupOwnerId;
  const ref = (await groupsByIds(ctx.db, [refId])).find((r) => r.account_id === owner && r.region_id === ctx.regionId);
  if (!ref) throw notFound();
  if (!ingress && ref.id === g.id) throw new EcsError('InvalidSecurityGroup.IsSame', 'The authorized SecurityGroupId should be different from the DestGroupId.');
  if (groupType(ref) === 'enterprise') {
    throw new EcsError('InvalidGroupAuthParameter.OperationDenied', 'The security group can not authorize to enterprise level security group.');
  }
  if (Boolean(ref.vpc_id) !== Boolean(g.vpc_id)) {
    throw new EcsError(ingress ? 'InvalidNetworkType.Mismatch' : 'InvalidNetworkType.Conflict', 'The specified SecurityGroup network type should be same with SourceGroup network type (vpc or classic).');
  }
  // "If the current SG is VPC type, the authorized SG must be in the same VPC" (guide L702); across
  // accounts the VPCs differ by nature and the guide's precondition is a CEN connection.
  if (g.vpc_id && ref.account_id === g.account_id && ref.vpc_id !== g.vpc_id) {
    throw new EcsError(`Invalid${word}GroupId.Mismatch`, `Specified security group and ${ingress ? 'source' : 'destination'} group are not in the same VPC.`);
  }
}

/**
 * A rule naming a prefix list: the list must be the caller's in the group's region and of the
 * family the rule's other fields imply; a list already referenced by 1,000 other groups takes no
 * more (`associating`: Authorize and Modify; Revoke only finds the list).
 */
async function checkPrefixListRef(ctx: ActionContext, g: GroupRow, spec: RuleSpec, db: Db = ctx.db, associating = true): Promise<void> {
  const id = rulePrefixList(spec);
  if (!id) return;
  const list = await findPrefixList(db, ctx.principal.accountId, g.region_id, id);
  if (!list) throw new EcsError('InvalidPrefixListId.NotFound', `The specified prefix list "${id}" was not found.`);
  if (!associating) return;
  checkRuleFamily(spec, list.address_family);
  const groups = (await associatedGroups(db, [id])).get(id) ?? [];
  if (!groups.includes(g.id) && groups.length >= MAX_ASSOCIATIONS_PER_LIST) {
    throw new EcsError('LimitExceed.PrefixListAssociationResource', 'The number of resources associated with the prefix list exceeds the limit.');
  }
}

/** What a rule's peer must be before the rule is written: an authorized group, or a prefix list. */
export async function checkRulePeer(ctx: ActionContext, g: GroupRow, v: ValidatedRule, db: Db = ctx.db): Promise<void> {
  await checkAuthorizedGroup(ctx, g, v);
  await checkPrefixListRef(ctx, g, v.spec, db);
}

/** MaxEntries of the prefix lists the rules reference: their cost against the group's rule quota. */
export function ruleCapacities(db: Db, rules: RuleSpec[]): Promise<Map<string, number>> {
  return prefixListCapacities(db, rules.map(rulePrefixList));
}

/**
 * The prefix lists of `rules` locked (before the group's row, LOCK_ORDER) and found again: a
 * DeletePrefixList racing the write either sees the new rule or makes this request answer not found.
 */
export async function holdPrefixLists(ctx: ActionContext, trx: Db, g: GroupRow, rules: RuleSpec[]): Promise<void> {
  await lockRows(trx, 'prefix_lists', rules.map(rulePrefixList).filter(Boolean));
  for (const r of rules) await checkPrefixListRef(ctx, g, r, trx);
}

/**
 * The group's limits after adding `added`: 200 rules, a rule referencing a prefix list counting
 * the list's MaxEntries (`capacities`, ECS "Prefix lists": MaxEntries, not the entries it has,
 * counts against the referencing resource's quota); 20 authorized groups.
 */
export function checkLimits(existing: RuleSpec[], added: RuleSpec[], capacities: ReadonlyMap<string, number> = new Map()): void {
  const used = [...existing, ...added].reduce((n, r) => n + ruleQuotaCost(rulePrefixList(r), capacities), 0);
  if (used > MAX_RULES_PER_GROUP) {
    throw new EcsError('AuthorizationLimitExceed', `The limit of authorization records in the security group reaches (${MAX_RULES_PER_GROUP} inbound and outbound rules; a rule referencing a prefix list counts its MaxEntries).`);
  }
  const groups = new Set([...existing, ...added].map(referencedGroup).filter(Boolean));
  const before = new Set(existing.map(referencedGroup).filter(Boolean));
  if (groups.size > MAX_AUTHORIZED_GROUPS && groups.size > before.size) {
    throw new EcsError('AuthorizedGroupRule.LimitExceed', `You have reached the limit on the number of group authorization rules that you can add to a security group.When authorization object of rule is security group, the limit is ${MAX_AUTHORIZED_GROUPS}.`);
  }
}

/** Rules not yet in the group: an identical rule is not created again (AuthorizeSecurityGroup). */
function newRules(existing: RuleSpec[], wanted: RuleSpec[]): RuleSpec[] {
  const have = new Set(existing.map(ruleKey));
  return wanted.filter((r) => !have.has(ruleKey(r)));
}

function authorize(direction: Direction): Handler {
  return async (ctx, p) => {
    const g = await loadGroup(ctx, p.SecurityGroupId);
    const gctx = groupContext(ctx, g);
    const rules = ruleInputs(p).map((i) => validateRule(i, direction, gctx, 'authorize'));
    for (const v of rules) await checkRulePeer(ctx, g, v);
    refusedDuplicates(rules);
    const plan = async (db: Db) => {
      const existing = await rulesOfGroups(db, [g.id]);
      const added = newRules(existing, rules.map((r) => r.spec));
      checkLimits(existing, added, await ruleCapacities(db, [...existing, ...added]));
      return added;
    };
    await plan(ctx.db);
    return ctx.mutate(async (trx) => {
      await holdPrefixLists(ctx, trx, g, rules.map((r) => r.spec));
      // The group's row locked, the limits are counted again: concurrent authorizations add up one after the other.
      await lockRow(trx, 'security_groups', g.id);
      await loadGroup(ctx, g.id, trx);
      const added = await plan(trx);
      const owner = { accountId: ctx.principal.accountId, regionId: ctx.regionId, groupId: g.id };
      await insertRules(trx, owner, added.map((spec) => ({ id: newId('sgr-'), spec })), ctx.now());
      return {};
    });
  };
}

// ---- revoke -------------------------------------------------------------------------------

function ruleIdsParam(p: Params): string[] {
  const ids = (p.SecurityGroupRuleId as string[] | undefined) ?? [];
  for (const id of ids) {
    if (!/^sgr-[a-z0-9]+$/.test(id)) throw new EcsError('InvalidParam.SecurityGroupRuleId', `The specified parameter SecurityGroupRuleId "${id}" is not valid.`);
  }
  if (new Set(ids).size !== ids.length) throw new EcsError('InvalidParam.SecurityGroupRuleIdRepeated', 'The specified parameter SecurityGroupRuleId is repeated.');
  return ids;
}

async function rulesWithIds(ctx: ActionContext, g: GroupRow, ids: string[], direction: Direction, db: Db = ctx.db): Promise<SecurityGroupRule[]> {
  const found = (await rulesByIds(db, g.id, ids)).filter((r) => r.direction === direction);
  const missing = ids.filter((id) => !found.some((r) => r.id === id));
  if (missing.length > 0) throw new EcsError('InvalidSecurityGroupRuleId.NotFound', `The specified SecurityGroupRuleId "${missing.join(', ')}" is not exists.`);
  return found;
}

function revoke(direction: Direction): Handler {
  return async (ctx, p) => {
    const g = await loadGroup(ctx, p.SecurityGroupId);
    const ids = ruleIdsParam(p);
    let targets: (db: Db) => Promise<string[]>;
    if (ids.length > 0) {
      if (p.Permissions?.length || RULE_FIELDS.some((f) => p[f] !== undefined)) {
        throw new EcsError('InvalidParam.Permissions', 'The specified parameter SecurityGroupRuleId cannot coexist with rule parameters.');
      }
      targets = async (db) => (await rulesWithIds(ctx, g, ids, direction, db)).map((r) => r.id);
    } else {
      const gctx = groupContext(ctx, g);
      const wanted = ruleInputs(p).map((i) => validateRule(i, direction, gctx, 'revoke'));
      refusedDuplicates(wanted);
      for (const v of wanted) await checkPrefixListRef(ctx, g, v.spec, ctx.db, false);
      const resolved = await Promise.all(wanted.map((v) => resolveOwner(ctx, v)));
      targets = async (db) => {
        const byKey = new Map((await rulesOfGroups(db, [g.id], direction)).map((r) => [ruleKey(r), r.id]));
        return wanted.map((v, i) => {
          const id = resolved[i] ? byKey.get(ruleKey(v.spec)) : undefined;
          if (!id) throw new EcsError('InvalidSecurityGroupRule.RuleNotExist', 'The specified rule does not exist.');
          return id;
        });
      };
    }
    await targets(ctx.db);
    return ctx.mutate(async (trx) => {
      await deleteRules(trx, g.id, await targets(trx));
      return {};
    });
  };
}

// ---- modify -------------------------------------------------------------------------------

/** A rule as wire input, so a modification can be laid over it and validated as a whole. */
function asInput(r: RuleSpec): Record<string, unknown> {
  return {
    IpProtocol: r.ipProtocol, PortRange: r.portRange, SourcePortRange: r.sourcePortRange, Policy: r.policy, Priority: String(r.priority),
    NicType: r.nicType, Description: r.description,
    SourceCidrIp: r.sourceCidrIp, Ipv6SourceCidrIp: r.ipv6SourceCidrIp, SourceGroupId: r.sourceGroupId, SourceGroupOwnerId: r.sourceGroupId ? r.sourceGroupOwnerId : undefined,
    SourcePrefixListId: r.sourcePrefixListId, DestCidrIp: r.destCidrIp, Ipv6DestCidrIp: r.ipv6DestCidrIp, DestGroupId: r.destGroupId,
    DestGroupOwnerId: r.destGroupId ? r.destGroupOwnerId : undefined, DestPrefixListId: r.destPrefixListId,
  };
}

type PeerKind = 'cidr' | 'ipv6' | 'group' | 'prefix';

function peerKind(r: RuleSpec): PeerKind {
  const e = peerOf(r);
  return e.cidr ? 'cidr' : e.ipv6Cidr ? 'ipv6' : e.groupId ? 'group' : 'prefix';
}

/** Rule identity without policy and priority: what a tuple-addressed modification finds a rule by. */
function addressKey(r: RuleSpec): string {
  return ruleKey({ ...r, policy: 'accept', priority: 1 });
}

function modify(direction: Direction): Handler {
  return async (ctx, p) => {
    const g = await loadGroup(ctx, p.SecurityGroupId);
    const gctx = groupContext(ctx, g);
    const existing = await rulesOfGroups(ctx.db, [g.id], direction);
    let target: SecurityGroupRule;
    let spec: RuleSpec;
    const ruleId: string | undefined = p.SecurityGroupRuleId || undefined;
    if (ruleId) {
      ruleIdsParam({ SecurityGroupRuleId: [ruleId] });
      target = (await rulesWithIds(ctx, g, [ruleId], direction))[0]!;
      const given = Object.fromEntries(RULE_FIELDS.filter((f) => p[f] !== undefined && p[f] !== '').map((f) => [f, p[f]]));
      const peerWord = direction === 'ingress' ? 'Source' : 'Dest';
      const kinds: [string, PeerKind][] = [[`${peerWord}CidrIp`, 'cidr'], [`Ipv6${peerWord}CidrIp`, 'ipv6'], [`${peerWord}GroupId`, 'group'], [`${peerWord}PrefixListId`, 'prefix']];
      const was = peerKind(target);
      if (kinds.some(([f, k]) => given[f] !== undefined && k !== was)) {
        throw new EcsError('InvalidOperation.ModifySgRuleEntityType', 'The source or destination type of the rules cannot be modified.');
      }
      const nic = parseNicType(given.NicType);
      if (gctx.network === 'classic' && nic && nic !== target.nicType) throw new EcsError('InvalidOperation.ModifyNicType', 'NicType is not allowed to modify.');
      const v = validateRule({ ...asInput(target), ...given } as RuleInput, direction, gctx, 'modify');
      await checkRulePeer(ctx, g, v);
      spec = v.spec;
    } else {
      const v = validateRule(Object.fromEntries(RULE_FIELDS.map((f) => [f, p[f]])) as RuleInput, direction, gctx, 'modify');
      await resolveOwner(ctx, v);
      const same = existing.filter((r) => addressKey(r) === addressKey(v.spec));
      const exact = same.filter((r) => ruleKey(r) === ruleKey(v.spec));
      if (same.length === 0) throw new EcsError('SecurityGroupRule.NotFound', 'The target security group rule not exist.');
      if (exact.length === 0 && same.length > 1) {
        throw new EcsError('InvalidParam.InvalidModifyRuleRequest', 'The request parameters are illegal: several rules match; name the rule by SecurityGroupRuleId.');
      }
      target = exact[0] ?? same[0]!;
      // What the request leaves out stays as it was.
      spec = {
        ...v.spec,
        policy: p.Policy ? v.spec.policy : target.policy,
        priority: p.Priority ? v.spec.priority : target.priority,
        description: p.Description !== undefined ? v.spec.description : target.description,
      };
    }
    if (existing.some((r) => r.id !== target.id && ruleKey(r) === ruleKey(spec))) {
      throw new EcsError('InvalidParam.InvalidModifyRuleRequest', 'The request parameters are illegal: an identical rule already exists in the security group.');
    }
    const others = (await rulesOfGroups(ctx.db, [g.id])).filter((r) => r.id !== target.id);
    checkLimits(others, [spec], await ruleCapacities(ctx.db, [...others, spec]));
    return ctx.mutate(async (trx) => {
      await holdPrefixLists(ctx, trx, g, [spec]);
      await lockRow(trx, 'security_groups', g.id);
      await rulesWithIds(ctx, g, [target.id], direction, trx);
      const rest = (await rulesOfGroups(trx, [g.id])).filter((r) => r.id !== target.id);
      checkLimits(rest, [spec], await ruleCapacities(trx, [...rest, spec]));
      await updateRule(trx, target.id, spec);
      return {};
    });
  };
}

// ---- describe -----------------------------------------------------------------------------

type RuleItem = NonNullable<NonNullable<EcsResponse<'DescribeSecurityGroupAttribute'>['Permissions']>['Permission']>[number];

function renderRule(r: SecurityGroupRule, names: Map<string, string>): RuleItem {
  return {
    SecurityGroupRuleId: r.id, Direction: r.direction, IpProtocol: renderProtocol(r.ipProtocol), PortRange: r.portRange,
    SourcePortRange: r.sourcePortRange, Policy: renderPolicy(r.policy), Priority: String(r.priority), NicType: r.nicType,
    SourceCidrIp: r.sourceCidrIp, Ipv6SourceCidrIp: r.ipv6SourceCidrIp, SourceGroupId: r.sourceGroupId,
    SourceGroupName: names.get(r.sourceGroupId) ?? '', SourceGroupOwnerAccount: r.sourceGroupId ? r.sourceGroupOwnerId : '',
    SourcePrefixListId: r.sourcePrefixListId, SourcePrefixListName: names.get(r.sourcePrefixListId) ?? '',
    DestCidrIp: r.destCidrIp, Ipv6DestCidrIp: r.ipv6DestCidrIp, DestGroupId: r.destGroupId,
    DestGroupName: names.get(r.destGroupId) ?? '', DestGroupOwnerAccount: r.destGroupId ? r.destGroupOwnerId : '',
    DestPrefixListId: r.destPrefixListId, DestPrefixListName: names.get(r.destPrefixListId) ?? '',
    Description: r.description, CreateTime: isoSecond(r.createdAt),
  };
}

/** Names of the groups and prefix lists the rules reference, by id. */
async function groupNames(db: Db, rules: RuleSpec[]): Promise<Map<string, string>> {
  const rows = await groupsByIds(db, rules.map(referencedGroup).filter(Boolean));
  const lists = await prefixListNames(db, rules.map(rulePrefixList));
  return new Map([...rows.map((g) => [g.id, g.name] as const), ...lists]);
}

const describeAttribute = async (ctx: ActionContext, p: EcsRequest<'DescribeSecurityGroupAttribute'>) => {
  const g = await loadGroup(ctx, p.SecurityGroupId);
  const dir = String(p.Direction ?? 'all').toLowerCase();
  if (!['ingress', 'egress', 'all'].includes(dir)) throw new EcsError('InvalidParamter', `Invalid Parameter: Direction "${p.Direction}" must be ingress, egress or all.`);
  // Terraform's alicloud_security_group_rule keeps an unset nic_type in its rule id as the text
  // `<nil>` (Go's fmt of a nil) and reads the rule back with NicType=<nil>: that is "not given".
  const nic = p.NicType === '<nil>' ? undefined : parseNicType(p.NicType);
  // VPC rules are all intranet; classic rules are listed per NIC type, internet by default (the API).
  const nicFilter = g.vpc_id ? undefined : nic ?? 'internet';
  const rules = await rulesOfGroups(ctx.db, [g.id], dir === 'all' ? undefined : dir as Direction, nicFilter);
  const tokenMode = p.MaxResults !== undefined || (p.NextToken !== undefined && p.NextToken !== '');
  const offset = p.NextToken ? decodeToken(p.NextToken) : 0;
  const page = tokenMode ? rules.slice(offset, offset + (p.MaxResults ?? 1000)) : rules;
  const names = await groupNames(ctx.db, page);
  const body: EcsResponse<'DescribeSecurityGroupAttribute'> = {
    RegionId: g.region_id, SecurityGroupId: g.id, SecurityGroupName: g.name, Description: g.description, VpcId: g.vpc_id,
    InnerAccessPolicy: innerPolicyOf(g),
    Permissions: { Permission: page.map((r) => renderRule(r, names)) },
  };
  if (tokenMode) body.NextToken = offset + page.length < rules.length ? encodeToken(offset + page.length) : '';
  return body;
};

const modifyPolicy = async (ctx: ActionContext, p: EcsRequest<'ModifySecurityGroupPolicy'>) => {
  const value = String(p.InnerAccessPolicy ?? '').trim().toLowerCase();
  if (value !== 'accept' && value !== 'drop') {
    throw new EcsError('InvalidPolicy.Malformed', "The Policy is invalid. Only 'Accept' and 'Drop' are supported. Ignore case.");
  }
  const g = await loadGroup(ctx, p.SecurityGroupId);
  // Advanced groups isolate their members; the policy is fixed (ModifySecurityGroupPolicy).
  if (groupType(g) === 'enterprise') {
    throw new EcsError('InvalidParameter.InnerAccessPolicy', "The InnerAccessPolicy attribute of enterprise level security group can't be modified.");
  }
  return ctx.mutate(async (trx) => {
    await setInnerAccessPolicy(trx, g.id, value === 'accept' ? 'Accept' : 'Drop');
    return {};
  });
};

const describeReferences = async (ctx: ActionContext, p: EcsRequest<'DescribeSecurityGroupReferences'>) => {
  const ids = p.SecurityGroupId;
  if (ids.length === 0 || ids.length > 10) {
    throw new EcsError('InvalidSecurityGroupId.Malformed', 'The specified parameter SecurityGroupId is essential and size should less than 10');
  }
  for (const id of ids) {
    if (!(await findGroup(ctx.db, ctx.principal.accountId, ctx.regionId, id))) {
      throw new EcsError('InvalidSecurityGroupId.NotFound', `The SecurityGroupId "${id}" provided does not exist in our records.`);
    }
  }
  const refs = await referencingGroups(ctx.db, ids);
  return {
    SecurityGroupReferences: {
      SecurityGroupReference: ids.map((id) => ({
        SecurityGroupId: id,
        ReferencingSecurityGroups: { ReferencingSecurityGroup: (refs.get(id) ?? []).map((r) => ({ SecurityGroupId: r.groupId, AliUid: r.accountId })) },
      })),
    },
  };
};

// DeleteSecurityGroup: refused while another group's rule authorizes this one (guide L943), and the
// group's own rules go with it (guide L936).
onSecurityGroupDelete({
  name: 'security-group-rules',
  async check(ctx, group) {
    if (await isReferencedByRules(ctx.db, group.id)) {
      throw new EcsError('DependencyViolation', `The specified security group ${group.id} is authorized by rules of other security groups; revoke those rules first.`);
    }
  },
  cleanup: (trx, group) => deleteRulesOfGroup(trx, group.id),
});

export const securityGroupRulesActions = ecsHandlers({
  AuthorizeSecurityGroup: authorize('ingress'),
  AuthorizeSecurityGroupEgress: authorize('egress'),
  RevokeSecurityGroup: revoke('ingress'),
  RevokeSecurityGroupEgress: revoke('egress'),
  ModifySecurityGroupRule: modify('ingress'),
  ModifySecurityGroupEgressRule: modify('egress'),
  DescribeSecurityGroupAttribute: describeAttribute,
  ModifySecurityGroupPolicy: modifyPolicy,
  DescribeSecurityGroupReferences: describeReferences,
});

// ---- the explainer (OpenECS extension) ----------------------------------------------------

async function evaluatedGroups(ctx: ActionContext, rows: GroupRow[]): Promise<EvaluatedGroup[]> {
  const rules = await withPrefixListEntries(ctx.db, await rulesOfGroups(ctx.db, rows.map((g) => g.id)));
  return rows.map((g) => ({ id: g.id, type: groupType(g), innerAccessPolicy: innerPolicyOf(g), rules: rules.filter((r) => r.securityGroupId === g.id) }));
}

/**
 * ExplainSecurityGroupAccess: RegionId, InstanceId, NetworkInterfaceId (a secondary ENI has groups of
 * its own; a primary one its instance's) or SecurityGroupId.N (the groups to judge),
 * Direction, IpProtocol, Port, PeerAddress and/or PeerSecurityGroupId, NicType (classic).
 * Answers Decision Allow|Deny, the DecidingRule (null when a default or the intra-group policy
 * decided) and a Reason in words.
 */
// Answers Basis, which the extension spec (src/api/extensions.ts) does not list yet: the answer stays untyped until it does.
export const explainSecurityGroupAccess = async (ctx: ActionContext, p: OpenEcsRequest<'ExplainSecurityGroupAccess'>): Promise<ResponseBody> => {
  const groupIds: string[] = p.SecurityGroupId ?? [];
  const targets = [p.InstanceId, p.NetworkInterfaceId, groupIds.length ? groupIds : undefined].filter((x) => x !== undefined && x !== '');
  if (targets.length === 0) throw new EcsError('MissingParameter', 'One of InstanceId, NetworkInterfaceId or SecurityGroupId.N must be specified.');
  if (targets.length > 1) throw new EcsError('InvalidParameter.Conflict', 'InstanceId, NetworkInterfaceId and SecurityGroupId.N cannot be specified together.');
  const direction = String(p.Direction ?? '').toLowerCase();
  if (direction !== 'ingress' && direction !== 'egress') throw new EcsError('InvalidParameter.Direction', 'Direction must be ingress or egress.');
  const protocol = parseProtocol(p.IpProtocol);
  if (protocol === 'all') throw new EcsError('InvalidIpProtocol.ValueNotSupported', 'A packet has one protocol: tcp, udp, icmp, icmpv6 or gre.');
  const port = p.Port === undefined ? undefined : Number(p.Port);
  if (protocol === 'tcp' || protocol === 'udp') {
    if (port === undefined) throw new EcsError('MissingParameter', 'Port must be specified for tcp and udp.');
    if (port < 1 || port > 65535) throw new EcsError('InvalidParameter.Port', 'Port must be from 1 to 65535.');
  }
  const peerAddress = p.PeerAddress ? String(p.PeerAddress).trim() : undefined;
  if (peerAddress && !familyOfAddress(peerAddress)) throw new EcsError('InvalidParameter.PeerAddress', `The specified PeerAddress "${peerAddress}" is not an IPv4 or IPv6 address.`);
  if (!peerAddress && !p.PeerSecurityGroupId) throw new EcsError('MissingParameter', 'One of PeerAddress or PeerSecurityGroupId must be specified.');
  const nicType = parseNicType(p.NicType);

  let rows: GroupRow[];
  let localAddress: string | undefined;
  let vpcId: string | undefined;
  if (p.InstanceId) {
    const inst = await getInstance(ctx.db, ctx.principal.accountId, p.InstanceId);
    if (!inst || inst.region_id !== ctx.regionId) throw new EcsError('InvalidInstanceId.NotFound', `The specified InstanceId "${p.InstanceId}" does not exist.`);
    localAddress = inst.private_ip || undefined;
    // An IPv6 peer talks to the instance's IPv6 address (its primary ENI's first).
    if (peerAddress && familyOfAddress(peerAddress) === 6) localAddress = (await primaryInterfacesOf(ctx.db, [inst.id])).get(inst.id)?.ipv6_addresses[0];
    vpcId = inst.vpc_id;
    const ids = await groupIdsOfInstance(ctx.db, inst.id);
    rows = (await groupsByIds(ctx.db, ids)).sort((a, b) => ids.indexOf(a.id) - ids.indexOf(b.id));
  } else if (p.NetworkInterfaceId) {
    const eni = await findNetworkInterface(ctx.db, ctx.principal.accountId, ctx.regionId, p.NetworkInterfaceId);
    if (!eni) throw new EcsError('InvalidEniId.NotFound', `The specified NetworkInterfaceId "${p.NetworkInterfaceId}" does not exist.`, 404);
    // Judged on the ENI's own address (a five-tuple rule's local block applies to it).
    localAddress = eni.primary_ip || undefined;
    if (peerAddress && familyOfAddress(peerAddress) === 6) localAddress = (await ipv6AddressesByInterface(ctx.db, [eni.id])).get(eni.id)?.[0];
    vpcId = eni.vpc_id;
    const ids = eni.type === 'Primary' ? await groupIdsOfInstance(ctx.db, eni.instance_id) : (await interfaceGroupsOf(ctx.db, [eni.id])).get(eni.id) ?? [];
    rows = (await groupsByIds(ctx.db, ids)).sort((a, b) => ids.indexOf(a.id) - ids.indexOf(b.id));
  } else {
    rows = [];
    for (const id of groupIds) rows.push(await loadGroup(ctx, id));
  }

  let peerGroupIds: string[] = [];
  if (p.PeerSecurityGroupId) {
    // The caller's own group only: another account's would answer differently from an id nobody has (tenant isolation).
    const peer = (await groupsByIds(ctx.db, [p.PeerSecurityGroupId])).find((g) => g.region_id === ctx.regionId && g.account_id === ctx.principal.accountId);
    if (!peer) throw new EcsError('InvalidSecurityGroupId.NotFound', `The specified PeerSecurityGroupId "${p.PeerSecurityGroupId}" does not exist.`);
    peerGroupIds = [peer.id];
  } else if (peerAddress) {
    // A peer address held by an instance of the account (in the same VPC) brings that instance's groups.
    for (const i of await instancesWithAddress(ctx.db, ctx.principal.accountId, ctx.regionId, peerAddress)) {
      if (!vpcId || i.vpcId === vpcId) peerGroupIds.push(...i.groupIds);
    }
  }

  const packet: Packet = {
    direction, ipProtocol: protocol, port: port === -1 ? undefined : port, peerAddress, peerGroupIds, localAddress,
    nicType: rows.some((g) => !g.vpc_id) ? nicType : undefined,
  };
  const result = evaluateAccess(await evaluatedGroups(ctx, rows), packet);
  const rule = result.decidingRule;
  let decidingRule: ResponseBody | null = null;
  if (rule) {
    const names = await groupNames(ctx.db, [rule.rule]);
    decidingRule = { SecurityGroupId: rule.groupId, ...renderRule(rule.rule as SecurityGroupRule, names) };
  }
  return { Decision: result.decision, Basis: result.basis, DecidingRule: decidingRule, Reason: result.reason };
};

/** OpenECS extension actions of this family (product `openecs`). */
export const securityGroupRulesExtensionActions = openEcsHandlers({
  ExplainSecurityGroupAccess: explainSecurityGroupAccess,
});
