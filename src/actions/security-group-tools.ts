/**
 * The console's security group conveniences as OpenECS extension actions (product `openecs`,
 * Version 2026-11-01; security guide §1.10.3, §1.11, 001:L878–1226), and the console's default
 * security group (§1.3, 001:L149–164):
 *
 *   CloneSecurityGroup          copy a group and its rules, optionally to another region or VPC
 *   ExportSecurityGroupRules    the rules as the console's JSON or CSV file (FileName + Content)
 *   ImportSecurityGroupRules    rules from such a file (any region's); Preview=true only checks
 *   RestoreSecurityGroupRules   make a group's rules equal (Complete) or a superset (Partial) of
 *                               another group's; Preview=true answers the diff only
 *   CreateDefaultSecurityGroup  the VPC's default group with the documented rules (created once)
 *
 * Rules are validated exactly as AuthorizeSecurityGroup(Egress) validates them, with its codes.
 * The pure parts are src/domain/security-rules/{transfer,tools}.ts.
 */
import { EcsError } from '../domain/errors.js';
import { actionSpec } from '../api/spec.js';
import { isKnownRegion } from '../domain/catalog/regions.js';
import { newId } from '../domain/ids.js';
import { isValidSecurityGroupDescription, isValidSecurityGroupName } from '../domain/network-names.js';
import { fitsQuota } from '../domain/quotas.js';
import {
  exportRow, exportRulesCsv, exportRulesJson, MAX_IMPORT_RULES, parseRuleFile, planImport, planRestore, ruleKey, validateRule,
  type Direction, type GroupContext, type ImportProblem, type RuleSpec, type SecurityGroupRule,
} from '../domain/security-rules/index.js';
import { DEFAULT_GROUP_DESCRIPTION, defaultGroupRules, isDefaultGroup, planClone, ruleAsInput } from '../domain/security-rules/tools.js';
import { countSecurityGroups, findVpc, insertSecurityGroup, listSecurityGroups } from '../store/network.js';
import { quotaFor } from '../store/quotas.js';
import { deleteRules, groupsByIds, insertRules, rulesOfGroups, type GroupRow } from '../store/security-group-rules.js';
import { checkLimits, checkRulePeer, holdPrefixLists, loadGroup, ruleCapacities } from './security-group-rules.js';
import { openEcsHandlers, type OpenEcsRequest } from './typed-handlers.js';
import type { ActionContext, ResponseBody, Tx } from './types.js';
import { lockAccount, lockRow } from '../store/row-locks.js';

type Db = ActionContext['db'];


function groupContext(ctx: ActionContext, g: { type: string; vpc_id: string }): GroupContext {
  return { type: g.type === 'enterprise' ? 'enterprise' : 'normal', network: g.vpc_id ? 'vpc' : 'classic', accountId: ctx.principal.accountId };
}

/** A rule as the Describe Permission fields plus Direction (the export row) and its id when stored. */
function permission(r: RuleSpec & { id?: string }): ResponseBody {
  return { ...(r.id ? { SecurityGroupRuleId: r.id } : {}), ...exportRow(r) };
}

/** The HTTP status AuthorizeSecurityGroup(Egress) answers for a rule code, so a bad rule fails alike here. */
function authorizeStatus(code: string, direction: Direction): number | undefined {
  return actionSpec('ecs', direction === 'ingress' ? 'AuthorizeSecurityGroup' : 'AuthorizeSecurityGroupEgress')?.e[code]?.[0];
}

function problems(list: (ImportProblem & { direction?: Direction })[], rules?: (RuleSpec | undefined)[]): ResponseBody {
  return {
    Item: list.map((x) => ({
      Index: x.index + 1, Code: x.code, Message: x.message,
      ...(rules?.[x.index] ? { Permission: permission(rules[x.index]!) } : {}),
    })),
  };
}

/** The first rule problem as the error Authorize would have answered. */
function refuse(x: ImportProblem & { direction?: Direction }, what: string): never {
  throw new EcsError(x.code, `${what} ${x.index + 1}: ${x.message}`, x.direction ? authorizeStatus(x.code, x.direction) : undefined);
}

