/**
 * SSH key pairs: CreateKeyPair, ImportKeyPair, DescribeKeyPairs, DeleteKeyPairs, AttachKeyPair,
 * DetachKeyPair (security guide 001 §2, user guide 000:L2351–2551, api-protocol.md §3.5).
 */
import { EcsError } from '../domain/errors.js';
import type { Params } from '../api/params.js';
import { newId } from '../domain/ids.js';
import {
  checkKeyPairName, generateRsaKeyPair, matchesNamePattern, MAX_INSTANCES_PER_BIND, MAX_NAMES_PER_DELETE, parsePublicKey,
} from '../domain/key-pairs.js';
import { tagsFromParams, type Tag } from '../domain/tags.js';
import { isoMinute } from '../domain/time.js';
import {
  bindTargets, countKeyPairs, deleteKeyPairs, getKeyPair, getKeyPairsByNames, insertKeyPair, keyPairNamesInUse, keyPairQuota,
  listKeyPairs, setInstanceKeyPair, type KeyPairScope,
} from '../store/key-pairs.js';
import { lockAccount } from '../store/row-locks.js';
import { UNIQUE, onViolation } from '../store/unique.js';
import { idsWithTags, putTags, removeTags, renderTags, tagsOf } from '../store/tags.js';
import { ecsHandlers } from './typed-handlers.js';
import type { ActionContext, Tx } from './types.js';
import { holdResourceGroup, resolveResourceGroup } from './resource-groups.js';

const scopeOf = (ctx: ActionContext): KeyPairScope => ({ accountId: ctx.principal.accountId, regionId: ctx.regionId });

/** Parses a JSON array string of names or ids (InstanceIds, KeyPairNames), keeping the first of duplicates. */
function jsonNames(raw: string, param: string, code: string, max: number, tooMany: EcsError): string[] {
  let v: unknown;
  try { v = JSON.parse(raw); } catch { v = undefined; }
  if (!Array.isArray(v) || v.length === 0 || v.some((x) => typeof x !== 'string' || x === '')) {
    throw new EcsError(code, `The specified parameter "${param}" is not valid: expected a non-empty JSON array of strings such as ["a","b"].`);
  }
  const list = [...new Set(v as string[])];
  if (list.length > max) throw tooMany;
  return list;
}

/** The name is free and the region's quota (500 by default, 001:L1291) has room. */
async function checkRoomFor(db: ActionContext['db'] | Tx, ctx: ActionContext, name: string): Promise<void> {
  const scope = scopeOf(ctx);
  if (await getKeyPair(db, scope, name)) throw new EcsError('KeyPair.AlreadyExist', `The key pair "${name}" already exist.`);
  const [count, quota] = await Promise.all([countKeyPairs(db, scope), keyPairQuota(db, ctx.principal.accountId)]);
  if (count >= quota) throw new EcsError('QuotaExceed.KeyPair', `The key pair quota exceeds: at most ${quota} key pairs in region ${ctx.regionId}.`);
}

interface NewKeyPair { name: string; fingerPrint: string; keyType: string; publicKey: string; authorizedKey: string; tags: Tag[]; resourceGroupId: string }

async function storeKeyPair(ctx: ActionContext, trx: Tx, k: NewKeyPair): Promise<string> {
  // With the account locked, concurrent creates count one another against the quota; the unique
  // (account, region, name) index settles two creates of one name.
  await lockAccount(trx, ctx.principal.accountId);
  await holdResourceGroup(ctx, trx, k.resourceGroupId);
  await checkRoomFor(trx, ctx, k.name);
  const id = newId('ssh-');
  await onViolation(UNIQUE.keyPairName, () => new EcsError('KeyPair.AlreadyExist', `The key pair "${k.name}" already exist.`), () => insertKeyPair(trx, {
    id, account_id: ctx.principal.accountId, region_id: ctx.regionId, name: k.name, fingerprint: k.fingerPrint,
    key_type: k.keyType, public_key: k.publicKey, authorized_key: k.authorizedKey, resource_group_id: k.resourceGroupId,
    created_at: ctx.now(),
  }));
  await putTags(trx, { accountId: ctx.principal.accountId, regionId: ctx.regionId, resourceType: 'keypair', resourceId: id }, k.tags, 'QuotaExceed.Tags');
  return id;
}

