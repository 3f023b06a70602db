/**
 * Resource group rules (Resource Manager 2020-03-31): names, display names, which groups may be
 * deleted, and the resource types ECS JoinResourceGroup and VPC MoveResourceGroup move. Pure.
 */

/** CreateResourceGroup description: "一个阿里云账号下最多创建30个资源组" (the default group counts). */
export const MAX_RESOURCE_GROUPS = 30;

export const DEFAULT_GROUP_NAME = 'default';
/** The default group's DisplayName, as ListResourceGroups shows it (its XML example). */
export const DEFAULT_GROUP_DISPLAY_NAME = '默认资源组';

/** Ids: `rg-` and 15 characters (ListResourceGroups: "长度不能超过18个字符，且以rg-开头"); the default group's start `rg-acfm`. */
export const GROUP_ID_RANDOM_LENGTH = { default: 11, created: 12 } as const;
export const DEFAULT_GROUP_ID_PREFIX = 'rg-acfm';
export const GROUP_ID_PREFIX = 'rg-aek';

export type RuleResult = { ok: true } | { ok: false; code: string; message: string };
const ok: RuleResult = { ok: true };
const fail = (code: string, message: string): RuleResult => ({ ok: false, code, message });

/** Name: 3 to 50 characters, letters, digits and hyphens, starting with a letter (CreateResourceGroup Name). */
export function checkGroupName(name: string): RuleResult {
  if (name.length > 50 || name.length < 3) return fail('InvalidParameter.Name.Length', 'The Name must be 3 to 50 characters long.');
  if (!/^[A-Za-z][A-Za-z0-9-]*$/.test(name)) {
    return fail('InvalidParameter.Name.InvalidChars', 'The Name may contain letters, digits and hyphens (-) and must start with a letter.');
  }
  return ok;
}

/** DisplayName: 1 to 50 characters (letters or Chinese characters count one each; CreateResourceGroup DisplayName). */
export function checkDisplayName(displayName: string | undefined): RuleResult {
  if (displayName === undefined || displayName === '') return fail('MissingParameter.DisplayName', 'You must specify DisplayName.');
  const length = [...displayName].length;
  if (length > 50) return fail('InvalidParameter.DisplayName.Length', 'The DisplayName must be 1 to 50 characters long.');
  if (displayName.trim() === '' || /[\u0000-\u001f\u007f]/.test(displayName)) return fail('InvalidParameter.DisplayName', 'The DisplayName is invalid.');
  return ok;
}

/** A resource group id as the API spells them (`rg-` and letters/digits, at most 18 characters in all). */
export function isWellFormedGroupId(id: string): boolean {
  return /^rg-[A-Za-z0-9]{1,15}$/.test(id);
}

/**
 * Whether a group may be deleted: never the account's default group (every resource created
 * without a group lands there), and only once no resource is in it (DeleteResourceGroup:
 * "删除资源组前，请先删除资源组中的资源").
 */
export function checkDeletable(group: { isDefault: boolean }, resourceCount: number): RuleResult {
  if (group.isDefault) return fail('DeleteConflict.ResourceGroup.Default', 'The default resource group cannot be deleted.');
  if (resourceCount > 0) {
    return fail('DeleteConflict.ResourceGroup.Resource',
      `Failed to delete the resource group because ${resourceCount} cloud resource(s) exist in the resource group. Try again later after you release the cloud resources.`);
  }
  return ok;
}

/** ListResourceGroups Name/DisplayName filters are fuzzy (支持模糊查询): a case-insensitive substring. */
export function fuzzyMatch(value: string, filter: string | undefined): boolean {
  return filter === undefined || filter === '' || value.toLowerCase().includes(filter.toLowerCase());
}

/** The ECS resource types JoinResourceGroup moves here (its ResourceType values, case-sensitive), with their store tables. */
export const ECS_GROUP_RESOURCE_TYPES = {
  instance: 'instances',
  disk: 'disks',
  snapshot: 'snapshots',
  image: 'images',
  securitygroup: 'security_groups',
  keypair: 'key_pairs',
  // Not in the metadata's list, but the Terraform provider's alicloud_ecs_auto_snapshot_policy sends it.
  snapshotpolicy: 'auto_snapshot_policies',
} as const;

export type EcsGroupResourceType = keyof typeof ECS_GROUP_RESOURCE_TYPES;

export function isEcsGroupResourceType(t: string): t is EcsGroupResourceType {
  return Object.hasOwn(ECS_GROUP_RESOURCE_TYPES, t);
}

/** VPC MoveResourceGroup's types that exist here; clients spell them `VPC`/`Vpc`, `VSWITCH`/`VSwitch`. */
export const VPC_GROUP_RESOURCE_TYPES = { vpc: 'vpcs', vswitch: 'vswitches', eip: 'eips' } as const;
export type VpcGroupResourceType = keyof typeof VPC_GROUP_RESOURCE_TYPES;

export function vpcGroupResourceType(t: string): VpcGroupResourceType | undefined {
  const k = t.toLowerCase();
  return Object.hasOwn(VPC_GROUP_RESOURCE_TYPES, k) ? k as VpcGroupResourceType : undefined;
}
