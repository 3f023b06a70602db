/**
 * RAM policies: the System ones (src/auth/system-policies.ts, read-only, version v1) and the
 * account's Custom ones with up to 5 versions, one of them the default (the one evaluated).
 */
import { SYSTEM_POLICIES, systemPolicy } from '../../auth/system-policies.js';
import { checkPolicyDocument } from '../../domain/ram/documents.js';
import { ramError, ramErrors } from '../../domain/ram/errors.js';
import { checkName, checkPolicyType, checkText, LIMITS } from '../../domain/ram/rules.js';
import { countRows } from '../../store/ram.js';
import { attachmentCounts, customPolicies, findCustomPolicy, policyVersion, policyVersions } from '../../store/ram-policies.js';
import type { RamPolicyTable, RamPolicyVersionTable } from '../../store/schema.js';
import type { Tx } from '../types.js';
import { ramHandlers } from '../typed-handlers.js';
import { decodeMarker, maxItems, page, ramTime, required } from './common.js';
import { isDuplicate } from './users.js';
import { policyArn } from './tags.js';
import { removeRamTags } from '../../store/ram-tags.js';

const policyExists = (name: string) => ramError('EntityAlreadyExists.Policy', `The policy does already EXIST: ${name}.`);
const versionMissing = (id: string) => ramError('EntityNotExist.Policy.Version', `The policy version does not exist: ${id}.`);

function versionView(v: Pick<RamPolicyVersionTable, 'version_id' | 'document' | 'created_at'>, defaultVersion: string) {
  return { VersionId: v.version_id, IsDefaultVersion: v.version_id === defaultVersion, PolicyDocument: v.document, CreateDate: ramTime(v.created_at) };
}

function customView(p: RamPolicyTable) {
  return {
    PolicyName: p.name, PolicyType: 'Custom', Description: p.description, DefaultVersion: p.default_version,
    CreateDate: ramTime(p.created_at), UpdateDate: ramTime(p.updated_at),
  };
}

function systemView(name: string) {
  const s = systemPolicy(name)!;
  return { PolicyName: s.name, PolicyType: 'System', Description: s.description, DefaultVersion: 'v1', CreateDate: s.createdAt, UpdateDate: s.updatedAt };
}

/** A PolicyName of the given type (when the type is not given: the account's own first, then the system's). */
export async function resolvePolicy(db: Tx | Parameters<typeof findCustomPolicy>[0], accountId: string, typeParam: string | undefined, name: string, typeRequired: boolean) {
  const type = checkPolicyType(typeParam, typeRequired);
  if (type !== 'System') {
    const custom = await findCustomPolicy(db, accountId, name);
    if (custom) return { type: 'Custom' as const, custom };
  }
  if (type !== 'Custom' && systemPolicy(name)) return { type: 'System' as const, custom: undefined };
  throw ramErrors.policyNotExist(type ?? 'Custom', name);
}

async function customOrThrow(db: Tx | Parameters<typeof findCustomPolicy>[0], accountId: string, name: string) {
  const p = await findCustomPolicy(db, accountId, name);
  if (!p) throw ramErrors.policyNotExist('Custom', name);
  return p;
}