async function requireKeyPair(ctx: ActionContext, name: string) {
  const kp = await getKeyPair(ctx.db, scopeOf(ctx), name);
  if (!kp) throw new EcsError('InvalidKeyPairName.NotFound', `The specified KeyPairName "${name}" does not exist in our records.`);
  return kp;
}

interface BindResult { InstanceId: string; Code: string; Message: string; Success: string }

const ok = (id: string): BindResult => ({ InstanceId: id, Code: '200', Message: 'successful', Success: 'true' });
const failed = (id: string, code: string, message: string): BindResult => ({ InstanceId: id, Code: code, Message: message, Success: 'false' });

function instanceIdsOf(p: Params): string[] {
  return jsonNames(p.InstanceIds, 'InstanceIds', 'InvalidInstanceIds.ValueNotSupported', MAX_INSTANCES_PER_BIND,
    new EcsError('InstanceKeyPairLimitExceeded', `The specified instances are beyond the permitted range: at most ${MAX_INSTANCES_PER_BIND} InstanceIds.`));
}

/** The response of AttachKeyPair/DetachKeyPair: one result per requested instance. */
function bindResponse(name: string, results: BindResult[]) {
  const fails = results.filter((r) => r.Success !== 'true').length;
  // The SDK types TotalCount/FailCount/Code/Success as strings (API metadata).
  return { KeyPairName: name, TotalCount: String(results.length), FailCount: String(fails), Results: { Result: results } };
}

const notFound = (id: string) => failed(id, 'InvalidInstanceId.NotFound', `The specified InstanceId "${id}" does not exist.`);
/** 001:L1289 "SSH key pairs apply only to Linux instances". */
const windows = (id: string) => failed(id, 'DependencyViolation.WindowsInstance', 'The instance creating is windows, cannot use ssh key pair to login.');

