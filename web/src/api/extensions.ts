/**
 * Answers of the OpenECS extension actions the console calls (product `openecs`, Version
 * 2026-11-01, src/api/extensions.ts) and of the ECS image task actions, typed for the pages.
 * They go through `ApiClient.raw`, which signs them with the right Version (client.ts).
 */
import type { ApiClient, Params } from './client';

/** A rule as the rule files and the tools answer it (the export row, plus its id when stored). */
export interface RuleRow {
  SecurityGroupRuleId?: string;
  Direction: string; IpProtocol: string; PortRange: string; Policy: string; Priority: string;
  SourceCidrIp?: string; Ipv6SourceCidrIp?: string; SourceGroupId?: string; SourcePrefixListId?: string;
  DestCidrIp?: string; Ipv6DestCidrIp?: string; DestGroupId?: string; DestPrefixListId?: string;
  NicType?: string; Description?: string;
}
/** A rule the tool did not take, with the code AuthorizeSecurityGroup would have answered. */
export interface RuleProblem { Index: number; Code: string; Message: string; Permission?: RuleRow }

type Ok = { RequestId: string };

export interface CloneAnswer extends Ok {
  SecurityGroupId: string; RegionId: string; VpcId: string; SecurityGroupType: string; RuleCount: number;
  SkippedRules: { Item: RuleProblem[] };
}
export interface ExportAnswer extends Ok { SecurityGroupId: string; FileFormat: 'json' | 'csv'; FileName: string; Content: string; RuleCount: number }
export interface ImportAnswer extends Ok {
  SecurityGroupId: string; Preview: boolean; RuleCount: number; ImportCount: number; TruncatedCount: number;
  Permissions: { Permission: RuleRow[] }; SkippedRules: { Item: RuleProblem[] }; FailedRules: { Item: RuleProblem[] };
}
export interface RestoreAnswer extends Ok {
  SecurityGroupId: string; SourceSecurityGroupId: string; Mode: 'Complete' | 'Partial'; Preview: boolean; Identical: boolean;
  ToAdd: { Permission: RuleRow[] }; ToRemove: { Permission: RuleRow[] }; SkippedSystemRules: { Permission: RuleRow[] };
  FailedRules: { Item: RuleProblem[] };
}
export interface ExplainAnswer extends Ok {
  Decision: 'Allow' | 'Deny'; Basis?: string; Reason: string;
  DecidingRule: (RuleRow & { SecurityGroupId: string; SourceGroupName?: string; DestGroupName?: string }) | null;
}

export interface PutObjectAnswer extends Ok { Bucket: string; Key: string; Size: number; ETag: string }
export interface ListObjectsAnswer extends Ok { Bucket: string; RegionId: string; Prefix: string; Objects: { Object: { Key: string; Size: number; LastModified: string }[] } }

export interface Task {
  TaskId: string; TaskAction: string; TaskStatus: string; SupportCancel: string; CreationTime: string; FinishedTime: string; ResourceId: string;
}
export interface TaskAttribute extends Omit<Task, 'ResourceId'>, Ok {
  TaskProcess: string;
  OperationProgressSet: { OperationProgress: { OperationStatus: string; ErrorCode: string; ErrorMsg: string; RelatedItemSet: { RelatedItem: { Name: string; Value: string }[] } }[] };
}

export interface ExtensionActions {
  CloneSecurityGroup: CloneAnswer;
  ExportSecurityGroupRules: ExportAnswer;
  ImportSecurityGroupRules: ImportAnswer;
  RestoreSecurityGroupRules: RestoreAnswer;
  ExplainSecurityGroupAccess: ExplainAnswer;
  PutObject: PutObjectAnswer;
  ListObjects: ListObjectsAnswer;
  ImportImage: Ok & { ImageId: string; TaskId: string; RegionId: string };
  ExportImage: Ok & { TaskId: string; RegionId: string };
  DescribeTasks: Ok & { TotalCount: number; PageNumber: number; PageSize: number; TaskSet: { Task: Task[] } };
  DescribeTaskAttribute: TaskAttribute;
  CancelTask: Ok;
}

export function callExt<A extends keyof ExtensionActions>(client: ApiClient, action: A, params: Params): Promise<ExtensionActions[A]> {
  return client.raw(action, params) as Promise<ExtensionActions[A]>;
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
