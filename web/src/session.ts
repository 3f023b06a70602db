/**
 * Credentials live in sessionStorage only: they vanish with the tab and are never written to
 * localStorage, cookies or the server. The chosen region rides along in the same place.
 */
import type { Credentials } from './api/client';

const AK = 'openecs.accessKeyId';
const SECRET = 'openecs.accessKeySecret';
const REGION = 'openecs.region';
const TOKEN = 'openecs.securityToken';
const PRINCIPAL = 'openecs.principal';

export function loadCredentials(): Credentials | undefined {
  const accessKeyId = sessionStorage.getItem(AK);
  const accessKeySecret = sessionStorage.getItem(SECRET);
  const securityToken = sessionStorage.getItem(TOKEN) ?? undefined;
  const principal = sessionStorage.getItem(PRINCIPAL) ?? undefined;
  return accessKeyId && accessKeySecret ? { accessKeyId, accessKeySecret, securityToken, principal } : undefined;
}

export function saveCredentials(c: Credentials): void {
  sessionStorage.setItem(AK, c.accessKeyId);
  sessionStorage.setItem(SECRET, c.accessKeySecret);
  for (const [k, v] of [[TOKEN, c.securityToken], [PRINCIPAL, c.principal]] as const) {
    if (v) sessionStorage.setItem(k, v);
    else sessionStorage.removeItem(k);
  }
}

export function clearSession(): void {
  for (const k of [AK, SECRET, REGION, TOKEN, PRINCIPAL]) sessionStorage.removeItem(k);
}

export const loadRegion = (): string | null => sessionStorage.getItem(REGION);
export const saveRegion = (r: string): void => sessionStorage.setItem(REGION, r);