/** Checked to answer early, and again in the writing transaction after `lockAccount` (as CreateSecurityGroup does). */
async function checkGroupQuota(ctx: ActionContext, regionId: string, q: Tx | ActionContext['db'] = ctx.db): Promise<void> {
  const { accountId } = ctx.principal;
  const limit = await quotaFor(q, accountId, 'security-groups-per-region');
  if (!fitsQuota(await countSecurityGroups(q, accountId, regionId), limit)) {
    throw new EcsError('QuotaExceed.SecurityGroup', `The maximum number of security groups is reached: ${limit} per region.`);
  }
}

async function requireVpc(ctx: ActionContext, regionId: string, id: string) {
  const vpc = await findVpc(ctx.db, { accountId: ctx.principal.accountId, regionId }, id);
  if (!vpc) throw new EcsError('InvalidVpcId.NotFound', `Specified VPC "${id}" does not exist in region ${regionId}.`);
  if (vpc.status !== 'Available') throw new EcsError('IncorrectVpcStatus', `Current VPC status (${vpc.status}) does not support this operation.`);
  return vpc;
}

/**
 * The file format: FileFormat, or the `Format` parameter when it names a file format. `Format`
 * is also the common parameter choosing the response format (JSON/XML, which clients send on
 * their own), so only `csv` there is taken as a file format; JSON is the default either way.
 */
function fileFormat(p: { FileFormat?: string; Format?: string }): 'json' | 'csv' | undefined {
  if (p.FileFormat !== undefined && p.FileFormat !== '') {
    const f = String(p.FileFormat).toLowerCase();
    if (f !== 'json' && f !== 'csv') throw new EcsError('InvalidParameter.FileFormat', `The specified FileFormat "${p.FileFormat}" is not valid: json or csv.`);
    return f;
  }
  return String(p.Format ?? '').toLowerCase() === 'csv' ? 'csv' : undefined;
}

// ---- clone ----------------------------------------------------------------------------------

async function cloneSecurityGroup(ctx: ActionContext, p: OpenEcsRequest<'CloneSecurityGroup'>): Promise<ResponseBody> {
  const { accountId } = ctx.principal;
  const src = await loadGroup(ctx, p.SecurityGroupId);
  const destRegion: string = p.DestinationRegionId || ctx.regionId;
  if (!isKnownRegion(destRegion)) throw new EcsError('InvalidRegionId.NotFound', `The specified DestinationRegionId "${destRegion}" does not exist.`);
  let destVpc: string;
  if (p.DestinationVpcId) destVpc = (await requireVpc(ctx, destRegion, p.DestinationVpcId)).id;
  else if (destRegion === ctx.regionId) destVpc = src.vpc_id;
  else if (src.vpc_id) {
    // Another region has other VPCs: the console asks which one (guide L905).
    throw new EcsError('MissingParameter.DestinationVpcId', 'A VPC security group cloned to another region needs DestinationVpcId, a VPC of the destination region.');
  } else destVpc = '';
  if (src.type === 'enterprise' && !destVpc) throw new EcsError('InvalidParams.VpcIdGroupType', 'Only VPC instance supports enterprise level security group.');
  const name: string = p.SecurityGroupName || src.name;
  if (name && !isValidSecurityGroupName(name)) {
    throw new EcsError('InvalidSecurityGroupName.Malformed', `Specified security group name "${name}" is not valid: 2 to 128 characters, starting with a letter, then letters, digits, ":", "_", ".", "-"; not starting with http:// or https://.`);
  }
  const description: string = p.Description ?? src.description;
  if (description && !isValidSecurityGroupDescription(description)) {
    throw new EcsError('InvalidSecurityGroupDiscription.Malformed', 'Specified security group description is not valid: 2 to 256 characters, not starting with http:// or https://.');
  }
  await checkGroupQuota(ctx, destRegion);

  const id = newId('sg-');
  const rules = await rulesOfGroups(ctx.db, [src.id]);
  const plan = planClone(
    rules,
    { groupId: src.id, regionId: src.region_id, vpcId: src.vpc_id, accountId },
    { groupId: id, regionId: destRegion, vpcId: destVpc, accountId },
    groupContext(ctx, { type: src.type, vpc_id: destVpc }),
  );
  checkLimits([], plan.toAdd, await ruleCapacities(ctx.db, plan.toAdd));
  return ctx.mutate(async (trx) => {
    // Again with the account locked, then the VPC (which DeleteVpc locks to find it empty).
    await lockAccount(trx, accountId);
    await checkGroupQuota(ctx, destRegion, trx);
    if (destVpc && !(await lockRow(trx, 'vpcs', destVpc))) throw new EcsError('InvalidVpcId.NotFound', `Specified VPC "${destVpc}" does not exist in region ${destRegion}.`);
    await insertSecurityGroup(trx, {
      id, account_id: accountId, region_id: destRegion, vpc_id: destVpc, name, description, type: src.type,
      inner_access_policy: src.inner_access_policy, resource_group_id: src.resource_group_id, created_at: ctx.now(),
    });
    await insertRules(trx, { accountId, regionId: destRegion, groupId: id }, plan.toAdd.map((spec) => ({ id: newId('sgr-'), spec })), ctx.now());
    return {
      SecurityGroupId: id, RegionId: destRegion, VpcId: destVpc, SecurityGroupType: src.type, RuleCount: plan.toAdd.length,
      SkippedRules: problems(plan.skipped, rules),
    };
  });
}

