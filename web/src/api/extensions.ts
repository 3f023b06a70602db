/**
 * What the pages need of the OpenECS extension actions' answers (product `openecs`, Version
 * 2026-11-01, src/api/extensions.ts) beyond their generated types: the extension spec lists a
 * rule inside an answer only in part (or as an open object), so a rule here is typed as ECS's
 * own rule (DescribeSecurityGroupAttribute's Permission, the same field names), and an open one
 * is taken only once checked.
 */
import type { ApiResponse } from './types';

/** A rule as the rule files and the tools answer it (the ECS rule fields, plus its id when stored). */
export type RuleRow = NonNullable<NonNullable<ApiResponse<'DescribeSecurityGroupAttribute'>['Permissions']>['Permission']>[number];

type ProblemItem = NonNullable<NonNullable<ApiResponse<'CloneSecurityGroup'>['SkippedRules']>['Item']>[number];
/** A rule the tool did not take, with the code AuthorizeSecurityGroup would have answered. */
export type RuleProblem = Omit<ProblemItem, 'Permission'> & { Permission?: RuleRow };

/** An open rule object of an answer, as a rule when it is one (its direction is a string). */
export function ruleOf(x: Record<string, unknown> | undefined | null): RuleRow | undefined {
  return x && typeof x.Direction === 'string' ? (x as RuleRow) : undefined;
}

/**
 * ExplainSecurityGroupAccess's answer. The server also answers `Basis` (what decided when no rule
 * did) and the deciding rule with its group (src/actions/security-group-rules.ts), which the
 * extension spec does not list yet: these two fields are the only ones typed here by hand.
 */
export type ExplainAnswer = Omit<ApiResponse<'ExplainSecurityGroupAccess'>, 'DecidingRule'>
  & { Basis?: string; DecidingRule?: Record<string, unknown> | null };

/** The rule that decided, with its group, when one did. */
export function decidingRuleOf(a: ExplainAnswer | undefined): (RuleRow & { SecurityGroupId?: string }) | undefined {
  const rule = ruleOf(a?.DecidingRule);
  return rule && { ...rule, SecurityGroupId: typeof a?.DecidingRule?.SecurityGroupId === 'string' ? a.DecidingRule.SecurityGroupId : undefined };
}

/** The problems an answer lists, their rules checked. */
export function problemsOf(items: readonly ProblemItem[] | undefined): RuleProblem[] {
  return (items ?? []).map((x) => ({ ...x, Permission: ruleOf(x.Permission) }));
}

/** The peer of a rule as the tables show it: CIDR, group or prefix list. */
export function peerOf(r: RuleRow): string {
  return r.Direction === 'egress'
    ? r.DestCidrIp || r.Ipv6DestCidrIp || r.DestGroupId || r.DestPrefixListId || ''
    : r.SourceCidrIp || r.Ipv6SourceCidrIp || r.SourceGroupId || r.SourcePrefixListId || '';
}

/** File contents for PutObject: Base64 of the bytes. */
export async function base64Of(file: Blob): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let bin = '';
  const CHUNK = 0x8000;
  for (let i = 0; i < bytes.length; i += CHUNK) bin += String.fromCharCode(...bytes.subarray(i, i + CHUNK));
  return btoa(bin);
}
