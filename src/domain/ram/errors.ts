/**
 * RAM's error model: the RAM API metadata lists no error codes, so the status follows the
 * family of the code as RAM's error reference documents it (InvalidParameter.* and
 * MalformedPolicyDocument 400, NoPermission 403, EntityNotExist.* 404, EntityAlreadyExists.*,
 * DeleteConflict.* and LimitExceeded.* 409).
 */
import { EcsError } from '../errors.js';

export function ramStatus(code: string): number {
  if (code.startsWith('EntityNotExist')) return 404;
  if (code.startsWith('EntityAlreadyExists') || code.startsWith('DeleteConflict') || code.startsWith('LimitExceeded')) return 409;
  if (code === 'NoPermission') return 403;
  return 400;
}

export function ramError(code: string, message: string): EcsError {
  return new EcsError(code, message, ramStatus(code));
}

export const ramErrors = {
  invalidChars: (name: string) => ramError(`InvalidParameter.${name}.InvalidChars`, `The parameter - "${name}" contains invalid chars.`),
  length: (name: string) => ramError(`InvalidParameter.${name}.Length`, `The parameter - "${name}" beyond the length limit.`),
  format: (name: string) => ramError(`InvalidParameter.${name}.Format`, `The format of the parameter - "${name}" is incorrect.`),
  userNotExist: (name: string) => ramError('EntityNotExist.User', `The user does not exist: ${name}.`),
  groupNotExist: (name: string) => ramError('EntityNotExist.Group', `The group does not exist: ${name}.`),
  roleNotExist: (name: string) => ramError('EntityNotExist.Role', `The role does not exist: ${name}.`),
  policyNotExist: (type: string, name: string) => ramError('EntityNotExist.Policy', `The policy does not exist: ${type}/${name}.`),
};