// ---- export / import ----------------------------------------------------------------------

async function exportRules(ctx: ActionContext, p: OpenEcsRequest<'ExportSecurityGroupRules'>): Promise<ResponseBody> {
  const g = await loadGroup(ctx, p.SecurityGroupId);
  const format = fileFormat(p) ?? 'json';
  const rules = await rulesOfGroups(ctx.db, [g.id]);
  const file = format === 'csv' ? exportRulesCsv(g.region_id, g.id, rules, ctx.now()) : exportRulesJson(g.region_id, g.id, rules);
  return { SecurityGroupId: g.id, FileFormat: format, FileName: file.fileName, Content: file.content, RuleCount: rules.length };
}

interface ImportCheck {
  accepted: RuleSpec[];
  skipped: ImportProblem[];
  errors: (ImportProblem & { direction?: Direction })[];
  total: number;
  truncated: number;
}

/**
 * Checks every rule of the file (the first 100, guide L1082) against the group: the text rules of
 * Authorize, identical rules skipped (not overwritten, L1082), and authorized groups that must
 * exist in this region and the group's VPC, as Authorize checks them.
 */
async function checkImport(ctx: ActionContext, g: GroupRow, content: string, format: 'json' | 'csv' | undefined, existing: RuleSpec[]): Promise<ImportCheck> {
  const items = parseRuleFile(content, format);
  const gctx = groupContext(ctx, g);
  const out: ImportCheck = { accepted: [], skipped: [], errors: [], total: items.length, truncated: Math.max(0, items.length - MAX_IMPORT_RULES) };
  for (const [index, item] of items.slice(0, MAX_IMPORT_RULES).entries()) {
    const one = planImport([item], gctx, [...existing, ...out.accepted]);
    const direction = String(item.Direction ?? '').toLowerCase() === 'egress' || String(item.Direction ?? '').toLowerCase() === 'outbound' ? 'egress' : 'ingress';
    for (const e of one.errors) out.errors.push({ ...e, index, direction });
    for (const s of one.skipped) out.skipped.push({ ...s, index });
    for (const spec of one.toAdd) {
      try {
        await checkRulePeer(ctx, g, { spec, ownerAccount: '' });
        out.accepted.push(spec);
      } catch (e) {
        if (!(e instanceof EcsError)) throw e;
        out.errors.push({ index, code: e.code, message: e.message, direction: spec.direction });
      }
    }
  }
  return out;
}

