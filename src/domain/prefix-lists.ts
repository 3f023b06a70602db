/**
 * Prefix lists (CreatePrefixList, ModifyPrefixList; ECS "Prefix lists" limits): a named set of
 * CIDR blocks of one address family that security group rules reference by id
 * (SourcePrefixListId / DestPrefixListId). Pure rules: names, entries in their stored form, the
 * edit of a Modify, and what a referencing rule costs the group's rule quota.
 */
import { EcsError } from './errors.js';
import { isValidResourceDescription, isValidResourceName } from './names.js';
import { parseCidr, type Family } from './security-rules/cidr.js';
import { localOf, peerOf, type RuleSpec } from './security-rules/model.js';

export type AddressFamily = 'IPv4' | 'IPv6';

/** CreatePrefixList MaxEntries: 1–200, fixed at creation. */
export const MAX_ENTRIES_LIMIT = 200;
/** "N: 0–200" of Entry.N, AddEntry.N and RemoveEntry.N: past it LimitExceed.Entry. */
export const MAX_ENTRIES_PER_REQUEST = 200;
/** ECS limits ("Prefix lists"): a prefix list is referenced by at most 1,000 resources (security groups). */
export const MAX_ASSOCIATIONS_PER_LIST = 1000;

export interface PrefixListEntry { cidr: string; description: string }

export function parseAddressFamily(v: unknown): AddressFamily {
  const s = String(v ?? '').trim().toLowerCase();
  if (s === 'ipv4') return 'IPv4';
  if (s === 'ipv6') return 'IPv6';
  throw new EcsError('InvalidParameter.AddressFamily', 'The parameter AddressFamily should be IPv4 or IPv6.');
}

export function familyNumber(f: AddressFamily): Family {
  return f === 'IPv6' ? 6 : 4;
}

/** PrefixListName: the resource name rule, and not starting with com.aliyun or com.alibabacloud (reserved). */
export function checkPrefixListName(name: string): string {
  if (!isValidResourceName(name) || /^com\.(aliyun|alibabacloud)/i.test(name)) {
    throw new EcsError('InvalidParameter.PrefixListName', 'The parameter PrefixListName is not valid.');
  }
  return name;
}

/** Description: 2–256 characters, not starting with http:// or https://. */
export function checkPrefixListDescription(d: string): string {
  if (d !== '' && !isValidResourceDescription(d)) throw new EcsError('InvalidDescription.Malformed', 'The specified Description is wrongly formed.');
  return d;
}

