/**
 * The console's rule conveniences as pure functions (security guide §1.11, L1012–1226):
 * export to JSON or CSV, import from such a file (preview with per-rule checks, at most 100
 * rules, existing rules are not overwritten), and restore from another group (a diff preview).
 * The guide gives file names but no content schema; ours uses the field names of
 * DescribeSecurityGroupAttribute's Permission, so an export imports back unchanged.
 */
import { EcsError } from '../errors.js';
import {
  renderPolicy, renderProtocol, ruleKey, SYSTEM_RULE_PRIORITY,
  type Direction, type NetworkType, type RuleSpec,
} from './model.js';
import { validateRule, type GroupContext, type RuleInput } from './validate.js';

/** Rules per import; "the excess is not imported" (guide L1082, L1222). */
export const MAX_IMPORT_RULES = 100;

export const EXPORT_FIELDS = [
  'Direction', 'IpProtocol', 'PortRange', 'SourcePortRange', 'Policy', 'Priority', 'NicType',
  'SourceCidrIp', 'Ipv6SourceCidrIp', 'SourceGroupId', 'SourceGroupOwnerAccount', 'SourcePrefixListId',
  'DestCidrIp', 'Ipv6DestCidrIp', 'DestGroupId', 'DestGroupOwnerAccount', 'DestPrefixListId', 'Description',
] as const;

type ExportRow = Record<(typeof EXPORT_FIELDS)[number], string>;

/** `ecs_${region_id}_${groupID}.json`, e.g. `ecs_cn-qingdao_sg-123.json` (guide L1059–1061). */
export function jsonExportFileName(regionId: string, groupId: string): string {
  return `ecs_${regionId}_${groupId}.json`;
}

/** `ecs_sgRule_{$groupID}_{$region_id}_{$time}.csv` with time `YYYY-MM-DD` (guide L1191–1194). */
export function csvExportFileName(regionId: string, groupId: string, nowMs: number): string {
  return `ecs_sgRule_${groupId}_${regionId}_${new Date(nowMs).toISOString().slice(0, 10)}.csv`;
}

export function exportRow(r: RuleSpec): ExportRow {
  return {
    Direction: r.direction, IpProtocol: renderProtocol(r.ipProtocol), PortRange: r.portRange, SourcePortRange: r.sourcePortRange,
    Policy: renderPolicy(r.policy), Priority: String(r.priority), NicType: r.nicType,
    SourceCidrIp: r.sourceCidrIp, Ipv6SourceCidrIp: r.ipv6SourceCidrIp, SourceGroupId: r.sourceGroupId,
    SourceGroupOwnerAccount: r.sourceGroupId ? r.sourceGroupOwnerId : '', SourcePrefixListId: r.sourcePrefixListId,
    DestCidrIp: r.destCidrIp, Ipv6DestCidrIp: r.ipv6DestCidrIp, DestGroupId: r.destGroupId,
    DestGroupOwnerAccount: r.destGroupId ? r.destGroupOwnerId : '', DestPrefixListId: r.destPrefixListId, Description: r.description,
  };
}

export function exportRulesJson(regionId: string, groupId: string, rules: RuleSpec[]): { fileName: string; content: string } {
  const body = { RegionId: regionId, SecurityGroupId: groupId, Permissions: rules.map(exportRow) };
  return { fileName: jsonExportFileName(regionId, groupId), content: JSON.stringify(body, null, 2) + '\n' };
}