async function importRules(ctx: ActionContext, p: OpenEcsRequest<'ImportSecurityGroupRules'>): Promise<ResponseBody> {
  const g = await loadGroup(ctx, p.SecurityGroupId);
  const format = fileFormat(p);
  const existing = await rulesOfGroups(ctx.db, [g.id]);
  const check = await checkImport(ctx, g, String(p.Content), format, existing);
  const body = (preview: boolean): ResponseBody => ({
    SecurityGroupId: g.id, Preview: preview, RuleCount: check.total, ImportCount: check.accepted.length, TruncatedCount: check.truncated,
    Permissions: { Permission: check.accepted.map(permission) },
    SkippedRules: problems(check.skipped),
    FailedRules: problems(check.errors),
  });
  if (p.Preview === true) return body(true);
  // Like Authorize with Permissions.N, a file with one bad rule changes nothing.
  if (check.errors.length) refuse(check.errors[0]!, 'Rule');
  checkLimits(existing, check.accepted, await ruleCapacities(ctx.db, [...existing, ...check.accepted]));
  return ctx.mutate(async (trx) => {
    await holdPrefixLists(ctx, trx, g, check.accepted);
    // The group's row locked (as Authorize locks it): rules written meanwhile count against its limits.
    await lockRow(trx, 'security_groups', g.id);
    await loadGroup(ctx, g.id, trx);
    // Identical rules written meanwhile are not added twice.
    const now = await rulesOfGroups(trx, [g.id]);
    const have = new Set(now.map(ruleKey));
    const add = check.accepted.filter((r) => !have.has(ruleKey(r)));
    checkLimits(now, add, await ruleCapacities(trx, [...now, ...add]));
    await insertRules(trx, { accountId: ctx.principal.accountId, regionId: g.region_id, groupId: g.id }, add.map((spec) => ({ id: newId('sgr-'), spec })), ctx.now());
    return body(false);
  });
}

// ---- restore ------------------------------------------------------------------------------

async function restoreRules(ctx: ActionContext, p: OpenEcsRequest<'RestoreSecurityGroupRules'>): Promise<ResponseBody> {
  const g = await loadGroup(ctx, p.SecurityGroupId);
  // Found in any region of the account, so a template of another region is told apart from a missing one.
  const template = (await groupsByIds(ctx.db, [p.SourceSecurityGroupId])).find((x) => x.account_id === ctx.principal.accountId);
  if (!template) throw new EcsError('InvalidSourceSecurityGroupId.NotFound', `The specified SourceSecurityGroupId "${p.SourceSecurityGroupId}" does not exist.`);
  const mode = String(p.Mode ?? 'complete').toLowerCase();
  if (mode !== 'complete' && mode !== 'partial') throw new EcsError('InvalidParameter.Mode', `The specified Mode "${p.Mode}" is not valid: Complete or Partial.`);
  const [current, templateRules] = await Promise.all([rulesOfGroups(ctx.db, [g.id]), rulesOfGroups(ctx.db, [template.id])]);
  const network = (x: GroupRow) => (x.vpc_id ? 'vpc' as const : 'classic' as const);
  const plan = planRestore(
    { regionId: g.region_id, network: network(g), groupId: g.id, rules: current },
    { regionId: template.region_id, network: network(template), groupId: template.id, rules: templateRules },
    mode,
  );
  // The template's rules must suit this group (type, VPC of authorized groups), as Authorize checks.
  const gctx = groupContext(ctx, g);
  const toAdd: RuleSpec[] = [];
  const errors: (ImportProblem & { direction?: Direction })[] = [];
  for (const [index, r] of plan.toAdd.entries()) {
    try {
      const v = validateRule(ruleAsInput(r), r.direction, gctx, 'authorize');
      await checkRulePeer(ctx, g, { spec: v.spec, ownerAccount: '' });
      toAdd.push(v.spec);
    } catch (e) {
      if (!(e instanceof EcsError)) throw e;
      errors.push({ index, code: e.code, message: e.message, direction: r.direction });
    }
  }
  const removeIds = new Set((plan.toRemove as SecurityGroupRule[]).map((r) => r.id));
  const body = (preview: boolean): ResponseBody => ({
    SecurityGroupId: g.id, SourceSecurityGroupId: template.id, Mode: mode === 'complete' ? 'Complete' : 'Partial', Preview: preview,
    Identical: plan.identical,
    ToAdd: { Permission: plan.toAdd.map(permission) },
    ToRemove: { Permission: plan.toRemove.map(permission) },
    SkippedSystemRules: { Permission: plan.skippedSystem.map(permission) },
    FailedRules: problems(errors, plan.toAdd),
  });
  if (p.Preview === true) return body(true);
  if (errors.length) refuse(errors[0]!, 'Template rule');
  const kept = current.filter((r) => !removeIds.has(r.id));
  checkLimits(kept, toAdd, await ruleCapacities(ctx.db, [...kept, ...toAdd]));
  return ctx.mutate(async (trx) => {
    await holdPrefixLists(ctx, trx, g, toAdd);
    await lockRow(trx, 'security_groups', g.id);
    await loadGroup(ctx, g.id, trx);
    const rest = (await rulesOfGroups(trx, [g.id])).filter((r) => !removeIds.has(r.id));
    checkLimits(rest, toAdd, await ruleCapacities(trx, [...rest, ...toAdd]));
    await deleteRules(trx, g.id, [...removeIds]);
    await insertRules(trx, { accountId: ctx.principal.accountId, regionId: g.region_id, groupId: g.id }, toAdd.map((spec) => ({ id: newId('sgr-'), spec })), ctx.now());
    return body(false);
  });
}

