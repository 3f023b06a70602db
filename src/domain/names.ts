/**
 * The ECS resource name rule shared by instances, disks, snapshots, images, security groups and
 * the rest (API metadata): 2–128 characters, starting with a letter (any Unicode letter, Chinese
 * included), then letters, digits, `:`, `_`, `.`, `-`; never starting with http:// or https://.
 * Descriptions: 2–256 characters with the same prefix rule.
 */
const HTTP = /^https?:\/\//i;

export function isValidResourceName(name: string): boolean {
  const n = [...name].length;
  if (n < 2 || n > 128 || HTTP.test(name)) return false;
  return /^\p{L}[\p{L}\p{N}:_.\-]*$/u.test(name);
}

export function isValidResourceDescription(d: string): boolean {
  const n = [...d].length;
  return n >= 2 && n <= 256 && !HTTP.test(d);
}
