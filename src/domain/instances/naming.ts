/**
 * Instance and host names (RunInstances InstanceName/HostName/UniqueSuffix): the
 * `name_prefix[begin_number,bits]name_suffix` ordered format, the 3-digit unique suffix, the
 * `${instance_id}` placeholder, and the validity rules of the API metadata.
 */
import { EcsError } from '../errors.js';
import { isValidResourceName } from '../names.js';

const ORDERED = /\[(\d{0,6})(?:,(\d{0,1}))?\]/;

/** Expands a name for the n-th (0-based) of several instances. */
export function orderedName(template: string, index: number, uniqueSuffix: boolean, kind: 'InstanceName' | 'HostName'): string {
  const m = ORDERED.exec(template);
  if (m) {
    const begin = m[1] === '' || m[1] === undefined ? 0 : Number(m[1]);
    const bits = m[2] === '' || m[2] === undefined ? 1 : Number(m[2]);
    if (bits < 1 || bits > 6) {
      throw new EcsError('InvalidInstanceName.CustomMalformed', `Customized section of ${kind} is invalid, please use valid format: [], [,], [begin_number,bits] with bits from 1 to 6.`);
    }
    const prefix = template.slice(0, m.index);
    const suffix = template.slice(m.index + m[0].length);
    const name = prefix + String(begin + index).padStart(bits, '0') + suffix;
    // With no suffix after the ordered section, UniqueSuffix has no effect (API metadata).
    return uniqueSuffix && suffix ? name + String(index + 1).padStart(3, '0') : name;
  }
  if (template.includes('[') || template.includes(']')) {
    throw new EcsError('InvalidInstanceName.CustomMalformed', `Customized section of ${kind} is invalid, please use valid format: [], [,], [begin_number,bits].`);
  }
  return uniqueSuffix ? template + String(index + 1).padStart(3, '0') : template;
}

/** InstanceName: 2–128 characters, starting with a letter (any Unicode letter), then letters, digits, `:_.-`. */
export const isValidInstanceName = isValidResourceName;

export function checkInstanceName(name: string): void {
  if (!isValidInstanceName(name)) {
    throw new EcsError('InvalidInstanceName.Malformed', `The specified parameter "InstanceName" is not valid: 2 to 128 characters, starting with a letter, then letters, digits, colons (:), underscores (_), periods (.) or hyphens (-).`);
  }
}

/**
 * HostName: `.` and `-` never first, last or doubled; Windows 2–15 characters without `.`, not all
 * digits; others 2–64 characters in `.`-separated segments of letters, digits and `-`.
 */
export function isValidHostName(name: string, osType: 'linux' | 'windows'): boolean {
  if (/^[.-]|[.-]$|[.-]{2}/.test(name)) return false;
  if (osType === 'windows') return name.length >= 2 && name.length <= 15 && /^[A-Za-z0-9-]+$/.test(name) && !/^\d+$/.test(name);
  return name.length >= 2 && name.length <= 64 && /^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*$/.test(name);
}

export function checkHostName(name: string, osType: 'linux' | 'windows'): void {
  if (!isValidHostName(name, osType)) {
    throw new EcsError('InvalidHostName.Malformed', osType === 'windows'
      ? 'The specified parameter "HostName" is not valid: Windows host names are 2 to 15 letters, digits or hyphens, not all digits, without periods.'
      : 'The specified parameter "HostName" is not valid: 2 to 64 characters; segments of letters, digits and hyphens separated by periods; periods and hyphens cannot be first, last or consecutive.');
  }
}

/** Substitutes `${instance_id}` (HostName placeholder of the API). */
export function withInstanceId(name: string, instanceId: string): string {
  return name.split('${instance_id}').join(instanceId);
}

/** ECS's default host name for an instance without one: `iZ<id>Z`. */
export function defaultHostName(instanceId: string): string {
  return `iZ${instanceId.slice(2)}Z`;
}
