/**
 * Name and description rules of the storage and image actions (API metadata: 2–128 characters,
 * starting with a letter or a Chinese character, then letters, digits, `.`, `_`, `-`, `:`; not
 * starting with http:// or https://; descriptions 2–256 characters, same prefix rule).
 */
export function isValidName(name: string): boolean {
  const chars = [...name];
  if (chars.length < 2 || chars.length > 128) return false;
  if (/^https?:\/\//i.test(name)) return false;
  return /^\p{L}[\p{L}\p{N}:_.\-]*$/u.test(name);
}

/** Snapshot names: and not starting with `auto`, which is reserved for automatic snapshots. */
export function isValidSnapshotName(name: string): boolean {
  return isValidName(name) && !/^auto/i.test(name);
}

export function isValidDescription(d: string): boolean {
  const n = [...d].length;
  return n >= 2 && n <= 256 && !/^https?:\/\//i.test(d);
}