/** An entry's description: 2–32 characters, not starting with http:// or https://. */
function checkEntryDescription(d: string, field: string): string {
  const n = [...d].length;
  if (d !== '' && (n < 2 || n > 32 || /^https?:\/\//i.test(d))) {
    throw new EcsError('InvalidParameter', `The specified parameter ${field} is not valid: 2 to 32 characters, not starting with http:// or https://.`);
  }
  return d;
}

/**
 * An entry's CIDR in its stored form: of the list's family, in standard form (no host bits:
 * 10.0.0.1/8 is refused), a bare address becoming /32 or /128, IPv6 zero-compressed and lowercase.
 */
export function normalizeEntryCidr(text: string, family: AddressFamily, field = 'Cidr'): string {
  const s = text.trim();
  const fam = familyNumber(family);
  const c = parseCidr(s, fam);
  const malformed = (why: string) => new EcsError('InvalidParameter.CidrMalformed', `The specified ${field} "${text}" is not valid: ${why}.`);
  if (!c) throw malformed(`not an ${family} CIDR block`);
  if (s.includes('/')) {
    const given = parseCidr(s.slice(0, s.indexOf('/')), fam);
    if (!given || given.network !== c.network) throw malformed(`not in standard form (${c.network}/${c.prefix})`);
  }
  return `${c.network}/${c.prefix}`;
}

function duplicated(cidr: string): EcsError {
  return new EcsError('InvalidParameter.CidrDuplicated', `The CIDR block "${cidr}" is specified more than once.`);
}

function checkRequestCount(n: number): void {
  if (n > MAX_ENTRIES_PER_REQUEST) throw new EcsError('LimitExceed.Entry', 'The number of entries added or removed exceeds the limit.');
}

function checkCapacity(count: number, maxEntries: number): void {
  if (count > maxEntries) throw new EcsError('LimitExceed.MaxEntries', 'The number of entries exceeds the MaxEntries of the specified prefix list.');
}

export interface EntryInput { Cidr?: unknown; Description?: unknown }

function entriesOf(input: EntryInput[] | undefined, family: AddressFamily, param: string): PrefixListEntry[] {
  const list = input ?? [];
  checkRequestCount(list.length);
  const seen = new Set<string>();
  return list.map((e, i) => {
    const field = `${param}.${i + 1}`;
    if (e.Cidr === undefined || String(e.Cidr).trim() === '') throw new EcsError('MissingParameter', `The input parameter "${field}.Cidr" that is mandatory for processing this request is not supplied.`);
    const cidr = normalizeEntryCidr(String(e.Cidr), family, `${field}.Cidr`);
    if (seen.has(cidr)) throw duplicated(cidr);
    seen.add(cidr);
    return { cidr, description: checkEntryDescription(e.Description === undefined ? '' : String(e.Description), `${field}.Description`) };
  });
}

/** CreatePrefixList's Entry.N, checked against MaxEntries. */
export function initialEntries(input: EntryInput[] | undefined, family: AddressFamily, maxEntries: number): PrefixListEntry[] {
  const entries = entriesOf(input, family, 'Entry');
  checkCapacity(entries.length, maxEntries);
  return entries;
}

export interface EntryEdit { add: PrefixListEntry[]; remove: string[] }

/** ModifyPrefixList's AddEntry.N / RemoveEntry.N, checked on their own (no CIDR in both). */
export function entryEdit(add: EntryInput[] | undefined, remove: EntryInput[] | undefined, family: AddressFamily): EntryEdit {
  const added = entriesOf(add, family, 'AddEntry');
  const removed = entriesOf(remove, family, 'RemoveEntry').map((e) => e.cidr);
  const both = removed.find((c) => added.some((a) => a.cidr === c));
  if (both) throw new EcsError('InvalidParameter.CidrDuplicated', `The CIDR block "${both}" cannot be both added and removed.`);
  return { add: added, remove: removed };
}

/**
 * The entries after an edit: removed ones go (each must exist), added ones come in at the end, an
 * added CIDR already there keeps its place and takes the new description (the documented way to
 * change an entry's description). The result must fit MaxEntries.
 */
export function applyEntryEdit(current: PrefixListEntry[], edit: EntryEdit, maxEntries: number): PrefixListEntry[] {
  const missing = edit.remove.find((c) => !current.some((e) => e.cidr === c));
  if (missing) throw new EcsError('InvalidParameter', `The CIDR block "${missing}" of RemoveEntry is not an entry of the prefix list.`);
  const next = current.filter((e) => !edit.remove.includes(e.cidr));
  for (const a of edit.add) {
    const at = next.findIndex((e) => e.cidr === a.cidr);
    if (at >= 0) next[at] = a; else next.push(a);
  }
  checkCapacity(next.length, maxEntries);
  return next;
}

/**
 * What a rule costs its group's rule quota: a rule referencing a prefix list counts the list's
 * MaxEntries (not its current entries), any other rule one.
 */
export function ruleQuotaCost(prefixListId: string, maxEntriesOf: ReadonlyMap<string, number>): number {
  return prefixListId ? maxEntriesOf.get(prefixListId) ?? 1 : 1;
}

/** The prefix list a rule's peer is, or ''. */
export function rulePrefixList(r: RuleSpec): string {
  return peerOf(r).prefixListId;
}

/** The address family a rule's other fields fix, if any: its local CIDR, or icmp (IPv4) / icmpv6 (IPv6). */
export function ruleAddressFamily(r: RuleSpec): AddressFamily | undefined {
  const local = localOf(r);
  if (local.cidr || r.ipProtocol === 'icmp') return 'IPv4';
  if (local.ipv6Cidr || r.ipProtocol === 'icmpv6') return 'IPv6';
  return undefined;
}

/** A rule may reference a list only of the family the rule's other fields imply. */
export function checkRuleFamily(r: RuleSpec, listFamily: string): void {
  const family = ruleAddressFamily(r);
  if (family && family !== listFamily) {
    throw new EcsError('InvalidParam.PrefixListAddressFamilyMismatch', 'The address family of the specified prefix list does not match the specified CidrIp.');
  }
}
