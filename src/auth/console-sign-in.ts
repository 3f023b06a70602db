/**
 * Console sign-in of a RAM user with a password (issue 13 point 5), as RAM's sign-in page does
 * it: `<user>@<alias>` or `<user>@<accountId>` (with or without RAM's default domain suffix
 * `.onaliyun.com`), the user's login profile password, and temporary credentials in exchange.
 *
 * Failed attempts are limited by the account's password policy `MaxLoginAttemps` (RAM's
 * spelling; default 5, 0 = unlimited): that many wrong passwords within an hour lock the user's
 * password sign-in until an hour after the first of them. A success clears the count. The count
 * is kept in the memory of the server that answered (a replica counts its own attempts).
 */
import { EcsError } from '../domain/errors.js';

/** RAM's default sign-in domain: `alice@corp.onaliyun.com` names the user `alice` of the account aliased `corp`. */
const DEFAULT_DOMAIN = '.onaliyun.com';
export const LOCK_WINDOW_MS = 3600_000;

export interface SignInName { userName: string; account: { alias: string } | { accountId: string } }

const invalidName = () => new EcsError('InvalidParameter.PrincipalName',
  'The parameter "PrincipalName" must be <user>@<account alias> or <user>@<account id> (e.g. alice@example or alice@example.onaliyun.com).', 400);

export function parseSignInName(raw: string): SignInName {
  const at = raw.trim().lastIndexOf('@');
  if (at <= 0) throw invalidName();
  const userName = raw.trim().slice(0, at);
  let domain = raw.trim().slice(at + 1).toLowerCase();
  if (domain.endsWith(DEFAULT_DOMAIN)) domain = domain.slice(0, -DEFAULT_DOMAIN.length);
  if (!/^[A-Za-z0-9._@-]{1,64}$/.test(userName) || !/^[a-z0-9][a-z0-9.-]{0,63}$/.test(domain)) throw invalidName();
  return { userName, account: /^\d{16}$/.test(domain) ? { accountId: domain } : { alias: domain } };
}

/** One answer for every wrong name, password or missing login profile, so sign-in does not tell which users exist. */
export const signInFailed = () => new EcsError('SignInFailed.InvalidCredentials', 'The user name or password is incorrect.', 401);

export class FailedSignIns {
  private failures = new Map<string, number[]>();

  /** When the user's password sign-in is locked, the time it opens again. */
  lockedUntil(key: string, maxAttempts: number, now: number): number | undefined {
    if (maxAttempts <= 0) return undefined;
    const recent = this.recent(key, now);
    return recent.length >= maxAttempts ? recent[recent.length - maxAttempts]! + LOCK_WINDOW_MS : undefined;
  }

  fail(key: string, now: number): void {
    if (this.failures.size >= 100_000) this.failures.clear();
    this.failures.set(key, [...this.recent(key, now), now]);
  }

  succeed(key: string): void {
    this.failures.delete(key);
  }

  private recent(key: string, now: number): number[] {
    return (this.failures.get(key) ?? []).filter((t) => t > now - LOCK_WINDOW_MS);
  }
}
