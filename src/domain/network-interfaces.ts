/**
 * Rules of secondary elastic network interfaces (ENI API metadata descriptions and error tables;
 * security guide 001 §1.1–1.2, 003): which security groups an ENI may join, which state each
 * action needs, what an attach to an instance needs, and where the transitional states settle.
 * Each refusal is the action's documented code.
 *
 * States: Available ⇄ Attaching → InUse ⇄ Detaching → Available; Available → Deleting → gone.
 * A primary ENI is its instance's (deleted with it): it cannot be attached, detached or deleted,
 * and only its name and description change.
 */
import { MAX_GROUPS_PER_INSTANCE } from './instances/vpc-move.js';

/** Each ENI joins at most as many groups as an instance's primary ENI (guide 001 "five security groups per ENI"). */
export const MAX_GROUPS_PER_ENI = MAX_GROUPS_PER_INSTANCE;
/** Private addresses an unattached ENI may hold (SecondaryPrivateIpAddressCount 1–49, plus the primary). */
export const MAX_UNATTACHED_ENI_IPS = 50;

export type Refusal = { code: string; message: string; status?: number };
const refuse = (code: string, message: string, status?: number): Refusal => ({ code, message, status });

export interface EniGroup { id: string; vpcId: string; type: string }

/**
 * The groups an ENI of `vpcId` is to be in: `ids` as given, `found` those that exist. Mixed basic
 * and advanced groups answer `mixedCode` (CreateNetworkInterface spells it
 * EnterpriseGroupLimited.MutliGroupType, ModifyNetworkInterfaceAttribute InvalidOperation.MultiGroupType).
 */
export function checkEniGroups(ids: string[], found: EniGroup[], vpcId: string, mixedCode: string): Refusal | undefined {
  if (ids.length === 0) return refuse('MissingParameter', 'The input parameter "SecurityGroupIds" that is mandatory for processing this request is not supplied.');
  if (new Set(ids).size !== ids.length) return refuse('InvalidParameter.SecurityGroupIdRepeated', 'The specified security group ids contain duplicates.');
  if (ids.length > MAX_GROUPS_PER_ENI) return refuse('JoinedGroupLimitExceed', `A network interface can join at most ${MAX_GROUPS_PER_ENI} security groups.`);
  const byId = new Map(found.map((g) => [g.id, g]));
  const groups: EniGroup[] = [];
  for (const id of ids) {
    const g = byId.get(id);
    if (!g) return refuse('InvalidSecurityGroupId.NotFound', `The SecurityGroupId "${id}" provided does not exist in our records.`, 404);
    if (!g.vpcId) return refuse('InvalidSecurityGroupId.NotVpc', `The security group ${id} is not a VPC security group.`, 403);
    if (g.vpcId !== vpcId) return refuse('InvalidOperation.VpcMismatch', `The security group ${id} is not in the VPC ${vpcId} of the network interface.`, 403);
    groups.push(g);
  }
  if (new Set(groups.map((g) => g.type)).size > 1) {
    return refuse(mixedCode, 'A network interface cannot join basic and advanced (enterprise) security groups at the same time.', 403);
  }
  return undefined;
}

export interface EniState { id: string; type: string; status: string; instanceId: string }

const badState = (e: EniState, need: string) =>
  refuse('InvalidOperation.InvalidEniState', `The network interface ${e.id} is ${e.status}; ${need}.`);

export function checkDelete(e: EniState): Refusal | undefined {
  if (e.type === 'Primary') return refuse('InvalidOperation.InvalidEniType', `The network interface ${e.id} is the primary one of ${e.instanceId}: it is released with its instance.`, 403);
  if (e.status !== 'Available') return badState(e, 'it can be deleted while Available (detach it first)');
  return undefined;
}

/** ModifyNetworkInterfaceAttribute: `beyondName` when it changes more than the name and description. */
export function checkModify(e: EniState, beyondName: boolean): Refusal | undefined {
  if (e.type === 'Primary' && beyondName) {
    return refuse('InvalidOperation.PrimaryEniOnlySupportModifyNameAndDesc', `The network interface ${e.id} is a primary one: only its name and description can be modified.`, 404);
  }
  if (e.status !== 'Available' && e.status !== 'InUse') return badState(e, 'it can be modified while Available or InUse');
  return undefined;
}

