/**
 * RAM's naming and limit rules, as the RAM API metadata (ram-2015-05-01) describes each
 * parameter, and its error reference names the refusals. Pure: the handlers call these before
 * touching the store.
 */
import { ramError, ramErrors } from './errors.js';

interface NameRule {
  max: number;
  chars: RegExp;
}

/** Per parameter: length 1..max and the characters the metadata allows. */
export const NAME_RULES: Record<string, NameRule> = {
  UserName: { max: 64, chars: /^[A-Za-z0-9._-]+$/ },
  GroupName: { max: 64, chars: /^[A-Za-z0-9._-]+$/ },
  RoleName: { max: 64, chars: /^[A-Za-z0-9.-]+$/ },
  PolicyName: { max: 128, chars: /^[A-Za-z0-9-]+$/ },
};

/** Checks a name parameter (`New…` names follow the rule of the name they replace). */
export function checkName(param: string, value: string, rule = NAME_RULES[param.replace(/^New/, '')]!): void {
  if (value.length < 1 || value.length > rule.max) throw ramErrors.length(param);
  if (!rule.chars.test(value)) throw ramErrors.invalidChars(param);
}

/** Free-text fields: their maximum length (DisplayName also needs at least one character). */
export const TEXT_LIMITS: Record<string, number> = {
  DisplayName: 128, Comments: 128, Description: 1024,
};

export function checkText(param: string, value: string | undefined): void {
  if (value === undefined) return;
  const max = TEXT_LIMITS[param.replace(/^New/, '')]!;
  if (value.length > max || (param.endsWith('DisplayName') && value.length === 0)) throw ramErrors.length(param);
}

/** `<country code>-<number>`, as CreateUser documents MobilePhone. */
export function checkMobilePhone(param: string, value: string | undefined): void {
  if (value && !/^\d{1,4}-\d{4,16}$/.test(value)) throw ramErrors.format(param);
}

export function checkEmail(param: string, value: string | undefined): void {
  if (value && (value.length > 128 || !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(value))) throw ramErrors.format(param);
}

/** 3..32 lowercase letters, digits and single inner hyphens (SetAccountAlias). */
export function checkAccountAlias(alias: string): void {
  if (alias.length < 3 || alias.length > 32) throw ramError('InvalidParameter.AccountAlias.Length', 'The parameter - "AccountAlias" MUST be in the range of 3 and 32.');
  if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(alias)) throw ramErrors.format('AccountAlias');
}

/** The RAM limits OpenECS enforces per account or entity (RAM's documented quotas). */
export const LIMITS = {
  usersPerAccount: 1000,
  groupsPerAccount: 300,
  rolesPerAccount: 1000,
  customPoliciesPerAccount: 1500,
  accessKeysPerUser: 2,
  versionsPerPolicy: 5,
  policiesPerPrincipal: 20,
  groupsPerUser: 5,
} as const;

export const ROLE_SESSION = { defaultMaxSeconds: 3600, minMaxSeconds: 3600, maxMaxSeconds: 43200 } as const;

export function checkMaxSessionDuration(param: string, value: number | undefined): number {
  if (value === undefined) return ROLE_SESSION.defaultMaxSeconds;
  if (!Number.isInteger(value) || value < ROLE_SESSION.minMaxSeconds || value > ROLE_SESSION.maxMaxSeconds) {
    throw ramError(`InvalidParameter.${param}`, `The parameter - "${param}" MUST be in the range of 3600 and 43200.`);
  }
  return value;
}

/** The PolicyType parameter: System or Custom (case as documented). */
export function checkPolicyType(value: string | undefined, required: boolean): 'System' | 'Custom' | undefined {
  if (value === undefined || value === '') {
    if (required) throw ramError('InvalidParameter.PolicyType', 'The parameter - "PolicyType" is incorrect.');
    return undefined;
  }
  if (value !== 'System' && value !== 'Custom') throw ramError('InvalidParameter.PolicyType', 'The parameter - "PolicyType" is incorrect.');
  return value;
}
