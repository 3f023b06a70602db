/**
 * ModifyInstanceVpcAttribute's rules: moving a Stopped instance's primary network interface to
 * another VSwitch of its zone, to another private address, or to another VPC (metadata
 * description of VSwitchId / VpcId / SecurityGroupId.N):
 * - the VSwitch given is the current one: the VSwitch does not change (only the address may);
 * - another VSwitch without VpcId: same zone and same VPC as the current one;
 * - with VpcId: the VSwitch belongs to VpcId, in the instance's zone, and SecurityGroupId.N (the
 *   groups joined in the new VPC, one type, at most 5) is required — and allowed only then;
 * - not while the primary ENI holds secondary addresses;
 * - PrivateIpAddress: inside the VSwitch block, not one of its reserved addresses, not taken;
 *   without it a free address of the VSwitch is taken.
 * Each refusal is the action's documented code (the metadata's `e` table).
 */
import { checkPrivateIp, lowestFree, formatIpv4, parseCidr } from '../cidr.js';

export const MAX_GROUPS_PER_INSTANCE = 5;

export interface MoveInstance { status: string; zoneId: string; vpcId: string; vswitchId: string; privateIp: string }
export interface MoveVSwitch { id: string; zoneId: string; vpcId: string; cidr: string; status: string }
export interface MoveGroup { id: string; vpcId: string; type: string }

export interface MoveRequest {
  instance: MoveInstance;
  /** The VSwitch named by VSwitchId, undefined when it does not exist. */
  vswitch: MoveVSwitch | undefined;
  vpcId?: string;
  /** SecurityGroupId.N as given; `groups` holds those that exist. */
  groupIds: string[];
  groups: MoveGroup[];
  privateIp?: string;
  /** Addresses of the target VSwitch held by other holders. */
  used: ReadonlySet<number>;
  /** Secondary addresses of the primary ENI (AssignPrivateIpAddresses): they pin it to its VSwitch. */
  secondaryIps?: number;
  /** Secondary ENIs attached to the instance: they keep it in its VPC (the API doc: no VPC change with them). */
  secondaryEnis?: number;
}

export interface MovePlan {
  vswitchId: string;
  vpcId: string;
  privateIp: string;
  /** The groups the instance ends in, when the VPC changes. */
  groupIds?: string[];
  changed: boolean;
}

export type MoveResult = { ok: true; plan: MovePlan } | { ok: false; code: string; message: string };

const refuse = (code: string, message: string): MoveResult => ({ ok: false, code, message });

