/** What the RAM handlers share: required parameters, RAM's time format, ids, ARNs, Marker/MaxItems paging. */
import { randomAlnum } from '../../domain/ids.js';
import { ramError, ramErrors } from '../../domain/ram/errors.js';
import { errors } from '../../domain/errors.js';
import { isoSecond } from '../../domain/time.js';
import { findUser } from '../../store/ram.js';
import type { ActionContext } from '../types.js';

export function required<T>(value: T | undefined | null, name: string): T {
  if (value === undefined || value === null || value === '') throw errors.missing(name);
  return value;
}

/** RAM answers times as `2015-01-23T12:33:18Z`. */
export const ramTime = (ms: number | null | undefined): string => (ms ? isoSecond(Number(ms)) : '');

/** User and role ids: 16 digits starting with 2 or 3, as RAM's do (accounts start with 1). */
export const newUserId = () => '2' + randomAlnum(15, '0123456789');
export const newRoleId = () => '3' + randomAlnum(15, '0123456789');
export const newGroupId = () => 'g-' + randomAlnum(16, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789');

export const roleArn = (accountId: string, roleName: string) => `acs:ram::${accountId}:role/${roleName}`;
export const userArn = (accountId: string, userName: string) => `acs:ram::${accountId}:user/${userName}`;

/** MaxItems 1..1000, default 100 (ListUsers, ListGroups, ListRoles, ListPolicies, ListUsersForGroup). */
export function maxItems(value: number | undefined): number {
  if (value === undefined) return 100;
  if (!Number.isInteger(value) || value < 1 || value > 1000) throw ramError('InvalidParameter.MaxItems', 'The parameter - "MaxItems" MUST be in the range of 1 and 1000.');
  return value;
}

/** The Marker is opaque to clients: the last name of the page before, encoded. */
export function decodeMarker(marker: string | undefined): string {
  if (!marker) return '';
  const name = Buffer.from(marker, 'base64url').toString('utf8');
  if (!name || Buffer.from(name, 'utf8').toString('base64url') !== marker) throw ramError('InvalidParameter.Marker', 'The parameter - "Marker" is incorrect.');
  return name;
}

/** Cuts a page fetched with one row more than asked (`limit + 1`), and answers IsTruncated/Marker. */
export function page<T extends { name: string }>(rows: T[], limit: number): { rows: T[]; IsTruncated: boolean; Marker?: string } {
  if (rows.length <= limit) return { rows, IsTruncated: false };
  const kept = rows.slice(0, limit);
  return { rows: kept, IsTruncated: true, Marker: Buffer.from(kept[kept.length - 1]!.name, 'utf8').toString('base64url') };
}

/**
 * The user a request names, or, when it names none and a RAM user calls, the caller itself
 * (RAM's rule for CreateAccessKey, ListAccessKeys and the login profile actions).
 */
export async function userOf(ctx: ActionContext, name: string | undefined) {
  const userName = name || (ctx.principal.type === 'user' ? ctx.principal.userName : undefined);
  required(userName, 'UserName');
  const user = await findUser(ctx.db, ctx.principal.accountId, userName!);
  if (!user) throw ramErrors.userNotExist(userName!);
  return user;
}
