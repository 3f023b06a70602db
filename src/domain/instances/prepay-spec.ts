/**
 * ModifyPrepayInstanceSpec's rules (its metadata): the system tells an upgrade from a downgrade
 * (OperatorType, if given, must agree); an upgrade applies to a Running or Stopped instance, a
 * downgrade only to a Stopped one (InvalidStatus.NotStopped). A type with no fewer vCPUs and no less
 * memory is an upgrade; one with less of either is a downgrade (part of the period is refunded).
 */
export interface Shape { cpu: number; memory: number }

export type SpecChange = { ok: true; direction: 'upgrade' | 'downgrade' } | { ok: false; code: string; message: string };

export function specDirection(from: Shape, to: Shape): 'upgrade' | 'downgrade' | 'same' {
  if (from.cpu === to.cpu && from.memory === to.memory) return 'same';
  return to.cpu >= from.cpu && to.memory >= from.memory ? 'upgrade' : 'downgrade';
}

/** `$ID` in a message stands for the instance id. */
export function specChange(from: Shape, to: Shape, operatorType: string | undefined, status: string): SpecChange {
  const direction = specDirection(from, to);
  if (operatorType !== undefined && operatorType !== 'upgrade' && operatorType !== 'downgrade') {
    return { ok: false, code: 'InvalidParameter', message: `The specified OperatorType "${operatorType}" is not valid: upgrade or downgrade.` };
  }
  if (direction === 'same') return { ok: false, code: 'InvalidInstanceType.ValueNotSupported', message: 'The specified InstanceType has the vCPUs and memory the instance $ID already has.' };
  if (operatorType !== undefined && operatorType !== direction) {
    return { ok: false, code: 'InvalidParameter', message: `OperatorType is ${operatorType}, but the specified InstanceType is a ${direction} of the instance $ID.` };
  }
  if (direction === 'downgrade' && status !== 'Stopped') return { ok: false, code: 'InvalidStatus.NotStopped', message: `Instance status must be stopped: a downgrade of $ID needs it Stopped, it is ${status}.` };
  if (direction === 'upgrade' && status !== 'Running' && status !== 'Stopped') {
    return { ok: false, code: 'IncorrectInstanceStatus', message: `The current status of the resource does not support this operation: $ID is ${status}.` };
  }
  return { ok: true, direction };
}

/**
 * Renewal for configuration downgrade (the console's renewal order with a lower configuration):
 * the type must be a downgrade of the current one (RenewInstance's DependencyViolation.InstanceType
 * otherwise); it takes effect when the renewed period starts, so the instance may be running.
 */
export function renewDowngradeChange(from: Shape, to: Shape): { ok: true } | { ok: false; code: string; message: string } {
  const direction = specDirection(from, to);
  if (direction === 'downgrade') return { ok: true };
  return {
    ok: false, code: 'DependencyViolation.InstanceType',
    message: direction === 'same'
      ? 'Current instancetype cannot be changed to the specified one: it has the vCPUs and memory the instance $ID already has.'
      : 'Current instancetype cannot be changed to the specified one: a renewal downgrades (fewer vCPUs or less memory); upgrade with ModifyPrepayInstanceSpec.',
  };
}