export function planVpcMove(r: MoveRequest): MoveResult {
  const { instance, vswitch } = r;
  if (instance.status !== 'Stopped') {
    return refuse('IncorrectInstanceStatus', `The instance must be Stopped to change its VPC attributes; it is ${instance.status}.`);
  }
  if (!vswitch) return refuse('InvalidVSwitchId.NotFound', 'The specified VSwitchId does not exist.');
  if (r.secondaryIps) return refuse('PrimaryEniHasSubIp', 'The primary network interface has secondary private addresses: unassign them first (UnassignPrivateIpAddresses).');
  if (vswitch.status !== 'Available') return refuse('IncorrectVSwitchStatus', `The VSwitch ${vswitch.id} is ${vswitch.status}, not Available.`);
  if (vswitch.zoneId !== instance.zoneId) {
    return refuse('InvalidVSwitchId.Mismatch', `The VSwitch ${vswitch.id} is in zone ${vswitch.zoneId}; the instance is in zone ${instance.zoneId}.`);
  }
  const changeVpc = r.vpcId !== undefined && r.vpcId !== '';
  let groupIds: string[] | undefined;
  if (changeVpc) {
    if (r.vpcId === instance.vpcId) return refuse('InvalidParameter.AlreadyInTargetVpc', `The instance is already in the VPC ${r.vpcId}.`);
    if (r.secondaryEnis) return refuse('InvalidInstance.AttachedEni', 'The instance has secondary network interfaces attached: detach them before moving it to another VPC.');
    if (vswitch.vpcId !== r.vpcId) return refuse('InvalidVSwitch.NotBelongToVpc', `The VSwitch ${vswitch.id} does not belong to the VPC ${r.vpcId}.`);
    if (r.groupIds.length === 0) return refuse('InvalidParameter.SecurityGroupId', 'SecurityGroupId.N is required when VpcId changes the instance\'s VPC.');
    if (new Set(r.groupIds).size !== r.groupIds.length) return refuse('InvalidParameter.SecurityGroupIdRepeated', 'The specified SecurityGroupId.N contain duplicates.');
    if (r.groupIds.length > MAX_GROUPS_PER_INSTANCE) return refuse('JoinedGroupLimitExceed', `An instance can join at most ${MAX_GROUPS_PER_INSTANCE} security groups.`);
    const missing = r.groupIds.find((id) => !r.groups.some((g) => g.id === id));
    if (missing) return refuse('InvalidSecurityGroupId.NotFound', `The specified security group ${missing} does not exist.`);
    const foreign = r.groups.find((g) => g.vpcId !== r.vpcId);
    if (foreign) return refuse('InvalidSecurityGroupVpc.NotBelongToOneVpc', `The security group ${foreign.id} does not belong to the VPC ${r.vpcId}.`);
    if (new Set(r.groups.map((g) => g.type)).size > 1) return refuse('EnterpriseGroupLimited.MutliGroupType', 'An instance cannot join basic and advanced security groups at the same time.');
    groupIds = r.groupIds;
  } else {
    if (r.groupIds.length > 0) return refuse('InvalidParameter.MustBeEmpty', 'SecurityGroupId.N may be given only together with VpcId.');
    if (vswitch.vpcId !== instance.vpcId) {
      return refuse('InvalidVSwitch.NotBelongToVpc', `The VSwitch ${vswitch.id} belongs to the VPC ${vswitch.vpcId}, not to the instance's VPC ${instance.vpcId}; give VpcId to move the instance there.`);
    }
  }

  const sameVSwitch = vswitch.id === instance.vswitchId;
  const block = parseCidr(vswitch.cidr);
  if (!block.ok) return refuse('InternalError', `The VSwitch ${vswitch.id} has a malformed CIDR block.`);
  let ip: string;
  if (r.privateIp !== undefined && r.privateIp !== '') {
    const c = checkPrivateIp(r.privateIp, block.cidr);
    if (!c.ok) {
      if (c.reason === 'malformed') return refuse('InvalidPrivateIpAddress.Malformed', `The specified PrivateIpAddress "${r.privateIp}" is malformed.`);
      return refuse('InvalidPrivateIpAddress.Mismatch', c.reason === 'outside'
        ? `The specified PrivateIpAddress "${r.privateIp}" is not in the CIDR block ${vswitch.cidr} of the VSwitch ${vswitch.id}.`
        : `The specified PrivateIpAddress "${r.privateIp}" is reserved by the VSwitch ${vswitch.cidr} (its first and last three addresses).`);
    }
    if (sameVSwitch && r.privateIp === instance.privateIp) ip = instance.privateIp;
    else if (r.used.has(c.ip)) return refuse('InvalidPrivateIpAddress.Duplicated', `The specified PrivateIpAddress "${r.privateIp}" is already in use.`);
    else ip = formatIpv4(c.ip);
  } else if (sameVSwitch) {
    ip = instance.privateIp;
  } else {
    const free = lowestFree(block.cidr, r.used);
    if (free === undefined) return refuse('InvalidParameter.NotEnoughIpInVSwitch', `The VSwitch ${vswitch.id} has no free private address.`);
    ip = formatIpv4(free);
  }
  const vpcId = changeVpc ? r.vpcId! : instance.vpcId;
  const changed = !sameVSwitch || ip !== instance.privateIp || changeVpc;
  return { ok: true, plan: { vswitchId: vswitch.id, vpcId, privateIp: ip, groupIds, changed } };
}
