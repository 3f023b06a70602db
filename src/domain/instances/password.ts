/**
 * Instance passwords (SPEC.md; RunInstances Password): 8–30 characters from upper case, lower
 * case, digits and ()`~!@#$%^&*-_+=|{}[]:;'<>,.?/ with at least three of the four classes;
 * a Windows password cannot start with `/`.
 */
import { EcsError } from '../errors.js';

const SPECIALS = "()`~!@#$%^&*-_+=|{}[]:;'<>,.?/";

export function isValidPassword(pw: string, osType: 'linux' | 'windows' = 'linux'): boolean {
  if (pw.length < 8 || pw.length > 30) return false;
  if (osType === 'windows' && pw.startsWith('/')) return false;
  let upper = 0, lower = 0, digit = 0, special = 0;
  for (const c of pw) {
    if (c >= 'A' && c <= 'Z') upper = 1;
    else if (c >= 'a' && c <= 'z') lower = 1;
    else if (c >= '0' && c <= '9') digit = 1;
    else if (SPECIALS.includes(c)) special = 1;
    else return false;
  }
  return upper + lower + digit + special >= 3;
}

export function checkPassword(pw: string, osType: 'linux' | 'windows' = 'linux'): void {
  if (!isValidPassword(pw, osType)) {
    throw new EcsError('InvalidPassword.Malformed',
      'The specified parameter "Password" is not valid: 8 to 30 characters with at least three of upper case letters, lower case letters, digits and the special characters ()`~!@#$%^&*-_+=|{}[]:;\'<>,.?/' + (osType === 'windows' ? '; a Windows password cannot start with /.' : '.'));
  }
}