export const keyPairsActions = ecsHandlers({
  async CreateKeyPair(ctx, p) {
    const name: string = p.KeyPairName;
    checkKeyPairName(name);
    const tags = tagsFromParams(p.Tag);
    await checkRoomFor(ctx.db, ctx, name);
    const resourceGroupId = await resolveResourceGroup(ctx, p.ResourceGroupId);
    if (ctx.dryRun) return ctx.mutate(async () => ({}));
    // Generated outside the transaction: an RSA 2048 key takes tens of milliseconds.
    const key = await generateRsaKeyPair();
    return ctx.mutate(async (trx) => {
      const id = await storeKeyPair(ctx, trx, {
        name, fingerPrint: key.fingerPrint, keyType: 'ssh-rsa', publicKey: key.publicKey, authorizedKey: key.publicKey,
        tags, resourceGroupId,
      });
      // The private key is returned now and never stored (000:L2452).
      return { KeyPairId: id, KeyPairName: name, KeyPairFingerPrint: key.fingerPrint, PrivateKeyBody: key.privateKeyBody };
    });
  },

  async ImportKeyPair(ctx, p) {
    const name: string = p.KeyPairName;
    checkKeyPairName(name);
    if (!p.PublicKeyBody) throw new EcsError('MissingParameter', 'The input parameter "PublicKeyBody" that is mandatory for processing this request is not supplied.');
    const key = parsePublicKey(p.PublicKeyBody);
    const tags = tagsFromParams(p.Tag);
    await checkRoomFor(ctx.db, ctx, name);
    const resourceGroupId = await resolveResourceGroup(ctx, p.ResourceGroupId);
    return ctx.mutate(async (trx) => {
      await storeKeyPair(ctx, trx, {
        name, fingerPrint: key.fingerPrint, keyType: key.type, publicKey: key.publicKey, authorizedKey: key.authorizedKey,
        tags, resourceGroupId,
      });
      return { KeyPairName: name, KeyPairFingerPrint: key.fingerPrint };
    });
  },

  async DescribeKeyPairs(ctx, p) {
    const pageNumber: number = p.PageNumber ?? 1;
    const pageSize: number = p.PageSize ?? 10;
    const tagFilter = (p.Tag ?? []).map((t: Record<string, string>) => ({ Key: t.Key ?? t.key ?? '', Value: t.Value ?? t.value }))
      .filter((t: { Key: string }) => t.Key);
    const ids = await idsWithTags(ctx.db, ctx.principal.accountId, 'keypair', tagFilter);
    const rows = (await listKeyPairs(ctx.db, {
      ...scopeOf(ctx), fingerprint: p.KeyPairFingerPrint || undefined, resourceGroupId: p.ResourceGroupId || undefined, ids,
    })).filter((r) => !p.KeyPairName || matchesNamePattern(p.KeyPairName, r.name));
    const page = rows.slice((pageNumber - 1) * pageSize, pageNumber * pageSize);
    const tags = await tagsOf(ctx.db, page.map((r) => r.id));
    return {
      PageNumber: pageNumber, PageSize: pageSize, TotalCount: rows.length,
      KeyPairs: {
        KeyPair: page.map((r) => ({
          KeyPairName: r.name,
          KeyPairFingerPrint: r.fingerprint,
          CreationTime: isoMinute(r.created_at),
          ResourceGroupId: r.resource_group_id,
          ...(p.IncludePublicKey === true ? { PublicKey: r.public_key } : {}),
          Tags: renderTags(tags.get(r.id)),
        })),
      },
    };
  },

  async DeleteKeyPairs(ctx, p) {
    const names = jsonNames(p.KeyPairNames, 'KeyPairNames', 'InvalidKeyPairNames.ValueNotSupported', MAX_NAMES_PER_DELETE,
      new EcsError('InstanceKeyPairLimitExceeded', `Exceeding the allowed amount of key pairs which will be deleted: at most ${MAX_NAMES_PER_DELETE}.`));
    const scope = scopeOf(ctx);
    // The API refuses to delete a key pair bound to an instance (DeleteKeyPairs metadata); the
    // older guides' "delete anyway, the name stays reserved" (001:L1484) is superseded by it.
    const refuseInUse = async (db: ActionContext['db'] | Tx) => {
      const used = await keyPairNamesInUse(db, scope, names);
      if (used.length) {
        throw new EcsError('InvalidParameter.KeypairAlreadyAttachedInstance', `The specified parameter "KeyPairNames" attached to instances can not be deleted: ${used.join(', ')}.`);
      }
    };
    await refuseInUse(ctx.db);
    return ctx.mutate(async (trx) => {
      await refuseInUse(trx);
      // Names that do not exist are skipped, as ECS does.
      const rows = await getKeyPairsByNames(trx, scope, names);
      await deleteKeyPairs(trx, rows.map((r) => r.id));
      for (const r of rows) await removeTags(trx, r.id);
      return {};
    });
  },

  async AttachKeyPair(ctx, p) {
    const ids = instanceIdsOf(p);
    const kp = await requireKeyPair(ctx, p.KeyPairName);
    const targets = new Map((await bindTargets(ctx.db, scopeOf(ctx), ids)).map((t) => [t.id, t]));
    const results = ids.map((id) => {
      const t = targets.get(id);
      if (!t) return notFound(id);
      if (t.os_type.toLowerCase() === 'windows') return windows(id);
      return ok(id);
    });
    const bind = results.filter((r) => r.Success === 'true').map((r) => r.InstanceId);
    return ctx.mutate(async (trx) => {
      // One key pair per instance, a new one replaces the old (001:L1292); it reaches the guest
      // at the next start or restart (API; SPEC.md "Key pairs on a Running instance").
      await setInstanceKeyPair(trx, bind, kp.name, ctx.now());
      return bindResponse(kp.name, results);
    });
  },

  async DetachKeyPair(ctx, p) {
    const ids = instanceIdsOf(p);
    const kp = await requireKeyPair(ctx, p.KeyPairName);
    const targets = new Map((await bindTargets(ctx.db, scopeOf(ctx), ids)).map((t) => [t.id, t]));
    const unbind: string[] = [];
    const results = ids.map((id) => {
      const t = targets.get(id);
      if (!t) return notFound(id);
      if (t.os_type.toLowerCase() === 'windows') return windows(id);
      // Detaching again (a retry) succeeds; another key pair's binding is left alone and reported.
      if (t.key_pair_name && t.key_pair_name !== kp.name) {
        return failed(id, 'InvalidKeyPairName.NotFound', `The key pair "${kp.name}" is not bound to instance "${id}" (it has "${t.key_pair_name}").`);
      }
      if (t.key_pair_name) unbind.push(id);
      return ok(id);
    });
    return ctx.mutate(async (trx) => {
      await setInstanceKeyPair(trx, unbind, '', ctx.now());
      return bindResponse(kp.name, results);
    });
  },
});