function csvCell(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function exportRulesCsv(regionId: string, groupId: string, rules: RuleSpec[], nowMs: number): { fileName: string; content: string } {
  const lines = [EXPORT_FIELDS.join(',')];
  for (const r of rules) {
    const row = exportRow(r);
    lines.push(EXPORT_FIELDS.map((f) => csvCell(row[f])).join(','));
  }
  return { fileName: csvExportFileName(regionId, groupId, nowMs), content: lines.join('\r\n') + '\r\n' };
}

/** RFC 4180 fields: quoted cells may hold commas, quotes (doubled) and line breaks. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0; // a spreadsheet's byte-order mark
  for (; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { cell += '"'; i++; }
      else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"' && cell === '') quoted = true;
    else if (c === ',') { row.push(cell); cell = ''; }
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(cell); cell = '';
      if (row.some((x) => x !== '')) rows.push(row);
      row = [];
    } else cell += c;
  }
  if (quoted) throw new EcsError('InvalidFile.Malformed', 'The CSV file has an unterminated quoted field.');
  row.push(cell);
  if (row.some((x) => x !== '')) rows.push(row);
  return rows;
}

export type ImportItem = RuleInput & { Direction?: unknown };

/** Reads an exported file (JSON: `{Permissions: [...]}` or a bare list; CSV with a header row). */
export function parseRuleFile(content: string, format?: 'json' | 'csv'): ImportItem[] {
  const fmt = format ?? (/^\s*[[{]/.test(content) ? 'json' : 'csv');
  if (fmt === 'json') {
    let doc: unknown;
    try { doc = JSON.parse(content); } catch { throw new EcsError('InvalidFile.Malformed', 'The rule file is not valid JSON.'); }
    const list = Array.isArray(doc) ? doc : (doc as { Permissions?: unknown })?.Permissions;
    const items = Array.isArray(list) ? list : (list as { Permission?: unknown } | undefined)?.Permission;
    if (!Array.isArray(items) || items.some((x) => !x || typeof x !== 'object' || Array.isArray(x))) {
      throw new EcsError('InvalidFile.Malformed', 'The JSON rule file must hold a list of rule objects (Permissions).');
    }
    return items as ImportItem[];
  }
  const rows = parseCsv(content);
  const header = rows.shift();
  if (!header || !header.includes('IpProtocol')) throw new EcsError('InvalidFile.Malformed', 'The CSV rule file needs a header row naming the fields (IpProtocol, PortRange, ...).');
  return rows.map((cells) => Object.fromEntries(header.map((h, i) => [h.trim(), cells[i] ?? ''])) as ImportItem);
}

export interface ImportProblem { index: number; code: string; message: string }

export interface ImportPlan {
  toAdd: RuleSpec[];
  /** Rules identical to one the group has (not overwritten) or repeated in the file. */
  skipped: ImportProblem[];
  errors: ImportProblem[];
  /** Rules past the first 100, not imported. */
  truncated: number;
}

function directionOf(v: unknown): Direction | undefined {
  const s = String(v ?? '').trim().toLowerCase();
  if (s === 'ingress' || s === 'inbound' || s === '') return s === '' ? undefined : 'ingress';
  if (s === 'egress' || s === 'outbound') return 'egress';
  return undefined;
}

/**
 * The import preview: which rules would be added to the group, with a check result for each rule
 * that would fail. Owner fields exported as account ids are read back as such.
 */
export function planImport(items: ImportItem[], group: GroupContext, existing: RuleSpec[]): ImportPlan {
  const plan: ImportPlan = { toAdd: [], skipped: [], errors: [], truncated: Math.max(0, items.length - MAX_IMPORT_RULES) };
  const seen = new Set(existing.map(ruleKey));
  items.slice(0, MAX_IMPORT_RULES).forEach((item, index) => {
    const direction = directionOf(item.Direction);
    if (!direction) {
      plan.errors.push({ index, code: 'InvalidDirection.Malformed', message: 'Direction must be ingress or egress.' });
      return;
    }
    const input: Record<string, unknown> = { ...item };
    for (const side of ['Source', 'Dest']) {
      const owner = String(input[`${side}GroupOwnerAccount`] ?? '').trim();
      if (/^\d+$/.test(owner)) { input[`${side}GroupOwnerId`] = owner; delete input[`${side}GroupOwnerAccount`]; }
    }
    try {
      const { spec } = validateRule(input as RuleInput, direction, group, 'authorize');
      const key = ruleKey(spec);
      if (seen.has(key)) {
        plan.skipped.push({ index, code: 'Duplicate', message: 'An identical rule already exists; it is not overwritten.' });
        return;
      }
      seen.add(key);
      plan.toAdd.push(spec);
    } catch (e) {
      if (!(e instanceof EcsError)) throw e;
      plan.errors.push({ index, code: e.code, message: e.message });
    }
  });
  return plan;
}

export interface RuleSet { regionId: string; network: NetworkType; groupId: string; rules: RuleSpec[] }

export interface RestorePlan {
  toAdd: RuleSpec[];
  toRemove: RuleSpec[];
  /** Template rules at system priority 110, which are not restored (guide L1021). */
  skippedSystem: RuleSpec[];
  /** True when the template already equals the group: nothing to do (guide L1034 asks for a different template). */
  identical: boolean;
}

/**
 * Restore `source` (the group being restored) from `template` (guide L1012–1021): Complete makes
 * source equal template (adds the template's rules it lacks, removes its own the template lacks);
 * Partial only adds. Both groups must be in one region and of one network type.
 */
export function planRestore(source: RuleSet, template: RuleSet, mode: 'complete' | 'partial'): RestorePlan {
  if (source.groupId === template.groupId) throw new EcsError('InvalidParameter.SameSecurityGroup', 'The template security group must differ from the security group being restored.');
  if (source.regionId !== template.regionId) throw new EcsError('InvalidParameter.RegionMismatch', 'Rules can only be restored from a security group in the same region.');
  if (source.network !== template.network) throw new EcsError('InvalidParameter.NetworkTypeMismatch', 'Rules can only be restored from a security group of the same network type.');
  const skippedSystem = template.rules.filter((r) => r.priority === SYSTEM_RULE_PRIORITY);
  const wanted = template.rules.filter((r) => r.priority !== SYSTEM_RULE_PRIORITY);
  const have = new Set(source.rules.map(ruleKey));
  const want = new Set(wanted.map(ruleKey));
  const toAdd = wanted.filter((r) => !have.has(ruleKey(r)));
  const toRemove = mode === 'complete' ? source.rules.filter((r) => !want.has(ruleKey(r))) : [];
  const identical = toAdd.length === 0 && source.rules.every((r) => want.has(ruleKey(r)));
  return { toAdd, toRemove, skippedSystem, identical };
}
