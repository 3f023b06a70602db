/**
 * Name and description rules of the storage and image actions (API metadata: 2–128 characters,
 * starting with a letter or a Chinese character, then letters, digits, `.`, `_`, `-`, `:`; not
 * starting with http:// or https://; descriptions 2–256 characters, same prefix rule).
 */
import { isValidResourceDescription, isValidResourceName } from '../names.js';

export const isValidName = isValidResourceName;

/** Snapshot names: and not starting with `auto`, which is reserved for automatic snapshots. */
export function isValidSnapshotName(name: string): boolean {
  return isValidName(name) && !/^auto/i.test(name);
}

export const isValidDescription = isValidResourceDescription;
