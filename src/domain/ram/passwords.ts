/**
 * The account's password policy (Get/SetPasswordPolicy) and the strength check a RAM user's
 * console password must pass (CreateLoginProfile, UpdateLoginProfile). Ranges are RAM's:
 * MinimumPasswordLength 8..32, MaxPasswordAge 0..1095 days (0: never expires),
 * PasswordReusePrevention 0..24, MaxLoginAttemps 0..32.
 */
import { ramError } from './errors.js';

export interface PasswordPolicy {
  MinimumPasswordLength: number;
  RequireLowercaseCharacters: boolean;
  RequireUppercaseCharacters: boolean;
  RequireNumbers: boolean;
  RequireSymbols: boolean;
  HardExpiry: boolean;
  MaxPasswordAge: number;
  PasswordReusePrevention: number;
  MaxLoginAttemps: number;
}

export const DEFAULT_PASSWORD_POLICY: PasswordPolicy = {
  MinimumPasswordLength: 8,
  RequireLowercaseCharacters: true,
  RequireUppercaseCharacters: true,
  RequireNumbers: true,
  RequireSymbols: false,
  HardExpiry: false,
  MaxPasswordAge: 0,
  PasswordReusePrevention: 0,
  MaxLoginAttemps: 5,
};

const RANGES: Partial<Record<keyof PasswordPolicy, [number, number]>> = {
  MinimumPasswordLength: [8, 32], MaxPasswordAge: [0, 1095], PasswordReusePrevention: [0, 24], MaxLoginAttemps: [0, 32],
};

/** The stored policy (JSON of the fields set) over the defaults. */
export function readPasswordPolicy(stored: string | undefined): PasswordPolicy {
  if (!stored) return { ...DEFAULT_PASSWORD_POLICY };
  return { ...DEFAULT_PASSWORD_POLICY, ...(JSON.parse(stored) as Partial<PasswordPolicy>) };
}

/** Applies a SetPasswordPolicy request: each field given replaces the current one. */
export function mergePasswordPolicy(current: PasswordPolicy, change: Partial<PasswordPolicy>): PasswordPolicy {
  const next = { ...current };
  for (const [k, v] of Object.entries(change) as [keyof PasswordPolicy, number | boolean | undefined][]) {
    if (v === undefined) continue;
    const range = RANGES[k];
    if (range && (typeof v !== 'number' || !Number.isInteger(v) || v < range[0] || v > range[1])) {
      throw ramError(`InvalidParameter.${k}.Range`, `The parameter - "${k}" MUST be in the range of ${range[0]} and ${range[1]}.`);
    }
    (next as Record<string, unknown>)[k] = v;
  }
  return next;
}

/** Refuses a password the policy does not allow (InvalidParameter.Password.TooWeak), with the rule it breaks. */
export function checkPassword(password: string, policy: PasswordPolicy): void {
  const weak = (why: string) => ramError('InvalidParameter.Password.TooWeak', `The parameter - "Password" is not compliant with the password policy: ${why}.`);
  if (password.length < policy.MinimumPasswordLength) throw weak(`at least ${policy.MinimumPasswordLength} characters`);
  if (password.length > 32) throw weak('at most 32 characters');
  if (!/^[\x21-\x7e]+$/.test(password)) throw weak('printable ASCII characters without spaces only');
  if (policy.RequireLowercaseCharacters && !/[a-z]/.test(password)) throw weak('a lowercase letter is required');
  if (policy.RequireUppercaseCharacters && !/[A-Z]/.test(password)) throw weak('an uppercase letter is required');
  if (policy.RequireNumbers && !/[0-9]/.test(password)) throw weak('a digit is required');
  if (policy.RequireSymbols && !/[^A-Za-z0-9]/.test(password)) throw weak('a symbol is required');
}
