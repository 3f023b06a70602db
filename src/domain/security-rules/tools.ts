/**
 * The console's group-level conveniences as pure functions: the default security group's rules
 * (security guide §1.3, 001:L149–164, L2323) and the rule copy behind "Clone a security group"
 * (§1.10.3, 001:L878–910). The actions in src/actions/security-group-tools.ts add the store.
 */
import { EcsError } from '../errors.js';
import { peerOf, referencedGroup, ruleKey, type Direction, type RuleSpec } from './model.js';
import { validateRule, type GroupContext, type RuleInput } from './validate.js';
import type { ImportProblem } from './transfer.js';

/**
 * Marks the group the console creates; ECS's own default groups carry this description and their
 * id as name, which also lets a later call find the VPC's default group again.
 */
export const DEFAULT_GROUP_DESCRIPTION = 'System created security group.';

/** "The rule priority is 100" (001:L160; 110 before May 27, 2020, L162). */
export const DEFAULT_RULE_PRIORITY = 100;

export interface DirectedInput { direction: Direction; input: RuleInput }

/**
 * Inbound ICMP, SSH 22 and RDP 3389 from 0.0.0.0/0 at priority 100; HTTP 80 and HTTPS 443 only
 * when asked ("You can also allow...", L159). Outbound needs no rule: a basic group allows all
 * outbound traffic by default (L116), which is what the guide's "all outbound allowed" describes.
 * Classic groups take the rules on the internet NIC, as the older guide's classic defaults (000:L2094–2103).
 */
export function defaultGroupRules(network: 'vpc' | 'classic', openHttpPorts: boolean): DirectedInput[] {
  const nic = network === 'classic' ? { NicType: 'internet' } : {};
  const rule = (IpProtocol: string, PortRange: string, Description: string): DirectedInput => ({
    direction: 'ingress',
    input: { IpProtocol, PortRange, SourceCidrIp: '0.0.0.0/0', Policy: 'accept', Priority: String(DEFAULT_RULE_PRIORITY), Description, ...nic },
  });
  const out = [
    rule('icmp', '-1/-1', 'System created rule: ICMP.'),
    rule('tcp', '22/22', 'System created rule: SSH.'),
    rule('tcp', '3389/3389', 'System created rule: RDP.'),
  ];
  if (openHttpPorts) out.push(rule('tcp', '80/80', 'System created rule: HTTP.'), rule('tcp', '443/443', 'System created rule: HTTPS.'));
  return out;
}

/** Whether a group is the default group the console created (see DEFAULT_GROUP_DESCRIPTION). */
export function isDefaultGroup(g: { id: string; name: string; description: string; type: string }): boolean {
  return g.type === 'normal' && g.name === g.id && g.description === DEFAULT_GROUP_DESCRIPTION;
}

/** A stored rule as wire input (the Authorize field names), so it can be validated for another group. */
export function ruleAsInput(r: RuleSpec): RuleInput {
  return {
    IpProtocol: r.ipProtocol, PortRange: r.portRange, SourcePortRange: r.sourcePortRange, Policy: r.policy, Priority: String(r.priority),
    NicType: r.nicType, Description: r.description,
    SourceCidrIp: r.sourceCidrIp, Ipv6SourceCidrIp: r.ipv6SourceCidrIp, SourceGroupId: r.sourceGroupId,
    SourceGroupOwnerId: r.sourceGroupId ? r.sourceGroupOwnerId : undefined, SourcePrefixListId: r.sourcePrefixListId,
    DestCidrIp: r.destCidrIp, Ipv6DestCidrIp: r.ipv6DestCidrIp, DestGroupId: r.destGroupId,
    DestGroupOwnerId: r.destGroupId ? r.destGroupOwnerId : undefined, DestPrefixListId: r.destPrefixListId,
  };
}

export interface GroupPlace { groupId: string; regionId: string; vpcId: string; accountId: string }

export interface ClonePlan { toAdd: RuleSpec[]; skipped: ImportProblem[] }

/**
 * The rules of `from` as the clone `to` gets them (guide L880: across regions and network types).
 * A rule authorizing the source group itself authorizes the clone. A rule authorizing another
 * group stays only where that group is reachable: same region and same VPC (or both classic),
 * as AuthorizeSecurityGroup demands (guide L702); otherwise it is skipped and reported. Every
 * rule is validated for the clone's type and network (classic → VPC makes rules intranet, and
 * an internet and an intranet rule that become one are kept once).
 */
export function planClone(rules: RuleSpec[], from: GroupPlace, to: GroupPlace, group: GroupContext): ClonePlan {
  const plan: ClonePlan = { toAdd: [], skipped: [] };
  const seen = new Set<string>();
  rules.forEach((r, index) => {
    const input = ruleAsInput(r) as Record<string, unknown>;
    const ref = referencedGroup(r);
    const word = r.direction === 'ingress' ? 'Source' : 'Dest';
    if (ref === from.groupId) {
      input[`${word}GroupId`] = to.groupId;
      input[`${word}GroupOwnerId`] = to.accountId;
    } else if (ref && (from.regionId !== to.regionId || from.vpcId !== to.vpcId)) {
      plan.skipped.push({
        index, code: `Invalid${word}GroupId.Mismatch`,
        message: `The rule authorizes security group ${ref}, which is not in the destination ${from.regionId !== to.regionId ? 'region' : 'VPC'}.`,
      });
      return;
    }
    const list = peerOf(r).prefixListId;
    if (list && from.regionId !== to.regionId) {
      // Prefix lists are regional: the destination region has no such list.
      plan.skipped.push({ index, code: 'InvalidPrefixListId.NotFound', message: `The rule references prefix list ${list}, which is not in the destination region.` });
      return;
    }
    try {
      const { spec } = validateRule(input as RuleInput, r.direction, group, 'authorize');
      const key = ruleKey(spec);
      if (seen.has(key)) {
        plan.skipped.push({ index, code: 'Duplicate', message: 'The rule is identical to another rule of the clone.' });
        return;
      }
      seen.add(key);
      plan.toAdd.push(spec);
    } catch (e) {
      if (!(e instanceof EcsError)) throw e;
      plan.skipped.push({ index, code: e.code, message: e.message });
    }
  });
  return plan;
}