// ---- the default group --------------------------------------------------------------------

async function defaultGroupOf(db: Db, ctx: ActionContext, vpcId: string): Promise<GroupRow | undefined> {
  const { rows } = await listSecurityGroups(db, { accountId: ctx.principal.accountId, regionId: ctx.regionId, vpcId, type: 'normal' }, { offset: 0, limit: 10000 });
  return rows.filter(isDefaultGroup).sort((a, b) => Number(a.created_at) - Number(b.created_at))[0];
}

/**
 * CreateDefaultSecurityGroup: RegionId, VpcId, OpenHttpPorts. What the console does before
 * RunInstances when the user picked no group (RunInstances itself still requires one). A VPC has
 * one default group: a second call answers it (Created=false), adding 80/443 when now asked for.
 */
async function createDefaultSecurityGroup(ctx: ActionContext, p: OpenEcsRequest<'CreateDefaultSecurityGroup'>): Promise<ResponseBody> {
  const vpc = await requireVpc(ctx, ctx.regionId, p.VpcId);
  const gctx: GroupContext = { type: 'normal', network: 'vpc', accountId: ctx.principal.accountId };
  const wanted = defaultGroupRules('vpc', p.OpenHttpPorts === true).map((d) => validateRule(d.input, d.direction, gctx, 'authorize').spec);
  const existing = await defaultGroupOf(ctx.db, ctx, vpc.id);
  if (!existing) await checkGroupQuota(ctx, ctx.regionId);
  return ctx.mutate(async (trx) => {
    // The account, then the VPC, locked: two concurrent calls make one default group, within the quota.
    await lockAccount(trx, ctx.principal.accountId);
    if (!(await lockRow(trx, 'vpcs', vpc.id))) throw new EcsError('InvalidVpcId.NotFound', `Specified VPC "${vpc.id}" does not exist in region ${ctx.regionId}.`);
    const owner = { accountId: ctx.principal.accountId, regionId: ctx.regionId };
    const found = await defaultGroupOf(trx, ctx, vpc.id);
    if (found) {
      await lockRow(trx, 'security_groups', found.id);
      const rules = await rulesOfGroups(trx, [found.id]);
      const have = new Set(rules.map(ruleKey));
      const add = wanted.filter((r) => !have.has(ruleKey(r)));
      checkLimits(rules, add, await ruleCapacities(trx, rules));
      await insertRules(trx, { ...owner, groupId: found.id }, add.map((spec) => ({ id: newId('sgr-'), spec })), ctx.now());
      return { SecurityGroupId: found.id, VpcId: vpc.id, Created: false };
    }
    await checkGroupQuota(ctx, ctx.regionId, trx);
    const id = newId('sg-');
    await insertSecurityGroup(trx, {
      id, account_id: ctx.principal.accountId, region_id: ctx.regionId, vpc_id: vpc.id, name: id, description: DEFAULT_GROUP_DESCRIPTION,
      type: 'normal', inner_access_policy: 'Accept', resource_group_id: vpc.resource_group_id, created_at: ctx.now(),
    });
    await insertRules(trx, { ...owner, groupId: id }, wanted.map((spec) => ({ id: newId('sgr-'), spec })), ctx.now());
    return { SecurityGroupId: id, VpcId: vpc.id, Created: true };
  });
}

/**
 * OpenECS extension actions of this module (product `openecs`). Requests are typed; answers not
 * yet: their Permission items carry every Describe Permission field, and the extension spec
 * (src/api/extensions.ts) lists six of them.
 */
export const securityGroupToolsActions = openEcsHandlers({
  CloneSecurityGroup: cloneSecurityGroup,
  ExportSecurityGroupRules: exportRules,
  ImportSecurityGroupRules: importRules,
  RestoreSecurityGroupRules: restoreRules,
  CreateDefaultSecurityGroup: createDefaultSecurityGroup,
});