export const ramPolicyActions = ramHandlers({
  async CreatePolicy(ctx, p) {
    const name = required(p.PolicyName, 'PolicyName');
    checkName('PolicyName', name);
    checkText('Description', p.Description);
    const document = required(p.PolicyDocument, 'PolicyDocument');
    checkPolicyDocument(document);
    if (systemPolicy(name)) throw policyExists(name);
    const accountId = ctx.principal.accountId;
    const now = ctx.now();
    const row: RamPolicyTable = { account_id: accountId, name, description: p.Description ?? '', default_version: 'v1', next_version: 2, created_at: now, updated_at: now };
    try {
      return await ctx.mutate(async (trx) => {
        if (await findCustomPolicy(trx, accountId, name)) throw policyExists(name);
        if (await countRows(trx, 'ram_policies', accountId) >= LIMITS.customPoliciesPerAccount) throw ramError('LimitExceeded.Policy', 'The count of policies beyond the current limits.');
        await trx.insertInto('ram_policies').values(row).execute();
        await trx.insertInto('ram_policy_versions').values({ account_id: accountId, policy_name: name, version_id: 'v1', document, created_at: now }).execute();
        const { UpdateDate: _u, ...policy } = customView(row);
        return { Policy: policy };
      });
    } catch (e) {
      if (isDuplicate(e)) throw policyExists(name);
      throw e;
    }
  },

  async GetPolicy(ctx, p) {
    const name = required(p.PolicyName, 'PolicyName');
    const accountId = ctx.principal.accountId;
    const found = await resolvePolicy(ctx.db, accountId, p.PolicyType, name, false);
    const counts = await attachmentCounts(ctx.db, accountId);
    if (found.type === 'System') {
      const s = systemPolicy(name)!;
      return {
        Policy: { ...systemView(name), PolicyDocument: s.document, AttachmentCount: counts.get(`System:${name}`) ?? 0 },
        DefaultPolicyVersion: { VersionId: 'v1', IsDefaultVersion: true, PolicyDocument: s.document, CreateDate: s.createdAt },
      };
    }
    const c = found.custom!;
    const v = await policyVersion(ctx.db, accountId, name, c.default_version);
    return {
      Policy: { ...customView(c), PolicyDocument: v?.document ?? '', AttachmentCount: counts.get(`Custom:${name}`) ?? 0 },
      ...(v ? { DefaultPolicyVersion: versionView(v, c.default_version) } : {}),
    };
  },

  async DeletePolicy(ctx, p) {
    const name = required(p.PolicyName, 'PolicyName');
    const accountId = ctx.principal.accountId;
    return ctx.mutate(async (trx) => {
      const c = await customOrThrow(trx, accountId, name);
      const holders = await trx.selectFrom('ram_policy_attachments').select('principal_type')
        .where('account_id', '=', accountId).where('policy_type', '=', 'Custom').where('policy_name', '=', name).execute();
      for (const t of ['User', 'Group', 'Role']) {
        if (holders.some((h) => h.principal_type === t)) {
          throw ramError(`DeleteConflict.Policy.${t}`, `The policy CAN NOT been attached to any ${t.toLowerCase()} while deleting the policy.`);
        }
      }
      const versions = await policyVersions(trx, accountId, name);
      if (versions.some((v) => v.version_id !== c.default_version)) {
        throw ramError('DeleteConflict.Policy.Version', 'The policy CAN NOT has any version except the default version.');
      }
      await trx.deleteFrom('ram_policy_versions').where('account_id', '=', accountId).where('policy_name', '=', name).execute();
      await trx.deleteFrom('ram_policies').where('account_id', '=', accountId).where('name', '=', name).execute();
      await removeRamTags(trx, policyArn(accountId, name));
      return {};
    });
  },

  async ListPolicies(ctx, p) {
    const type = checkPolicyType(p.PolicyType, false);
    const limit = maxItems(p.MaxItems);
    const after = decodeMarker(p.Marker);
    const accountId = ctx.principal.accountId;
    const counts = await attachmentCounts(ctx.db, accountId);
    // One list, system policies first, each part by name; the marker is `<type>:<name>` of the last row shown.
    const all = [
      ...(type !== 'Custom' ? [...SYSTEM_POLICIES.keys()].sort().map((n) => ({ name: `1:${n}`, view: systemView(n) })) : []),
      ...(type !== 'System' ? (await customPolicies(ctx.db, accountId)).map((c) => ({ name: `2:${c.name}`, view: customView(c) })) : []),
    ];
    const rest = after ? all.filter((x) => x.name > after) : all;
    const cut = page(rest.slice(0, limit + 1), limit);
    return {
      IsTruncated: cut.IsTruncated, ...(cut.Marker ? { Marker: cut.Marker } : {}),
      Policies: { Policy: cut.rows.map((x) => ({ ...x.view, AttachmentCount: counts.get(`${x.view.PolicyType}:${x.view.PolicyName}`) ?? 0 })) },
    };
  },

  async UpdatePolicyDescription(ctx, p) {
    const name = required(p.PolicyName, 'PolicyName');
    checkText('NewDescription', p.NewDescription);
    return ctx.mutate(async (trx) => {
      const c = await customOrThrow(trx, ctx.principal.accountId, name);
      const next = { ...c, description: p.NewDescription ?? c.description, updated_at: ctx.now() };
      await trx.updateTable('ram_policies').set({ description: next.description, updated_at: next.updated_at })
        .where('account_id', '=', c.account_id).where('name', '=', name).execute();
      return { Policy: customView(next) };
    });
  },

  async CreatePolicyVersion(ctx, p) {
    const name = required(p.PolicyName, 'PolicyName');
    const document = required(p.PolicyDocument, 'PolicyDocument');
    checkPolicyDocument(document);
    const rotate = p.RotateStrategy ?? 'None';
    if (rotate !== 'None' && rotate !== 'DeleteOldestNonDefaultVersionWhenLimitExceeded') {
      throw ramError('InvalidParameter.RotateStrategy', 'The parameter - "RotateStrategy" MUST be None or DeleteOldestNonDefaultVersionWhenLimitExceeded.');
    }
    const accountId = ctx.principal.accountId;
    return ctx.mutate(async (trx) => {
      const c = await customOrThrow(trx, accountId, name);
      const versions = await policyVersions(trx, accountId, name);
      if (versions.length >= LIMITS.versionsPerPolicy) {
        const oldest = versions.find((v) => v.version_id !== c.default_version);
        if (rotate === 'None' || !oldest) throw ramError('LimitExceeded.Policy.Version', 'The count of versions of the policy beyond the current limits.');
        await trx.deleteFrom('ram_policy_versions').where('account_id', '=', accountId).where('policy_name', '=', name).where('version_id', '=', oldest.version_id).execute();
      }
      const now = ctx.now();
      const versionId = `v${c.next_version}`;
      const defaultVersion = p.SetAsDefault ? versionId : c.default_version;
      await trx.insertInto('ram_policy_versions').values({ account_id: accountId, policy_name: name, version_id: versionId, document, created_at: now }).execute();
      await trx.updateTable('ram_policies').set({ next_version: c.next_version + 1, default_version: defaultVersion, updated_at: now })
        .where('account_id', '=', accountId).where('name', '=', name).where('next_version', '=', c.next_version).execute();
      return { PolicyVersion: versionView({ version_id: versionId, document, created_at: now }, defaultVersion) };
    });
  },

  async GetPolicyVersion(ctx, p) {
    const name = required(p.PolicyName, 'PolicyName');
    const versionId = required(p.VersionId, 'VersionId');
    const found = await resolvePolicy(ctx.db, ctx.principal.accountId, p.PolicyType, name, false);
    if (found.type === 'System') {
      if (versionId !== 'v1') throw versionMissing(versionId);
      const s = systemPolicy(name)!;
      return { PolicyVersion: { VersionId: 'v1', IsDefaultVersion: true, PolicyDocument: s.document, CreateDate: s.createdAt } };
    }
    const v = await policyVersion(ctx.db, ctx.principal.accountId, name, versionId);
    if (!v) throw versionMissing(versionId);
    return { PolicyVersion: versionView(v, found.custom!.default_version) };
  },

  async ListPolicyVersions(ctx, p) {
    const name = required(p.PolicyName, 'PolicyName');
    const found = await resolvePolicy(ctx.db, ctx.principal.accountId, p.PolicyType, name, false);
    if (found.type === 'System') {
      const s = systemPolicy(name)!;
      return { PolicyVersions: { PolicyVersion: [{ VersionId: 'v1', IsDefaultVersion: true, PolicyDocument: s.document, CreateDate: s.createdAt }] } };
    }
    const versions = await policyVersions(ctx.db, ctx.principal.accountId, name);
    return { PolicyVersions: { PolicyVersion: versions.map((v) => versionView(v, found.custom!.default_version)) } };
  },

  async SetDefaultPolicyVersion(ctx, p) {
    const name = required(p.PolicyName, 'PolicyName');
    const versionId = required(p.VersionId, 'VersionId');
    if (!/^v\d+$/.test(versionId)) throw ramError('InvalidParameter.VersionId.Format', 'The format of the parameter - "VersionId" is incorrect.');
    return ctx.mutate(async (trx) => {
      const c = await customOrThrow(trx, ctx.principal.accountId, name);
      if (!await policyVersion(trx, c.account_id, name, versionId)) throw versionMissing(versionId);
      await trx.updateTable('ram_policies').set({ default_version: versionId, updated_at: ctx.now() })
        .where('account_id', '=', c.account_id).where('name', '=', name).execute();
      return {};
    });
  },

  async DeletePolicyVersion(ctx, p) {
    const name = required(p.PolicyName, 'PolicyName');
    const versionId = required(p.VersionId, 'VersionId');
    return ctx.mutate(async (trx) => {
      const c = await customOrThrow(trx, ctx.principal.accountId, name);
      if (!await policyVersion(trx, c.account_id, name, versionId)) throw versionMissing(versionId);
      if (versionId === c.default_version) throw ramError('DeleteConflict.Policy.Version.Default', 'The default policy version CAN NOT been deleted directly.');
      await trx.deleteFrom('ram_policy_versions').where('account_id', '=', c.account_id).where('policy_name', '=', name).where('version_id', '=', versionId).execute();
      return {};
    });
  },
});