export interface AttachTarget {
  id: string;
  status: string;
  vpcId: string;
  zoneId: string;
  /** The instance's ENIs now, the primary one included, and its type's EniQuantity. */
  attached: number;
  eniQuantity: number;
  /** Its type's EniPrivateIpAddressQuantity, and the types of the groups it is in. */
  eniPrivateIps: number;
  groupTypes: string[];
}

export interface AttachingEni extends EniState {
  vpcId: string;
  zoneId: string;
  privateIps: number;
  groupTypes: string[];
  /** Another account's ENI, attached by its permission (CreateNetworkInterfacePermission): only the zone must match. */
  crossAccount?: boolean;
}

/** AttachNetworkInterface's preconditions (its metadata description and error table). */
export function checkAttach(e: AttachingEni, i: AttachTarget): Refusal | undefined {
  if (e.type === 'Primary') return refuse('InvalidOperation.InvalidEniType', `The network interface ${e.id} is a primary one and cannot be attached to another instance.`, 403);
  if (e.status !== 'Available') return badState(e, 'it can be attached while Available');
  if (i.status !== 'Running' && i.status !== 'Stopped') {
    return refuse('InvalidOperation.InvalidEcsState', `The instance ${i.id} is ${i.status}; a network interface is attached while it is Running or Stopped.`);
  }
  if (!e.crossAccount && e.vpcId !== i.vpcId) return refuse('InvalidOperation.VpcMismatch', `The network interface ${e.id} is in the VPC ${e.vpcId}; the instance ${i.id} in ${i.vpcId}.`, 403);
  if (e.zoneId !== i.zoneId) return refuse('InvalidOperation.AvailabilityZoneMismatch', `The network interface ${e.id} is in the zone ${e.zoneId}; the instance ${i.id} in ${i.zoneId}.`, 403);
  if (i.attached >= i.eniQuantity) {
    return refuse('EniPerInstanceLimitExceeded', `The instance ${i.id} can have at most ${i.eniQuantity} network interfaces (its type's EniQuantity), the primary one included.`, 403);
  }
  if (e.privateIps > i.eniPrivateIps) {
    return refuse('InvalidOperation.Ipv4CountExceeded', `The network interface ${e.id} has ${e.privateIps} private addresses; the instance type of ${i.id} allows ${i.eniPrivateIps} per network interface.`, 403);
  }
  // Guide 003: an ENI attached to an instance is in groups of the same type as the instance's.
  const types = new Set([...e.groupTypes, ...i.groupTypes]);
  if (!e.crossAccount && types.size > 1) {
    return refuse('InvalidOperation.MultiGroupType', `The network interface ${e.id} and the instance ${i.id} are in security groups of different types (basic and advanced).`, 403);
  }
  return undefined;
}

export function checkDetach(e: EniState, instance: { id: string; status: string }): Refusal | undefined {
  if (e.type === 'Primary') return refuse('InvalidOperation.DetachPrimaryEniNotAllowed', `The network interface ${e.id} is the primary one of ${e.instanceId}.`);
  if (e.instanceId !== instance.id) return refuse('InvalidParameter.EniNotBelongEcs', `The network interface ${e.id} is not attached to the instance ${instance.id}.`, 403);
  if (e.status !== 'InUse') return badState(e, 'it can be detached while InUse');
  if (instance.status !== 'Running' && instance.status !== 'Stopped') {
    return refuse('InvalidOperation.InvalidEcsState', `The instance ${instance.id} is ${instance.status}; a network interface is detached while it is Running or Stopped.`);
  }
  return undefined;
}

/** The lowest device index (1 and up; 0 is the primary ENI's) not taken on the instance. */
export function nextDeviceIndex(taken: readonly number[]): number {
  const used = new Set(taken);
  let i = 1;
  while (used.has(i)) i++;
  return i;
}

/** Where a transitional state goes once the driver has done its part; undefined: settled already. */
export function settledEniStatus(status: string): 'InUse' | 'Available' | 'Deleted' | undefined {
  switch (status) {
    case 'Attaching': return 'InUse';
    case 'Detaching': return 'Available';
    case 'Deleting': return 'Deleted';
    default: return undefined;
  }
}

/**
 * After repeated failures: an attach that never went through leaves the ENI Available (not
 * attached, AttachNetworkInterface's documented failure state); a detach the guest never let go
 * of leaves it InUse. Deleting is retried for ever (the row goes in one transaction).
 */
export function eniGiveUp(status: string): { to: string; detach: boolean } | undefined {
  if (status === 'Attaching') return { to: 'Available', detach: true };
  if (status === 'Detaching') return { to: 'InUse', detach: false };
  return undefined;
}
